// The sandbox's JSON APIs: inbox init rules (docs/tiktok-api.md#inbox-upload, #chunk-rules), per-token rate limits and
// the pending-share cap (docs/tiktok-api.md#usage-caps), status/fetch with exact 19-digit post ids, user info (docs/tiktok-api.md#user-info).
import { useSandbox } from '../helpers/sandbox.mjs';
import { LOG_ID, api, fileSource, inboxInit, putChunk } from './sandboxClient.mjs';

const MB5 = 5_242_880;
const MAX_CHUNK = 64_000_000;
const GIB4 = 4 * 1024 ** 3;

const sandbox = useSandbox({ reset: 'state' });

/** A token with its own rate-limit window. */
const freshToken = (scopes) => sandbox.mintToken(scopes ? { scopes } : {}).access_token;

const statusFetch = (token, publishId) =>
	api(sandbox, 'POST', '/v2/post/publish/status/fetch/', {
		token,
		json: { publish_id: publishId },
	});

function expectEnvelopeError(res, status, code) {
	expect(res.status).toBe(status);
	expect(res.body).toEqual({
		data: {},
		error: { code, message: expect.any(String), log_id: expect.stringMatching(LOG_ID) },
	});
}

describe('inbox init: FILE_UPLOAD chunk rules', () => {
	const accepted = [
		['a 1-byte video as one chunk', fileSource(1)],
		['a 4,194,304-byte video as one chunk (doc example)', fileSource(4_194_304)],
		['a 64,000,000-byte video as one chunk', fileSource(MAX_CHUNK)],
		['the doc example 50,000,123 / 10,000,000 × 5', fileSource(50_000_123, 10_000_000, 5)],
		['chunks of exactly 5,242,880 bytes', fileSource(3 * MB5 + 17, MB5, 3)],
		['chunks of exactly 64,000,000 bytes', fileSource(3 * MAX_CHUNK + 5, MAX_CHUNK, 3)],
		['4 GiB in 64,000,000-byte chunks', fileSource(GIB4, MAX_CHUNK, Math.floor(GIB4 / MAX_CHUNK))],
	];
	test.each(accepted)('accepts %s', async (_name, source) => {
		const res = await inboxInit(sandbox, freshToken(), source);
		expect(res.status).toBe(200);
		expect(res.body.error).toEqual({
			code: 'ok',
			message: '',
			log_id: expect.stringMatching(LOG_ID),
		});
		expect(res.body.data.publish_id).toMatch(/^v_inbox_file~v2\.\d{19}$/);
		const upload = sandbox.state.uploads[res.body.data.publish_id];
		expect(upload).toMatchObject({
			videoSize: source.video_size,
			chunkSize: source.chunk_size,
			totalChunkCount: source.total_chunk_count,
			status: 'PROCESSING_UPLOAD',
			complete: false,
		});
	});

	const rejected = [
		// Single chunk: chunk_size must equal video_size, and at most 64,000,000 bytes.
		['a single chunk with chunk_size > video_size', fileSource(1_000_000, 10_000_000, 1)],
		['a single chunk with chunk_size < video_size', fileSource(15_000_000, 10_000_000, 1)],
		['a single chunk of 64,000,001 bytes', fileSource(MAX_CHUNK + 1)],
		['a single chunk of 100,000,000 bytes', fileSource(100_000_000)],
		// total_chunk_count must be floor(video_size / chunk_size).
		['a ceil() chunk count', fileSource(50_000_123, 10_000_000, 6)],
		['a chunk count one below floor', fileSource(50_000_123, 10_000_000, 4)],
		['a zero chunk count', fileSource(1_000_000, 10_000_000, 0)],
		// Chunk size bounds for multi-chunk uploads.
		['chunks of 5,242,879 bytes', fileSource(3 * MB5, MB5 - 1, 3)],
		['chunks of 4,000,000 bytes', fileSource(20_000_000, 4_000_000, 5)],
		['chunks of 64,000,001 bytes', fileSource(3 * (MAX_CHUNK + 1), MAX_CHUNK + 1, 3)],
		['chunks of 100,000,000 bytes', fileSource(300_000_000, 100_000_000, 3)],
		// Size limit.
		['4 GiB + 1 byte', fileSource(GIB4 + 1, MAX_CHUNK, Math.floor((GIB4 + 1) / MAX_CHUNK))],
		['a zero-byte video', fileSource(0, 0, 1)],
		// Malformed numbers.
		['a string video_size', { ...fileSource(1000), video_size: '1000' }],
		['a fractional chunk_size', fileSource(1000, 999.5, 1)],
		['missing total_chunk_count', { source: 'FILE_UPLOAD', video_size: 1000, chunk_size: 1000 }],
	];
	test.each(rejected)('rejects %s with 400 invalid_params', async (_name, source) => {
		const res = await inboxInit(sandbox, freshToken(), source);
		expectEnvelopeError(res, 400, 'invalid_params');
		expect(Object.keys(sandbox.state.uploads)).toHaveLength(0);
	});

	test('a ceil() count gets "The total chunk count is invalid" (field-observed message)', async () => {
		const res = await inboxInit(sandbox, freshToken(), fileSource(50_000_123, 10_000_000, 6));
		expect(res.body.error.message).toBe('The total chunk count is invalid');
	});

	test('a missing or unknown source is rejected with invalid_params', async () => {
		for (const json of [{}, { source_info: { source: 'CAMERA' } }]) {
			const res = await api(sandbox, 'POST', '/v2/post/publish/inbox/video/init/', {
				token: freshToken(),
				json,
			});
			expectEnvelopeError(res, 400, 'invalid_params');
		}
	});

	test('a non-JSON Content-Type is rejected with invalid_params', async () => {
		const res = await api(sandbox, 'POST', '/v2/post/publish/inbox/video/init/', {
			token: freshToken(),
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		});
		expectEnvelopeError(res, 400, 'invalid_params');
	});

	test('the upload_url points at the separate 127.0.0.1 upload host', async () => {
		const res = await inboxInit(sandbox, freshToken(), fileSource(1000));
		const uploadUrl = new URL(res.body.data.upload_url);
		expect(uploadUrl.origin).toBe(sandbox.uploadBaseUrl);
		expect(uploadUrl.hostname).toBe('127.0.0.1');
		expect(uploadUrl.origin).not.toBe(sandbox.apiBaseUrl);
		expect(uploadUrl.searchParams.get('upload_id')).toBe(res.body.data.publish_id);
		expect(uploadUrl.searchParams.get('upload_token')).toMatch(/^[0-9a-f]{32}$/);
		expect(res.body.data.upload_url.length).toBeLessThanOrEqual(256);
	});
});

