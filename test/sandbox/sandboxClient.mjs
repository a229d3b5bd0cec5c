// Small HTTP helpers for the sandbox's own tests (test/sandbox/*.test.mjs).
import { createHash } from 'node:crypto';

export const LOG_ID = /^\d{14}[0-9A-F]{20}$/;
export const REDIRECT_URI = 'https://app.example.test/oauth/callback';

export const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** Deterministic, non-repeating-looking bytes built in memory. */
export function videoBytes(size, seed = 1) {
	const data = Buffer.allocUnsafe(size);
	for (let i = 0; i < size; i++) data[i] = (i * 31 + seed * 17 + (i >> 9)) & 0xff;
	return data;
}

/** POST a form body to the token endpoint; returns { status, body }. */
export async function postToken(sandbox, fields, init = {}) {
	const res = await fetch(sandbox.accessTokenUrl, {
		method: 'POST',
		body: new URLSearchParams(fields),
		...init,
	});
	return { status: res.status, body: await res.json() };
}

/** GET the authorize URL without following the redirect. */
export async function authorize(sandbox, params) {
	const url = new URL(sandbox.authUrl);
	for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
	const res = await fetch(url, { redirect: 'manual' });
	const location = res.headers.get('location');
	return {
		status: res.status,
		location: location ? new URL(location) : undefined,
		text: await res.text(),
	};
}

/** A fresh authorization code for the sandbox's client. */
export async function authorizationCode(sandbox, extra = {}) {
	const { location } = await authorize(sandbox, {
		client_key: sandbox.clientKey,
		response_type: 'code',
		scope: 'user.info.basic,video.upload',
		redirect_uri: REDIRECT_URI,
		state: 'xyz',
		...extra,
	});
	return location.searchParams.get('code');
}

/** Calls a /v2/ JSON API; returns { status, body, text }. */
export async function api(sandbox, method, path, { token, json, headers = {} } = {}) {
	const res = await fetch(`${sandbox.apiBaseUrl}${path}`, {
		method,
		headers: {
			...(token ? { Authorization: `Bearer ${token}` } : {}),
			...(json !== undefined ? { 'Content-Type': 'application/json; charset=UTF-8' } : {}),
			...headers,
		},
		body: json !== undefined ? JSON.stringify(json) : undefined,
	});
	const text = await res.text();
	return { status: res.status, body: JSON.parse(text), text };
}

export function inboxInit(sandbox, token, sourceInfo) {
	return api(sandbox, 'POST', '/v2/post/publish/inbox/video/init/', {
		token,
		json: { source_info: sourceInfo },
	});
}

export function fileSource(videoSize, chunkSize = videoSize, totalChunkCount = undefined) {
	return {
		source: 'FILE_UPLOAD',
		video_size: videoSize,
		chunk_size: chunkSize,
		total_chunk_count: totalChunkCount ?? Math.floor(videoSize / chunkSize),
	};
}

/** PUT one chunk to an upload_url; returns { status, contentRange, text }. */
export async function putChunk(uploadUrl, body, { start, end, total, contentType = 'video/mp4' }) {
	const res = await fetch(uploadUrl, {
		method: 'PUT',
		headers: {
			'Content-Type': contentType,
			'Content-Range': `bytes ${start}-${end}/${total}`,
		},
		body,
	});
	return {
		status: res.status,
		contentRange: res.headers.get('content-range'),
		text: await res.text(),
	};
}

/** [start, end] (inclusive) of chunk `index`: floor count, the last chunk takes the remainder. */
export function chunkRange(videoSize, chunkSize, index) {
	const count = Math.floor(videoSize / chunkSize);
	const start = index * chunkSize;
	return [start, index === count - 1 ? videoSize - 1 : start + chunkSize - 1];
}

/** PUTs chunk `index` of `data` following the declared plan. */
export function putPlannedChunk(uploadUrl, data, chunkSize, index, options = {}) {
	const [start, end] = chunkRange(data.length, chunkSize, index);
	return putChunk(uploadUrl, data.subarray(start, end + 1), {
		start,
		end,
		total: data.length,
		...options,
	});
}
