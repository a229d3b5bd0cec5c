// Webhooks: signed event notifications to a receiver on 127.0.0.1 — the signature kinds, Content
// Posting events pushed without anyone polling, retries, duplicates (one after the other and
// concurrent copies), authorization.removed, and that resets and broken receivers leave the
// sandbox alone.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { startSandbox } from '../../sandbox/server.mjs';
import { until, useSandbox, useServer } from '../helpers/sandbox.mjs';
import { startMediaServer } from './mediaServer.mjs';
import { directInit, rawPostIds, sleep, statusFetch } from './postingClient.mjs';
import {
	api,
	fileSource,
	inboxInit,
	postToken,
	putPlannedChunk,
	videoBytes,
} from './sandboxClient.mjs';

const MB5 = 5_242_880;
const SIGNATURE = /^t=(\d+),s=([0-9a-f]{64})$/;

const sandbox = useSandbox({ reset: 'config' });
const media = useServer(startMediaServer);
const receiver = useServer(startReceiver);

/** Records every POST with its raw body; answers the queued statuses first, then 200. */
async function startReceiver() {
	const received = [];
	const statuses = [];
	const server = createServer((req, res) => {
		const pieces = [];
		req.on('data', (piece) => pieces.push(piece));
		req.on('end', () => {
			const raw = Buffer.concat(pieces).toString('utf8');
			received.push({
				at: Date.now(),
				path: req.url,
				headers: req.headers,
				raw,
				body: JSON.parse(raw),
			});
			res.writeHead(statuses.shift() ?? 200).end();
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}/webhook`,
		received,
		statuses,
		events: () => received.map((r) => r.body.event),
		clear() {
			received.length = 0;
			statuses.length = 0;
		},
		close() {
			server.closeAllConnections();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

const hmac = (secret, t, raw) => createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');
const nowSeconds = () => Math.floor(Date.now() / 1000);
const contentOf = (delivery) => JSON.parse(delivery.body.content);

const waitForEvents = (count) =>
	until(() => receiver.received.length >= count, `${count} webhook deliveries`);

/** A complete FILE_UPLOAD of `data` in chunks of `chunkSize`; returns the publish id. */
async function uploadAll(init, data, chunkSize) {
	const { publish_id: publishId, upload_url: uploadUrl } = init.body.data;
	const count = Math.floor(data.length / chunkSize);
	for (let index = 0; index < count; index++)
		await putPlannedChunk(uploadUrl, data, chunkSize, index);
	return publishId;
}

const directFile = (token, size, privacy = 'PUBLIC_TO_EVERYONE') =>
	directInit(sandbox, token, {
		post_info: { privacy_level: privacy },
		source_info: fileSource(size),
	});

beforeEach(() => {
	sandbox.configure({ webhookUrl: receiver.url, webhookRetryBaseMs: 20 });
	receiver.clear();
});

describe('body and signature', () => {
	test('the body has the documented keys, content is a JSON string, the signature recomputes', async () => {
		const content = { publish_id: 'v_pub_file~v2.1', publish_type: 'DIRECT_PUBLISH' };
		const records = await sandbox.sendWebhookEvent({ event: 'post.publish.complete', content });
		expect(records).toEqual([
			expect.objectContaining({
				event: 'post.publish.complete',
				publishId: 'v_pub_file~v2.1',
				attempt: 1,
				duplicate: 0,
				status: 200,
				signature: 'valid',
				at: expect.any(Number),
			}),
		]);
		const [delivery] = receiver.received;
		expect(delivery.path).toBe('/webhook');
		expect(delivery.headers['content-type']).toBe('application/json');
		expect(Object.keys(delivery.body)).toEqual([
			'client_key',
			'event',
			'create_time',
			'user_openid',
			'content',
		]);
		expect(delivery.body).toEqual({
			client_key: sandbox.clientKey,
			event: 'post.publish.complete',
			create_time: expect.any(Number),
			user_openid: sandbox.config.user.open_id,
			content: JSON.stringify(content),
		});
		expect(Math.abs(delivery.body.create_time - nowSeconds())).toBeLessThanOrEqual(5);
		const [, t, s] = SIGNATURE.exec(delivery.headers['tiktok-signature']);
		expect(Math.abs(Number(t) - nowSeconds())).toBeLessThanOrEqual(5);
		expect(s).toBe(hmac(sandbox.clientSecret, t, delivery.raw));
	});

	test.each([
		['wrongSecret', 0, false],
		['tampered', 0, false],
		['stale', -600, true],
		['future', 600, true],
	])('signature %s: t offset %i s, valid HMAC %s', async (kind, offset, valid) => {
		const [record] = await sandbox.sendWebhookEvent({
			event: 'post.publish.complete',
			content: { publish_id: 'p' },
			signature: kind,
		});
		expect(record).toMatchObject({ signature: kind, status: 200 });
		const [delivery] = receiver.received;
		const [, t, s] = SIGNATURE.exec(delivery.headers['tiktok-signature']);
		expect(Math.abs(Number(t) - offset - nowSeconds())).toBeLessThanOrEqual(5);
		expect(s === hmac(sandbox.clientSecret, t, delivery.raw)).toBe(valid);
		expect(contentOf(delivery)).toEqual({ publish_id: 'p' });
	});

	test('signature missing: no header; malformed: a header without t= and s=', async () => {
		await sandbox.sendWebhookEvent({ event: 'e.missing', signature: 'missing' });
		await sandbox.sendWebhookEvent({ event: 'e.malformed', signature: 'malformed' });
		const [missing, malformed] = receiver.received;
		expect(missing.headers).not.toHaveProperty('tiktok-signature');
		expect(malformed.headers['tiktok-signature']).toEqual(expect.any(String));
		expect(malformed.headers['tiktok-signature']).not.toMatch(/(^|,)t=|(^|,)s=/);
	});

	test('userOpenId, url and a ready-made content string are passed through', async () => {
		const other = await startReceiver();
		try {
			await sandbox.sendWebhookEvent({
				event: 'authorization.removed',
				content: '{"reason":5}',
				userOpenId: 'someone-else',
				url: other.url,
			});
			expect(receiver.received).toEqual([]);
			expect(other.received[0].body).toMatchObject({
				user_openid: 'someone-else',
				content: '{"reason":5}',
			});
		} finally {
			await other.close();
		}
	});

	test('bad requests are refused: unknown signature kind, no URL, a non-http URL', async () => {
		await expect(sandbox.sendWebhookEvent({ event: 'e', signature: 'odd' })).rejects.toThrow(
			/signature/,
		);
		await expect(sandbox.sendWebhookEvent({})).rejects.toThrow(/event/);
		await expect(
			sandbox.sendWebhookEvent({ event: 'e', url: 'file:///etc/passwd' }),
		).rejects.toThrow(/http/);
		sandbox.configure({ webhookUrl: undefined });
		await expect(sandbox.sendWebhookEvent({ event: 'e' })).rejects.toThrow(/no webhook URL/);
		expect(sandbox.state.webhookDeliveries).toEqual([]);
	});
});

describe('Content Posting events, pushed without anyone polling', () => {
	test('inbox_delivered once a chunked FILE_UPLOAD completes and processingMs passed', async () => {
		sandbox.configure({ processingMs: 300 });
		const data = videoBytes(11_000_000, 7);
		const token = sandbox.mintToken().access_token;
		const init = await inboxInit(sandbox, token, fileSource(data.length, MB5));
		const publishId = await uploadAll(init, data, MB5);
		const lastByte = Date.now();
		await waitForEvents(1);
		expect(receiver.received[0].at - lastByte).toBeGreaterThanOrEqual(250);
		expect(receiver.events()).toEqual(['post.publish.inbox_delivered']);
		expect(contentOf(receiver.received[0])).toEqual({
			publish_id: publishId,
			publish_type: 'INBOX_SHARE',
		});
		expect(receiver.received[0].body.user_openid).toBe(sandbox.config.user.open_id);
		// Reading the status afterwards changes nothing: one event per transition.
		const state = sandbox.state;
		expect(state.apiCalls.map((c) => c.endpoint)).toEqual(['inboxInit']);
		expect(state.uploads[publishId].status).toBe('SEND_TO_USER_INBOX');
		expect((await statusFetch(sandbox, token, publishId)).body.data.status).toBe(
			'SEND_TO_USER_INBOX',
		);
		await sleep(100);
		expect(receiver.received).toHaveLength(1);
		expect(sandbox.state.webhookDeliveries).toEqual([
			expect.objectContaining({
				event: 'post.publish.inbox_delivered',
				publishId,
				attempt: 1,
				status: 200,
				signature: 'valid',
			}),
		]);
	});

	test('a status fetch that finishes the task first still sends the event exactly once', async () => {
		sandbox.configure({ processingMs: 0 });
		const token = sandbox.mintToken().access_token;
		const init = await inboxInit(sandbox, token, fileSource(1000));
		const publishId = await uploadAll(init, videoBytes(1000), 1000);
		await statusFetch(sandbox, token, publishId);
		await waitForEvents(1);
		await sleep(100);
		expect(receiver.events()).toEqual(['post.publish.inbox_delivered']);
	});

	test('Direct Post: complete, then publicly_available with the post id as a string', async () => {
		sandbox.configure({ processingMs: 50 });
		const token = sandbox.mintToken().access_token;
		const publishId = await uploadAll(await directFile(token, 1000), videoBytes(1000), 1000);
		await waitForEvents(2);
		expect(receiver.events()).toEqual(['post.publish.complete', 'post.publish.publicly_available']);
		const [complete, available] = receiver.received;
		expect(contentOf(complete)).toEqual({
			publish_id: publishId,
			publish_type: 'DIRECT_PUBLISH',
		});
		const [postId] = rawPostIds((await statusFetch(sandbox, token, publishId)).text);
		expect(postId).toMatch(/^\d{19}$/);
		expect(contentOf(available)).toEqual({
			publish_id: publishId,
			publish_type: 'DIRECT_PUBLISH',
			post_id: postId,
		});
		// In the raw body: a string inside the content string, so no precision is lost.
		expect(available.raw).toContain(`\\"post_id\\":\\"${postId}\\"`);
	});

	test('Direct Post with SELF_ONLY: complete only', async () => {
		sandbox.configure({ processingMs: 0 });
		const token = sandbox.mintToken().access_token;
		await uploadAll(await directFile(token, 10, 'SELF_ONLY'), videoBytes(10), 10);
		await waitForEvents(1);
		await sleep(100);
		expect(receiver.events()).toEqual(['post.publish.complete']);
	});

	test('publishDraft and POST /__sandbox/publish send complete + publicly_available', async () => {
		const token = sandbox.mintToken().access_token;
		const first = (await inboxInit(sandbox, token, fileSource(1000))).body.data.publish_id;
		const [postId] = sandbox.publishDraft(first);
		await waitForEvents(2);
		expect(receiver.events()).toEqual(['post.publish.complete', 'post.publish.publicly_available']);
		expect(contentOf(receiver.received[1])).toEqual({
			publish_id: first,
			publish_type: 'INBOX_SHARE',
			post_id: postId,
		});

		receiver.clear();
		const second = (await inboxInit(sandbox, token, fileSource(1000))).body.data.publish_id;
		const res = await fetch(`${sandbox.apiBaseUrl}/__sandbox/publish`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ publish_id: second }),
		});
		const { postIds } = await res.json();
		await waitForEvents(2);
		expect(contentOf(receiver.received[1])).toMatchObject({
			publish_id: second,
			post_id: postIds[0],
		});
	});

	test('a failed pull sends post.publish.failed with the reason', async () => {
		sandbox.configure({ verifiedDomains: ['127.0.0.1'] });
		const token = sandbox.mintToken().access_token;
		const init = await inboxInit(sandbox, token, {
			source: 'PULL_FROM_URL',
			video_url: media.url('/status/404'),
		});
		await waitForEvents(1);
		expect(receiver.events()).toEqual(['post.publish.failed']);
		expect(contentOf(receiver.received[0])).toEqual({
			publish_id: init.body.data.publish_id,
			reason: 'video_pull_failed',
			publish_type: 'INBOX_SHARE',
		});
	});

	test('webhookDelayMs holds back the first attempt', async () => {
		sandbox.configure({ processingMs: 0, webhookDelayMs: 200 });
		const token = sandbox.mintToken().access_token;
		await uploadAll(await inboxInit(sandbox, token, fileSource(10)), videoBytes(10), 10);
		const done = Date.now();
		await waitForEvents(1);
		expect(receiver.received[0].at - done).toBeGreaterThanOrEqual(180);
	});
});

describe('retries and duplicates', () => {
	test('a 500 is retried with backoff until a 2xx', async () => {
		sandbox.configure({ webhookRetryBaseMs: 50 });
		receiver.statuses.push(500, 503);
		const records = await sandbox.sendWebhookEvent({ event: 'e', content: { a: 1 } });
		expect(records.map((r) => [r.attempt, r.status])).toEqual([
			[1, 500],
			[2, 503],
			[3, 200],
		]);
		const times = receiver.received.map((r) => r.at);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(45);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(95);
		// Each attempt is signed afresh over the same body.
		expect(new Set(receiver.received.map((r) => r.raw)).size).toBe(1);
		for (const { headers, raw } of receiver.received) {
			const [, t, s] = SIGNATURE.exec(headers['tiktok-signature']);
			expect(s).toBe(hmac(sandbox.clientSecret, t, raw));
		}
	});

	test('after webhookRetries re-deliveries the event is dropped', async () => {
		sandbox.configure({ webhookRetries: 1 });
		receiver.statuses.push(500, 500, 500);
		const records = await sandbox.sendWebhookEvent({ event: 'e' });
		expect(records.map((r) => r.status)).toEqual([500, 500]);
	});

	test('a connection error is recorded and retried, and the API keeps working', async () => {
		const closed = await startReceiver();
		await closed.close();
		sandbox.configure({ webhookUrl: closed.url, processingMs: 0 });
		const token = sandbox.mintToken().access_token;
		const publishId = await uploadAll(
			await inboxInit(sandbox, token, fileSource(10)),
			videoBytes(10),
			10,
		);
		const status = await statusFetch(sandbox, token, publishId);
		expect(status.body.data.status).toBe('SEND_TO_USER_INBOX');
		await until(
			() => sandbox.state.webhookDeliveries.filter((r) => r.status === 'error').length === 3,
			'three failed attempts',
		);
		expect(sandbox.state.webhookDeliveries).toEqual(
			[1, 2, 3].map((attempt) =>
				expect.objectContaining({ attempt, status: 'error', error: expect.any(String) }),
			),
		);
	});

	test('webhookDuplicates sends identical copies of every automatic event', async () => {
		sandbox.configure({ processingMs: 0, webhookDuplicates: 2 });
		const token = sandbox.mintToken().access_token;
		await uploadAll(await inboxInit(sandbox, token, fileSource(10)), videoBytes(10), 10);
		await waitForEvents(3);
		await sleep(100);
		expect(receiver.received).toHaveLength(3);
		expect(new Set(receiver.received.map((r) => r.raw)).size).toBe(1);
		expect(sandbox.state.webhookDeliveries.map((r) => r.duplicate)).toEqual([0, 1, 2]);
	});

	test('duplicates on a manual event', async () => {
		const records = await sandbox.sendWebhookEvent({ event: 'e', duplicates: 1 });
		expect(records.map((r) => [r.duplicate, r.status])).toEqual([
			[0, 200],
			[1, 200],
		]);
		expect(receiver.received[0].raw).toBe(receiver.received[1].raw);
	});
});

describe('concurrent copies', () => {
	/** Answers nothing until `count` requests are open at once, then 200 to all of them. */
	async function startGate(count) {
		const open = [];
		const server = createServer((req, res) => {
			const pieces = [];
			req.on('data', (piece) => pieces.push(piece));
			req.on('end', () => {
				open.push({ res, raw: Buffer.concat(pieces).toString('utf8'), headers: req.headers });
				if (open.length === count) for (const request of open) request.res.writeHead(200).end();
			});
		});
		await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
		return {
			url: `http://127.0.0.1:${server.address().port}/webhook`,
			open,
			close() {
				server.closeAllConnections();
				return new Promise((resolve) => server.close(() => resolve()));
			},
		};
	}

	test('concurrentCopies: 5 identical signed requests are open at the same time', async () => {
		// Sent one after the other, the first would wait for an answer that never comes.
		sandbox.configure({ webhookTimeoutMs: 2000, webhookRetries: 0 });
		const gate = await startGate(5);
		try {
			const records = await sandbox.sendWebhookEvent({
				event: 'post.publish.inbox_delivered',
				content: { publish_id: 'v_inbox_file~v2.burst' },
				url: gate.url,
				concurrentCopies: 5,
			});
			expect(records.map((r) => [r.duplicate, r.copy, r.attempt, r.status])).toEqual(
				[0, 1, 2, 3, 4].map((copy) => [0, copy, 1, 200]),
			);
			expect(gate.open).toHaveLength(5);
			expect(new Set(gate.open.map((r) => r.raw)).size).toBe(1);
			for (const { headers, raw } of gate.open) {
				const [, t, s] = SIGNATURE.exec(headers['tiktok-signature']);
				expect(s).toBe(hmac(sandbox.clientSecret, t, raw));
			}
		} finally {
			await gate.close();
		}
	});

	test('with duplicates: each round is a burst, the next round after it', async () => {
		const records = await sandbox.sendWebhookEvent({
			event: 'e',
			duplicates: 1,
			concurrentCopies: 3,
		});
		expect(records.map((r) => [r.duplicate, r.copy, r.status])).toEqual([
			[0, 0, 200],
			[0, 1, 200],
			[0, 2, 200],
			[1, 0, 200],
			[1, 1, 200],
			[1, 2, 200],
		]);
		expect(new Set(receiver.received.map((r) => r.raw)).size).toBe(1);
		const lastOfFirst = Math.max(...records.slice(0, 3).map((r) => r.at));
		expect(records[3].at).toBeGreaterThanOrEqual(lastOfFirst);
	});

	test('each copy is retried on its own', async () => {
		receiver.statuses.push(500);
		const records = await sandbox.sendWebhookEvent({ event: 'e', concurrentCopies: 2 });
		expect(records).toHaveLength(3);
		const byCopy = (copy) => records.filter((r) => r.copy === copy).map((r) => r.status);
		expect([byCopy(0), byCopy(1)].sort()).toEqual([[200], [500, 200]].sort());
	});

	test('the default is one request; records say copy 0', async () => {
		const records = await sandbox.sendWebhookEvent({ event: 'e' });
		expect(records).toEqual([expect.objectContaining({ copy: 0, duplicate: 0, status: 200 })]);
		expect(receiver.received).toHaveLength(1);
	});

	test.each([0, 51, 1.5, '3', null])('concurrentCopies %p is refused', async (value) => {
		await expect(sandbox.sendWebhookEvent({ event: 'e', concurrentCopies: value })).rejects.toThrow(
			/concurrentCopies must be an integer from 1 to 50/,
		);
		expect(receiver.received).toEqual([]);
	});

	test('createTime repeats the very same event in a later send', async () => {
		const event = { event: 'e', content: { publish_id: 'p' }, createTime: 1_795_600_000 };
		await sandbox.sendWebhookEvent(event);
		await sleep(20);
		await sandbox.sendWebhookEvent(event);
		const [first, second] = receiver.received;
		expect(first.body.create_time).toBe(1_795_600_000);
		expect(second.raw).toBe(first.raw);
		await expect(sandbox.sendWebhookEvent({ event: 'e', createTime: 'soon' })).rejects.toThrow(
			/createTime must be a positive integer/,
		);
	});

	test('POST /__sandbox/webhooks/send takes concurrentCopies', async () => {
		const res = await fetch(`${sandbox.apiBaseUrl}/__sandbox/webhooks/send`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ event: 'e', concurrentCopies: 4 }),
		});
		expect(res.status).toBe(200);
		expect((await res.json()).deliveries.map((r) => r.copy)).toEqual([0, 1, 2, 3]);
		expect(receiver.received).toHaveLength(4);
	});
});