describe('inbox init: auth, scope and PULL_FROM_URL', () => {
	test('without a valid token: 401 access_token_invalid', async () => {
		expectEnvelopeError(
			await inboxInit(sandbox, undefined, fileSource(1000)),
			401,
			'access_token_invalid',
		);
		expectEnvelopeError(
			await inboxInit(sandbox, 'act.nope', fileSource(1000)),
			401,
			'access_token_invalid',
		);
	});

	test('without video.upload: 401 scope_not_authorized', async () => {
		const token = freshToken(['user.info.basic', 'video.publish']);
		expectEnvelopeError(
			await inboxInit(sandbox, token, fileSource(1000)),
			401,
			'scope_not_authorized',
		);
	});

	test('PULL_FROM_URL needs an https URL under a verified domain', async () => {
		const source = (url) => ({ source: 'PULL_FROM_URL', video_url: url });
		const token = freshToken();
		expectEnvelopeError(
			await inboxInit(sandbox, token, source('https://cdn.example.com/v.mp4')),
			403,
			'url_ownership_unverified',
		);
		// The sandbox now downloads accepted URLs; a long pullDelayMs keeps this test offline
		// (reset aborts the waiting pull).
		sandbox.configure({ verifiedDomains: ['example.com'], pullDelayMs: 60_000 });
		try {
			expectEnvelopeError(
				await inboxInit(sandbox, token, source('http://cdn.example.com/v.mp4')),
				403,
				'url_ownership_unverified',
			);
			expectEnvelopeError(
				await inboxInit(sandbox, token, source('https://evilexample.com/v.mp4')),
				403,
				'url_ownership_unverified',
			);
			const ok = await inboxInit(sandbox, token, source('https://cdn.example.com/v.mp4'));
			expect(ok.status).toBe(200);
			expect(ok.body.data.publish_id).toMatch(/^v_inbox_url~v2\.\d{19}$/);
			expect(ok.body.data).not.toHaveProperty('upload_url');
		} finally {
			sandbox.configure({ verifiedDomains: [], pullDelayMs: 0 });
		}
	});
});

