// TikTok's JSON APIs (tiktok-api.md §2, §3.a, §3.e). Order of checks as TikTok documents them:
// Bearer token → scope → per-token rate limit → the request itself.
import { randomBytes } from 'node:crypto';
import { checkFileUpload } from './chunk-rules.mjs';
import { USER_FIELD_SCOPES } from './config.mjs';
import { contentTypeOf, logId, readSmallBody, sendEnvelope, sendRawJson } from './http.mjs';
import { overRateLimit, takeFault } from './state.mjs';

const ENDPOINTS = {
	'GET /v2/user/info/': {
		name: 'userInfo',
		scopes: ['user.info.basic', 'user.info.profile', 'user.info.stats'],
		handle: userInfo,
	},
	'POST /v2/post/publish/inbox/video/init/': {
		name: 'inboxInit',
		scopes: ['video.upload'],
		handle: inboxInit,
	},
	'POST /v2/post/publish/status/fetch/': {
		name: 'statusFetch',
		scopes: ['video.upload', 'video.publish'],
		handle: statusFetch,
	},
};

export function isApiRoute(method, path) {
	return `${method} ${path}` in ENDPOINTS;
}

export async function handleApi(req, res, url, sandbox) {
	const { state, config } = sandbox;
	const endpoint = ENDPOINTS[`${req.method} ${url.pathname}`];
	const call = {
		endpoint: endpoint.name,
		path: url.pathname,
		status: 0,
		code: '',
		validToken: false,
	};
	state.apiCalls.push(call);
	const reply = (status, code, message = '', data = {}, headers = {}) => {
		call.status = status;
		call.code = code;
		sendEnvelope(res, status, code, message, data, headers);
	};

	const bearer = /^Bearer (.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
	const token = bearer ? state.accessTokens.get(bearer) : undefined;
	if (!token || token.revoked || token.expiresAt <= Date.now()) {
		return reply(
			401,
			'access_token_invalid',
			'The access token is invalid or not found in the request.',
		);
	}
	call.validToken = true;
	if (!endpoint.scopes.some((scope) => token.scopes.includes(scope))) {
		return reply(
			401,
			'scope_not_authorized',
			'The user did not authorize the scope required for completing this request.',
		);
	}
	const fault = takeFault(state, (f) => f.target === endpoint.name && f.kind === 'status');
	if (fault) {
		return fault.status === 429
			? reply(
					429,
					'rate_limit_exceeded',
					'Injected: the API rate limit was exceeded.',
					{},
					retryAfter(fault.retryAfterSeconds),
				)
			: reply(fault.status, 'internal_error', 'Injected: internal error.');
	}
	const limit = config.rateLimits[endpoint.name];
	const waitMs = overRateLimit(
		state,
		bearer,
		endpoint.name,
		limit,
		config.rateWindowSeconds * 1000,
	);
	if (waitMs) {
		return reply(
			429,
			'rate_limit_exceeded',
			'The API rate limit was exceeded. Please try again later.',
			{},
			config.sendRetryAfter ? retryAfter(Math.ceil(waitMs / 1000)) : {},
		);
	}
	let body = {};
	if (req.method === 'POST') {
		if (contentTypeOf(req) !== 'application/json') {
			return reply(400, 'invalid_params', 'The Content-Type must be application/json.');
		}
		try {
			const text = await readSmallBody(req);
			body = text ? JSON.parse(text) : {};
		} catch {
			return reply(400, 'invalid_params', 'The request body is not valid JSON.');
		}
	}
	return endpoint.handle({ req, res, url, body, token, reply, sandbox, call });
}

function userInfo({ url, token, reply, sandbox }) {
	const fields = String(url.searchParams.get('fields') ?? '')
		.split(',')
		.map((f) => f.trim())
		.filter(Boolean);
	if (fields.length === 0) return reply(400, 'invalid_params', 'The fields parameter is required.');
	const unknown = fields.filter((f) => !(f in USER_FIELD_SCOPES));
	if (unknown.length) return reply(400, 'invalid_params', `Unknown fields: ${unknown.join(',')}`);
	const missing = fields.filter((f) => !token.scopes.includes(USER_FIELD_SCOPES[f]));
	if (missing.length) {
		return reply(
			401,
			'scope_not_authorized',
			`Fields need scopes the user did not grant: ${missing.join(',')}`,
		);
	}
	const user = Object.fromEntries(fields.map((f) => [f, sandbox.config.user[f]]));
	return reply(200, 'ok', '', { user });
}

function inboxInit({ body, token, reply, sandbox }) {
	const { state, config } = sandbox;
	const source = body?.source_info ?? {};
	let upload;
	if (source.source === 'FILE_UPLOAD') {
		const problem = checkFileUpload(source, config);
		if (problem) return reply(400, 'invalid_params', problem);
	} else if (source.source === 'PULL_FROM_URL') {
		if (!isVerifiedUrl(source.video_url, config)) {
			return reply(
				403,
				'url_ownership_unverified',
				'The domain or URL prefix of video_url is not verified.',
			);
		}
	} else {
		return reply(400, 'invalid_params', 'The request source info is empty or incorrect');
	}
	if (pendingShares(state, token.openId) >= config.maxPendingShares) {
		return reply(
			403,
			'spam_risk_too_many_pending_share',
			'The user has too many pending shares in the last 24 hours.',
		);
	}

	const id = `${Date.now()}${String(++state.publishSequence).padStart(6, '0')}`.slice(-19);
	const publishId = `v_inbox_${source.source === 'FILE_UPLOAD' ? 'file' : 'url'}~v2.${id}`;
	upload = {
		publishId,
		openId: token.openId,
		source: source.source,
		videoSize: source.video_size,
		chunkSize: source.chunk_size,
		totalChunkCount: source.total_chunk_count,
		bytesReceived: 0,
		sha256: undefined,
		hash: undefined,
		ranges: [],
		puts: [],
		status: source.source === 'FILE_UPLOAD' ? 'PROCESSING_UPLOAD' : 'PROCESSING_DOWNLOAD',
		complete: false,
		createdAt: Date.now(),
		completedAt: undefined,
		uploadToken: randomBytes(16).toString('hex'),
		postIds: [],
	};
	state.uploads.set(publishId, upload);
	const data = { publish_id: publishId };
	if (source.source === 'FILE_UPLOAD') {
		data.upload_url = `${sandbox.uploadBaseUrl}/upload/?upload_id=${encodeURIComponent(publishId)}&upload_token=${upload.uploadToken}`;
	} else {
		upload.complete = true;
		upload.completedAt = Date.now();
	}
	return reply(200, 'ok', '', data);
}

function isVerifiedUrl(videoUrl, config) {
	try {
		const url = new URL(videoUrl);
		return (
			url.protocol === 'https:' &&
			config.verifiedDomains.some((d) => url.hostname === d || url.hostname.endsWith(`.${d}`))
		);
	} catch {
		return false;
	}
}

/** Drafts delivered or on their way to the creator's inbox within the last 24 hours. */
function pendingShares(state, openId) {
	const since = Date.now() - 86_400_000;
	return [...state.uploads.values()].filter(
		(u) =>
			u.openId === openId &&
			u.createdAt > since &&
			u.status !== 'PUBLISH_COMPLETE' &&
			u.status !== 'FAILED',
	).length;
}

/** Moves an upload along: processing → inbox, after `processingMs`. */
export function currentStatus(upload, config) {
	if (
		upload.status.startsWith('PROCESSING') &&
		upload.complete &&
		Date.now() - upload.completedAt >= config.processingMs
	) {
		upload.status = 'SEND_TO_USER_INBOX';
	}
	return upload.status;
}

function statusFetch({ body, token, reply, res, sandbox, call }) {
	const publishId = body?.publish_id;
	const upload = typeof publishId === 'string' ? sandbox.state.uploads.get(publishId) : undefined;
	if (!upload) return reply(400, 'invalid_publish_id', 'The publish_id is invalid.');
	if (upload.openId !== token.openId) {
		return reply(
			400,
			'token_not_authorized_for_specified_publish_id',
			'The token is not authorized for this publish_id.',
		);
	}
	const status = currentStatus(upload, sandbox.config);
	// Post ids are written into the text by hand: 19-digit JSON numbers, as TikTok sends them.
	const parts = [`"status":${JSON.stringify(status)}`];
	if (status === 'FAILED')
		parts.push(`"fail_reason":${JSON.stringify(upload.failReason ?? 'internal')}`);
	parts.push(`"publicaly_available_post_id":[${upload.postIds.join(',')}]`);
	if (upload.source === 'FILE_UPLOAD') parts.push(`"uploaded_bytes":${upload.bytesReceived}`);
	else parts.push(`"downloaded_bytes":${upload.complete ? 1_000_000 : 0}`);
	call.status = 200;
	call.code = 'ok';
	sendRawJson(
		res,
		200,
		`{"data":{${parts.join(',')}},"error":{"code":"ok","message":"","log_id":"${logId()}"}}`,
	);
}

/** TikTok documents no Retry-After on 429; the sandbox sends one only when configured or injected. */
function retryAfter(seconds) {
	return seconds === undefined ? {} : { 'Retry-After': String(seconds) };
}