describe('authorization.removed', () => {
	test('revokeAuthorization revokes the tokens first, then sends reason 1', async () => {
		const token = sandbox.mintToken();
		const records = await sandbox.revokeAuthorization();
		expect(records).toEqual([expect.objectContaining({ event: 'authorization.removed' })]);
		expect(receiver.received[0].body).toMatchObject({
			event: 'authorization.removed',
			user_openid: sandbox.config.user.open_id,
			content: '{"reason":1}',
		});
		const info = await api(sandbox, 'GET', '/v2/user/info/?fields=open_id', {
			token: token.access_token,
		});
		expect(info.body.error.code).toBe('access_token_invalid');
		const refreshed = await postToken(sandbox, {
			client_key: sandbox.clientKey,
			client_secret: sandbox.clientSecret,
			grant_type: 'refresh_token',
			refresh_token: token.refresh_token,
		});
		expect(refreshed.body.error).toBe('invalid_grant');
	});

	test('without webhookUrl the tokens are still revoked and nothing is sent', async () => {
		sandbox.configure({ webhookUrl: undefined });
		const token = sandbox.mintToken().access_token;
		expect(await sandbox.revokeAuthorization({ reason: 2 })).toEqual([]);
		const info = await api(sandbox, 'GET', '/v2/user/info/?fields=open_id', { token });
		expect(info.body.error.code).toBe('access_token_invalid');
		expect(receiver.received).toEqual([]);
	});
});

