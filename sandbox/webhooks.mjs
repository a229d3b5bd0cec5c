// TikTok webhooks: signed JSON POSTs to the app's one callback URL (config.webhookUrl). Content
// Posting events follow the tasks' transitions by themselves, as TikTok pushes them without anyone
// polling; tests can also send any event with a chosen kind of signature. A delivery failure is
// only recorded: it never throws into the API or the sandbox.
//
// At least once, as TikTok delivers: `duplicates` repeats an event one copy after the other
// (later retries), `concurrentCopies` sends each of those deliveries as that many identical
// requests at the same moment (a burst: all requests leave in one tick, on separate
// connections). Every request is signed and retried on its own; records carry `duplicate` (the
// round) and `copy` (the request within the round). `createTime` fixes the event's create_time,
// so separate send() calls can repeat one event byte for byte, as TikTok's re-deliveries do.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { currentStatus } from './tasks.mjs';

export const SIGNATURE_KINDS = [
	'valid',
	'wrongSecret', // signed with another secret
	'tampered', // the body changed after signing
	'missing', // no TikTok-Signature header
	'malformed', // a header without t= and s=
	'stale', // t ten minutes in the past, otherwise valid
	'future', // t ten minutes ahead, otherwise valid
];
const SKEW_SECONDS = 600;
const MAX_CONCURRENT_COPIES = 50;
const MAX_TIMER_MS = 2 ** 31 - 1; // setTimeout fires at once for anything longer

/** `s` of the TikTok-Signature header: hex HMAC-SHA256 of `t + "." + rawBody`. */
export function signWebhook(secret, t, rawBody) {
	return createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
}