describe('limits', () => {
	test('inbox init allows 6 requests per minute per access token, then 429', async () => {
		const token = freshToken();
		for (let i = 0; i < 6; i++) {
			const res = await inboxInit(sandbox, token, fileSource(1000 + i));
			expect(res.status).toBe(200);
			// Publish each draft so the pending-share cap does not interfere.
			sandbox.publishDraft(res.body.data.publish_id, 0);
		}
		const limited = await inboxInit(sandbox, token, fileSource(2000));
		expectEnvelopeError(limited, 429, 'rate_limit_exceeded');

		// The window is per token: another token of the same user still gets through.
		const other = await inboxInit(sandbox, freshToken(), fileSource(2000));
		expect(other.status).toBe(200);
	});

	test('rejected requests count toward the rate limit too', async () => {
		const token = freshToken();
		for (let i = 0; i < 6; i++) {
			expect((await inboxInit(sandbox, token, fileSource(1000, 999, 1))).status).toBe(400);
		}
		expectEnvelopeError(
			await inboxInit(sandbox, token, fileSource(1000)),
			429,
			'rate_limit_exceeded',
		);
	});

	test('a sixth pending share within 24 h gets 403 spam_risk_too_many_pending_share', async () => {
		const token = freshToken();
		const ids = [];
		for (let i = 0; i < 5; i++) {
			const res = await inboxInit(sandbox, token, fileSource(1000));
			expect(res.status).toBe(200);
			ids.push(res.body.data.publish_id);
		}
		const sixth = await inboxInit(sandbox, token, fileSource(1000));
		expectEnvelopeError(sixth, 403, 'spam_risk_too_many_pending_share');
		expect(Object.keys(sandbox.state.uploads)).toHaveLength(5);

		// The cap is per user, not per token.
		const otherToken = await inboxInit(sandbox, freshToken(), fileSource(1000));
		expectEnvelopeError(otherToken, 403, 'spam_risk_too_many_pending_share');

		// Once a draft is published it no longer counts as pending.
		sandbox.publishDraft(ids[0], 1);
		expect((await inboxInit(sandbox, freshToken(), fileSource(1000))).status).toBe(200);
	});

	test('an injected 429 fault on inboxInit answers rate_limit_exceeded once', async () => {
		sandbox.addFault({ target: 'inboxInit', kind: 'status', status: 429 });
		const token = freshToken();
		expectEnvelopeError(
			await inboxInit(sandbox, token, fileSource(1000)),
			429,
			'rate_limit_exceeded',
		);
		expect((await inboxInit(sandbox, token, fileSource(1000))).status).toBe(200);
	});
});

