import { randomBytes } from 'node:crypto';

const MAX_SMALL_BODY = 1_048_576;

/** TikTok-like log id: a timestamp followed by hex. */
export function logId() {
	const now = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
	return `${now}${randomBytes(10).toString('hex').toUpperCase()}`;
}

export function randomToken(prefix, bytes = 24) {
	return `${prefix}${randomBytes(bytes).toString('hex')}`;
}

/** Reads a small (JSON or form) body; larger bodies are refused, videos never come here. */
export function readSmallBody(req) {
	return new Promise((resolve, reject) => {
		const pieces = [];
		let size = 0;
		req.on('data', (piece) => {
			size += piece.length;
			if (size > MAX_SMALL_BODY) {
				reject(new Error('body too large'));
				req.destroy();
				return;
			}
			pieces.push(piece);
		});
		req.on('end', () => resolve(Buffer.concat(pieces).toString('utf8')));
		req.on('error', reject);
	});
}

export function sendJson(res, status, value, headers = {}) {
	sendRawJson(res, status, JSON.stringify(value), headers);
}

export function sendRawJson(res, status, text, headers = {}) {
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
	res.end(text);
}

/** TikTok's envelope: `data` plus `error {code, message, log_id}`; `data: null` omits `data`. */
export function sendEnvelope(res, status, code, message = '', data = {}, headers = {}) {
	const error = { code, message, log_id: logId() };
	sendJson(res, status, data === null ? { error } : { data, error }, headers);
}

export function contentTypeOf(req) {
	return String(req.headers['content-type'] ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
}