/** The delivery machinery of one sandbox: records, timers and requests in flight. */
export function createWebhooks(config) {
	const deliveries = [];
	const timers = new Map(); // timer → called when stop() cancels it
	const requests = new Set();
	let generation = 0; // bumped by stop(): loops of an older generation end quietly
	let closed = false;

	/** Runs `fn` after `ms` (clamped), unless stop() comes first (then `onCancel`). */
	function later(ms, fn, onCancel = () => {}) {
		const timer = setTimeout(
			() => {
				timers.delete(timer);
				fn();
			},
			Math.min(Math.max(Number(ms) || 0, 0), MAX_TIMER_MS),
		);
		timer.unref();
		timers.set(timer, onCancel);
	}

	/** Resolves true after `ms`, false when stop() came first. */
	const wait = (ms) =>
		new Promise((resolve) =>
			later(
				ms,
				() => resolve(true),
				() => resolve(false),
			),
		);

	/**
	 * Delivers one event, then its `duplicates` identical copies, each as `concurrentCopies`
	 * simultaneous requests, each retried after a non-2xx answer or a connection error. Resolves
	 * the records of every attempt, in the order they started.
	 */
	async function deliver({
		event,
		content,
		userOpenId,
		url,
		signature,
		duplicates,
		concurrentCopies = 1,
		createTime = Math.floor(Date.now() / 1000),
	}) {
		const started = generation;
		const rawBody = JSON.stringify({
			client_key: config.clientKey,
			event,
			create_time: createTime,
			user_openid: userOpenId,
			content: typeof content === 'string' ? content : JSON.stringify(content ?? {}),
		});
		const publishId = (typeof content === 'string' ? parseOrUndefined(content) : content)
			?.publish_id;
		const retries = Math.max(0, Number(config.webhookRetries) || 0);
		const records = [];

		async function attempts(duplicate, copy) {
			for (let attempt = 1; started === generation; attempt++) {
				const record = {
					event,
					publishId,
					url: withoutQuery(url),
					attempt,
					duplicate,
					copy,
					signature,
					status: 'pending',
					at: Date.now(),
				};
				deliveries.push(record);
				records.push(record);
				const request = signedRequest(signature, rawBody, config.clientSecret);
				record.body = request.body;
				try {
					record.status = await post(url, request, config.webhookTimeoutMs, requests);
				} catch (error) {
					record.status = 'error';
					record.error = String(error?.message ?? error);
				}
				const ok = typeof record.status === 'number' && record.status < 300;
				if (ok || attempt > retries) break;
				if (!(await wait(config.webhookRetryBaseMs * 2 ** (attempt - 1)))) break;
			}
		}

		for (let duplicate = 0; duplicate <= duplicates && started === generation; duplicate++) {
			// post() sends before its first await, so every copy leaves in this same tick.
			const copies = [];
			for (let copy = 0; copy < concurrentCopies; copy++) copies.push(attempts(duplicate, copy));
			await Promise.all(copies);
		}
		return records;
	}

	/**
	 * Events TikTok sends by itself go to config.webhookUrl after webhookDelayMs, one after the
	 * other, each with webhookDuplicates copies. Resolves the records of every attempt.
	 */
	async function deliverAll(events) {
		const url = config.webhookUrl;
		if (!url || closed) return [];
		if (!isHttpUrl(url)) {
			const records = events.map(({ event, content }) => ({
				event,
				publishId: content.publish_id,
				attempt: 1,
				duplicate: 0,
				copy: 0,
				signature: 'valid',
				status: 'error',
				error: 'webhookUrl is not an http(s) URL',
				at: Date.now(),
			}));
			deliveries.push(...records);
			return records;
		}
		const duplicates = Math.max(0, Number(config.webhookDuplicates) || 0);
		const records = [];
		if (!(await wait(config.webhookDelayMs))) return records;
		for (const event of events)
			records.push(...(await deliver({ ...event, url, signature: 'valid', duplicates })));
		return records;
	}

	/**
	 * state.onTaskChange: `complete` starts the processing timer (currentStatus stays the one
	 * transition rule); a new `status` sends its events. Events are built a microtask later, once
	 * the flow that changed the status also set failReason or postIds.
	 */
	function taskChanged(state, upload, field, value) {
		if (field === 'complete') {
			if (value) advanceLater(state, upload);
			return;
		}
		queueMicrotask(() => deliverAll(taskEvents(upload, value)).catch(() => {}));
	}

	function advanceLater(state, upload) {
		const due = upload.completedAt ?? Date.now();
		later(config.processingMs - (Date.now() - due), () => {
			if (!upload.status.startsWith('PROCESSING')) return;
			currentStatus(upload, config, state);
			// processingMs may have grown meanwhile: try again when the new deadline passes
			if (upload.status.startsWith('PROCESSING')) advanceLater(state, upload);
		});
	}

	/**
	 * Manual delivery for tests (sandbox.sendWebhookEvent, POST /__sandbox/webhooks/send).
	 * `duplicates`: extra copies one after the other; `concurrentCopies` (1–50, default 1): how
	 * many identical requests each delivery is, sent at the same moment; `createTime` (unix
	 * seconds, default now): the event's create_time, to send the very same event again later.
	 */
	function send({
		event,
		content = {},
		userOpenId = config.user.open_id,
		url = config.webhookUrl,
		signature = 'valid',
		duplicates = 0,
		concurrentCopies = 1,
		createTime,
	} = {}) {
		if (typeof event !== 'string' || !event) throw new Error('event must be a non-empty string');
		if (!SIGNATURE_KINDS.includes(signature))
			throw new Error(`signature must be one of ${SIGNATURE_KINDS.join(', ')}`);
		if (
			!Number.isInteger(concurrentCopies) ||
			concurrentCopies < 1 ||
			concurrentCopies > MAX_CONCURRENT_COPIES
		)
			throw new Error(`concurrentCopies must be an integer from 1 to ${MAX_CONCURRENT_COPIES}`);
		if (createTime !== undefined && !(Number.isInteger(createTime) && createTime > 0))
			throw new Error('createTime must be a positive integer (unix seconds)');
		if (closed) throw new Error('the sandbox is closed');
		if (!url) throw new Error('no webhook URL: set webhookUrl or pass url');
		if (!isHttpUrl(url)) throw new Error('the webhook URL must be http(s)');
		const copies = Math.max(0, Number(duplicates) || 0);
		return deliver({
			event,
			content,
			userOpenId,
			url,
			signature,
			duplicates: copies,
			concurrentCopies,
			createTime,
		});
	}

	/** reset() and close(): no timer or request survives; the records go on reset. */
	function stop({ clearRecords = false, close = false } = {}) {
		generation++;
		closed ||= close;
		for (const [timer, cancel] of timers) {
			clearTimeout(timer);
			cancel();
		}
		timers.clear();
		for (const request of requests) request.destroy(new Error('sandbox reset'));
		requests.clear();
		if (clearRecords) deliveries.length = 0;
	}

	return { deliveries, send, deliverAll, taskChanged, stop };
}