describe('status fetch', () => {
	test('reports exact 19-digit post ids as JSON numbers after publishDraft', async () => {
		const token = freshToken();
		const init = await inboxInit(sandbox, token, fileSource(1000));
		const publishId = init.body.data.publish_id;

		const before = await statusFetch(token, publishId);
		expect(before.status).toBe(200);
		expect(before.body.data).toEqual({
			status: 'PROCESSING_UPLOAD',
			publicaly_available_post_id: [],
			uploaded_bytes: 0,
		});
		expect(before.body.error).toEqual({
			code: 'ok',
			message: '',
			log_id: expect.stringMatching(LOG_ID),
		});

		const postIds = sandbox.publishDraft(publishId, 1);
		expect(postIds).toEqual([expect.stringMatching(/^\d{19}$/)]);

		const after = await statusFetch(token, publishId);
		expect(after.body.data.status).toBe('PUBLISH_COMPLETE');
		const raw = /"publicaly_available_post_id":\[([^\]]*)\]/.exec(after.text)?.[1];
		expect(raw).toBe(postIds[0]);
		expect(raw).toMatch(/^\d{19}$/);
		// A plain JSON.parse cannot hold the id: it is above 2^53 and gets rounded.
		expect(BigInt(raw)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
		expect(String(BigInt(after.body.data.publicaly_available_post_id[0]))).not.toBe(raw);
	});

	test('several post ids are all written exactly, in order, without quotes', async () => {
		const token = freshToken();
		const first = (await inboxInit(sandbox, token, fileSource(1000))).body.data.publish_id;
		const second = (await inboxInit(sandbox, token, fileSource(1000))).body.data.publish_id;
		const firstIds = sandbox.publishDraft(first, 1);
		const secondIds = sandbox.publishDraft(second, 2);
		expect(new Set([...firstIds, ...secondIds]).size).toBe(3);

		const { text } = await statusFetch(token, second);
		const raw = /"publicaly_available_post_id":\[([^\]]*)\]/.exec(text)[1];
		expect(raw.split(',')).toEqual(secondIds);
		expect(raw).not.toMatch(/"/);
	});

	test('an inbox upload moves to SEND_TO_USER_INBOX once all bytes arrived and processing ends', async () => {
		sandbox.configure({ processingMs: 0 });
		try {
			const token = freshToken();
			const init = await inboxInit(sandbox, token, fileSource(1000));
			const data = Buffer.alloc(1000, 7);
			const put = await putChunk(init.body.data.upload_url, data, {
				start: 0,
				end: 999,
				total: 1000,
			});
			expect(put.status).toBe(201);
			const { body } = await statusFetch(token, init.body.data.publish_id);
			expect(body.data).toEqual({
				status: 'SEND_TO_USER_INBOX',
				publicaly_available_post_id: [],
				uploaded_bytes: 1000,
			});
		} finally {
			sandbox.configure({ processingMs: 200 });
		}
	});

	test('an unknown publish_id answers 400 invalid_publish_id', async () => {
		const res = await statusFetch(freshToken(), 'v_inbox_file~v2.0000000000000000000');
		expectEnvelopeError(res, 400, 'invalid_publish_id');
	});

	test('another user cannot read the status', async () => {
		const token = freshToken();
		const publishId = (await inboxInit(sandbox, token, fileSource(1000))).body.data.publish_id;
		sandbox.configure({ user: { open_id: 'someone-else' } });
		try {
			const res = await statusFetch(freshToken(), publishId);
			expectEnvelopeError(res, 400, 'token_not_authorized_for_specified_publish_id');
		} finally {
			sandbox.configure({ user: { open_id: 'sandbox-open-id-0001' } });
		}
	});

	test('status fetch allows 30 requests per minute per access token', async () => {
		const token = freshToken();
		const publishId = (await inboxInit(sandbox, token, fileSource(1000))).body.data.publish_id;
		for (let i = 0; i < 30; i++) expect((await statusFetch(token, publishId)).status).toBe(200);
		expectEnvelopeError(await statusFetch(token, publishId), 429, 'rate_limit_exceeded');
	});
});

describe('GET /v2/user/info/', () => {
	test('returns only the requested fields', async () => {
		const token = freshToken(['user.info.basic']);
		const res = await api(sandbox, 'GET', '/v2/user/info/?fields=open_id,display_name', { token });
		expect(res.status).toBe(200);
		expect(res.body.data).toEqual({
			user: {
				open_id: sandbox.config.user.open_id,
				display_name: sandbox.config.user.display_name,
			},
		});
		expect(res.body.error.code).toBe('ok');
	});

	test('fields is required', async () => {
		const res = await api(sandbox, 'GET', '/v2/user/info/', { token: freshToken() });
		expectEnvelopeError(res, 400, 'invalid_params');
	});

	test('a field whose scope was not granted is refused without data', async () => {
		const token = freshToken(['user.info.basic']);
		const res = await api(sandbox, 'GET', '/v2/user/info/?fields=open_id,follower_count', {
			token,
		});
		expect(res.status).toBeGreaterThanOrEqual(400);
		expect(['scope_not_authorized', 'scope_permission_missed']).toContain(res.body.error.code);
		expect(res.body.data).toEqual({});
	});

	test('a token without any user.info scope gets scope_not_authorized', async () => {
		const token = freshToken(['video.upload']);
		const res = await api(sandbox, 'GET', '/v2/user/info/?fields=open_id', { token });
		expectEnvelopeError(res, 401, 'scope_not_authorized');
	});
});