describe('control endpoints', () => {
	const control = async (action, body) => {
		const res = await fetch(`${sandbox.apiBaseUrl}/__sandbox/${action}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: res.status, body: await res.json() };
	};

	test('POST /__sandbox/webhooks/send delivers and answers the records', async () => {
		const res = await control('webhooks/send', {
			event: 'authorization.removed',
			content: { reason: 1 },
			signature: 'stale',
		});
		expect(res.status).toBe(200);
		expect(res.body.deliveries).toEqual([
			expect.objectContaining({ event: 'authorization.removed', status: 200, signature: 'stale' }),
		]);
		expect(contentOf(receiver.received[0])).toEqual({ reason: 1 });
		expect((await control('webhooks/send', { event: 'e', signature: 'x' })).status).toBe(400);
	});

	test('POST /__sandbox/webhooks/revoke-authorization revokes and sends the reason', async () => {
		const token = sandbox.mintToken().access_token;
		const res = await control('webhooks/revoke-authorization', { reason: 5 });
		expect(res.status).toBe(200);
		expect(res.body.deliveries).toHaveLength(1);
		expect(contentOf(receiver.received[0])).toEqual({ reason: 5 });
		const info = await api(sandbox, 'GET', '/v2/user/info/?fields=open_id', { token });
		expect(info.body.error.code).toBe('access_token_invalid');
	});

	test('POST /__sandbox/config sets the webhook keys; state never shows the client secret', async () => {
		await control('config', { webhookUrl: receiver.url, webhookDuplicates: 1 });
		expect(sandbox.config).toMatchObject({ webhookUrl: receiver.url, webhookDuplicates: 1 });
		await sandbox.sendWebhookEvent({ event: 'e', signature: 'wrongSecret' });
		const res = await fetch(`${sandbox.apiBaseUrl}/__sandbox/state`);
		const text = await res.text();
		expect(JSON.parse(text).webhookDeliveries).toHaveLength(1);
		expect(text).not.toContain(sandbox.clientSecret);
	});
});

describe('no URL, reset and close', () => {
	test('without webhookUrl nothing is delivered, and tasks still move along', async () => {
		sandbox.configure({ webhookUrl: undefined, processingMs: 0 });
		const token = sandbox.mintToken().access_token;
		const publishId = await uploadAll(
			await inboxInit(sandbox, token, fileSource(10)),
			videoBytes(10),
			10,
		);
		sandbox.publishDraft(publishId);
		await sleep(150);
		expect(receiver.received).toEqual([]);
		expect(sandbox.state.webhookDeliveries).toEqual([]);
	});

	test('a non-http webhookUrl is recorded as an error, never fetched', async () => {
		sandbox.configure({ webhookUrl: 'file:///tmp/hook', processingMs: 0 });
		const token = sandbox.mintToken().access_token;
		await uploadAll(await inboxInit(sandbox, token, fileSource(10)), videoBytes(10), 10);
		await until(() => sandbox.state.webhookDeliveries.length === 1, 'a record');
		expect(sandbox.state.webhookDeliveries[0]).toMatchObject({
			event: 'post.publish.inbox_delivered',
			status: 'error',
		});
	});

	test('reset cancels the processing timer: no event after it', async () => {
		sandbox.configure({ processingMs: 150 });
		const token = sandbox.mintToken().access_token;
		await uploadAll(await inboxInit(sandbox, token, fileSource(10)), videoBytes(10), 10);
		sandbox.reset();
		sandbox.configure({ webhookUrl: receiver.url });
		await sleep(300);
		expect(receiver.received).toEqual([]);
		expect(sandbox.state.webhookDeliveries).toEqual([]);
	});

	test('reset cancels pending re-deliveries', async () => {
		sandbox.configure({ webhookRetryBaseMs: 150 });
		receiver.statuses.push(500);
		const pending = sandbox.sendWebhookEvent({ event: 'e' });
		await waitForEvents(1);
		sandbox.reset();
		const records = await pending;
		expect(records).toHaveLength(1);
		await sleep(300);
		expect(receiver.received).toHaveLength(1);
	});

	test('close with a processing timer and a pending retry does not hang', async () => {
		const other = await startSandbox({
			webhookUrl: receiver.url,
			processingMs: 60_000,
			webhookRetryBaseMs: 60_000,
		});
		const token = other.mintToken().access_token;
		const init = await inboxInit(other, token, fileSource(10));
		await putPlannedChunk(init.body.data.upload_url, videoBytes(10), 10, 0);
		receiver.statuses.push(500);
		const pending = other.sendWebhookEvent({ event: 'e' });
		await waitForEvents(1);
		await other.close();
		expect(await pending).toHaveLength(1);
		await expect(other.sendWebhookEvent({ event: 'e' })).rejects.toThrow(/closed/);
	});
});