/** What TikTok sends when a task reaches `status`. */
function taskEvents(upload, status) {
	const base = {
		publish_id: upload.publishId,
		publish_type: upload.mode === 'direct' ? 'DIRECT_PUBLISH' : 'INBOX_SHARE',
	};
	const event = (name, content) => ({ event: name, content, userOpenId: upload.openId });
	if (status === 'SEND_TO_USER_INBOX') return [event('post.publish.inbox_delivered', base)];
	if (status === 'FAILED') {
		const { publish_id, publish_type } = base;
		const reason = upload.failReason ?? 'internal';
		return [event('post.publish.failed', { publish_id, reason, publish_type })];
	}
	if (status === 'PUBLISH_COMPLETE') {
		return [
			event('post.publish.complete', base),
			// post_id as a string: content is JSON parsed by the receiver, 19 digits overflow numbers
			...upload.postIds.map((id) =>
				event('post.publish.publicly_available', { ...base, post_id: String(id) }),
			),
		];
	}
	return [];
}

/** The body to send and its TikTok-Signature header (undefined: none) for a signature kind. */
function signedRequest(kind, rawBody, secret) {
	const now = Math.floor(Date.now() / 1000);
	const t = now + (kind === 'stale' ? -SKEW_SECONDS : kind === 'future' ? SKEW_SECONDS : 0);
	const s = signWebhook(kind === 'wrongSecret' ? `not-${secret}` : secret, t, rawBody);
	if (kind === 'missing') return { body: rawBody, header: undefined };
	if (kind === 'malformed') return { body: rawBody, header: `sha256=${s}` };
	if (kind === 'tampered') {
		const changed = JSON.parse(rawBody);
		changed.create_time += 1;
		return { body: JSON.stringify(changed), header: `t=${t},s=${s}` };
	}
	return { body: rawBody, header: `t=${t},s=${s}` };
}

/** POSTs the body on a fresh connection; resolves the HTTP status answered. */
function post(url, { body, header }, timeoutMs, requests) {
	return new Promise((resolve, reject) => {
		const target = new URL(url);
		const headers = {
			'Content-Type': 'application/json',
			'Content-Length': Buffer.byteLength(body),
			'User-Agent': 'tiktok-sandbox-webhook/1.0',
		};
		if (header !== undefined) headers['TikTok-Signature'] = header;
		const client = target.protocol === 'https:' ? https : http;
		const req = client.request(target, { method: 'POST', headers, agent: false }, (res) => {
			res.resume();
			resolve(res.statusCode);
		});
		req.setTimeout(Number(timeoutMs) || 5000, () =>
			req.destroy(new Error(`no answer within ${timeoutMs} ms`)),
		);
		req.on('error', reject);
		req.on('close', () => requests.delete(req));
		requests.add(req);
		req.end(body);
	});
}

function parseOrUndefined(text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function isHttpUrl(value) {
	try {
		return ['http:', 'https:'].includes(new URL(String(value)).protocol);
	} catch {
		return false;
	}
}

/** Records show the URL without its query, in case a receiver keeps a token there. */
function withoutQuery(value) {
	const url = new URL(value);
	return `${url.origin}${url.pathname}`;
}
