// PULL_FROM_URL (docs/tiktok-api.md#pull-from-url): the sandbox downloads the media itself, as TikTok does.
// Each body streams through a SHA-256 and a byte counter and is dropped, never buffered.
//
// URL rules: https, no redirects (a 3xx fails the pull), under a verified domain (which covers its
// subdomains) or a verified URL prefix (an entry starting with http:// or https://, matched as an
// exact string prefix). TikTok refuses plain http and IP hosts; the sandbox additionally accepts
// http://127.0.0.1 (and 127.0.0.1 as a verified entry) because tests serve files from a local
// server. An https server on 127.0.0.1 with a test certificate needs `pullCa` (PEM) in config.
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';

const LOOPBACK = '127.0.0.1';

export function isVerifiedUrl(value, config) {
	let url;
	try {
		url = new URL(String(value));
	} catch {
		return false;
	}
	const secure = url.protocol === 'https:';
	if (!secure && !(url.protocol === 'http:' && url.hostname === LOOPBACK)) return false;
	if (url.username || url.password) return false;
	return config.verifiedDomains.some((entry) => {
		const verified = String(entry);
		if (/^https?:\/\//i.test(verified)) return url.href.startsWith(verified);
		const domain = verified.toLowerCase();
		return url.hostname === domain || url.hostname.endsWith(`.${domain}`);
	});
}

/**
 * Downloads every `upload.pullSources` entry in order (after `pullDelayMs`), then marks the task
 * complete so currentStatus can finish it. Any failure — connection error, 3xx, non-2xx, a body
 * cut short, the `pullTimeoutMs` deadline — ends the task FAILED with `failReason`. A cancel sets
 * FAILED/publish_cancelled first and aborts; that reason is kept.
 */
export function startPull(upload, config, failReason) {
	const controller = new AbortController();
	upload.pull = controller;
	const deadline = setTimeout(
		() => controller.abort(new Error('download timeout')),
		config.pullDelayMs + config.pullTimeoutMs,
	);
	deadline.unref();
	run()
		.then(() => {
			upload.complete = true;
			upload.completedAt = Date.now();
		})
		.catch((error) => {
			if (upload.status === 'FAILED') return;
			upload.status = 'FAILED';
			upload.failReason = failReason;
			upload.pullError = String(error?.message ?? error);
		})
		.finally(() => {
			clearTimeout(deadline);
			upload.pull = undefined;
		});

	async function run() {
		await delay(config.pullDelayMs, controller.signal);
		for (const source of upload.pullSources) {
			source.sha256 = await download(source.url, config, controller.signal, (bytes) => {
				source.downloadedBytes += bytes;
				upload.downloadedBytes += bytes;
			});
		}
		if (upload.mediaType === 'VIDEO') upload.sha256 = upload.pullSources[0].sha256;
	}
}

function delay(ms, signal) {
	if (!ms) return signal.aborted ? Promise.reject(signal.reason) : Promise.resolve();
	return new Promise((resolve, reject) => {
		const timer = setTimeout(resolve, ms);
		signal.addEventListener('abort', () => {
			clearTimeout(timer);
			reject(signal.reason);
		});
	});
}

/** GETs one URL (no redirects followed) and returns the hex SHA-256 of its body. */
async function download(url, config, signal, onBytes) {
	const target = new URL(url);
	const secure = target.protocol === 'https:';
	const options = {
		method: 'GET',
		signal,
		headers: { 'User-Agent': 'tiktok-sandbox-pull/1.0', Accept: '*/*' },
	};
	if (secure && config.pullCa) {
		options.ca = [...rootCertificates, ...[config.pullCa].flat().map(String)];
	}
	const res = await new Promise((resolve, reject) => {
		const req = (secure ? https : http).request(target, options, resolve);
		req.on('error', reject);
		req.end();
	});
	if (res.statusCode < 200 || res.statusCode >= 300) {
		res.destroy();
		throw new Error(`HTTP ${res.statusCode}`);
	}
	const hash = createHash('sha256');
	for await (const piece of res) {
		hash.update(piece);
		onBytes(piece.length);
	}
	if (!res.complete) throw new Error('the body ended early');
	return hash.digest('hex');
}
