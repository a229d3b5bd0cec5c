// Faults with `when: 'afterEffect'`: TikTok acted (task created, pull started, chunk committed) and
// the answer was lost, as a 5xx or a connection reset. Also API resets before the effect, status
// fetch failing N times, fault validation and the tasksPerVideo view.
import {
	contentInit,
	directInit,
	expectEnvelopeError,
	expectOk,
	statusFetch,
	waitForUpload,
	usePostingSandbox,
} from './postingClient.mjs';
import {
	fileSource,
	inboxInit,
	putChunk,
	putPlannedChunk,
	sha256,
	videoBytes,
} from './sandboxClient.mjs';

const MB5 = 5_242_880;

const { sandbox, media, token } = usePostingSandbox();
let twoChunks; // 11,000,000 bytes: chunks of MB5 and 5,757,120

beforeAll(async () => {
	twoChunks = videoBytes(11_000_000, 4);
});

/** The API answer, or 'reset' when the connection closed without one. */
async function answerOrReset(request) {
	try {
		return await request;
	} catch (error) {
		// undici's TypeError comes from another realm than jest's, so it is matched by message.
		if (error?.message === 'fetch failed') return 'reset';
		throw error;
	}
}

const lastCall = (endpoint) => sandbox.state.apiCalls.filter((c) => c.endpoint === endpoint).at(-1);

/**
 * Each init path: how to call it for a fresh medium, its fault target, and the tasksPerVideo key.
 * URLs carry a query, as signed URLs do; the key leaves it out.
 */
const INIT_PATHS = [
	{
		name: 'inbox FILE_UPLOAD',
		target: 'inboxInit',
		init: (t, size) => inboxInit(sandbox, t, fileSource(size)),
		key: (size) => `size:${size}`,
	},
	{
		name: 'inbox PULL_FROM_URL',
		target: 'inboxInit',
		pull: true,
		init: (t, url) => inboxInit(sandbox, t, { source: 'PULL_FROM_URL', video_url: url }),
		key: (url) => `url:${url.split('?')[0]}`,
	},
	{
		name: 'Direct Post FILE_UPLOAD',
		target: 'directPostInit',
		init: (t, size) =>
			directInit(sandbox, t, {
				post_info: { privacy_level: 'SELF_ONLY' },
				source_info: fileSource(size),
			}),
		key: (size) => `size:${size}`,
	},
	{
		name: 'Direct Post PULL_FROM_URL',
		target: 'directPostInit',
		pull: true,
		init: (t, url) =>
			directInit(sandbox, t, {
				post_info: { privacy_level: 'SELF_ONLY' },
				source_info: { source: 'PULL_FROM_URL', video_url: url },
			}),
		key: (url) => `url:${url.split('?')[0]}`,
	},
	{
		name: 'photo DIRECT_POST',
		target: 'contentInit',
		pull: true,
		init: (t, url) => contentInit(sandbox, t, photoBody('DIRECT_POST', url)),
		key: (url) => `photos:${url.split('?')[0]},${secondPhoto.split('?')[0]}`,
	},
	{
		name: 'photo MEDIA_UPLOAD',
		target: 'contentInit',
		pull: true,
		init: (t, url) => contentInit(sandbox, t, photoBody('MEDIA_UPLOAD', url)),
		key: (url) => `photos:${url.split('?')[0]},${secondPhoto.split('?')[0]}`,
	},
];

let secondPhoto;
function photoBody(mode, firstUrl) {
	secondPhoto ??= `${media.add('second.webp', videoBytes(2000, 9))}?sig=abc`;
	return {
		post_info: mode === 'DIRECT_POST' ? { privacy_level: 'SELF_ONLY' } : {},
		source_info: {
			source: 'PULL_FROM_URL',
			photo_cover_index: 0,
			photo_images: [firstUrl, secondPhoto],
		},
		post_mode: mode,
		media_type: 'PHOTO',
	};
}

let mediaCount = 0;
/** A fresh medium for a path: a video size, or a URL (with a query) on the media server. */
function freshMedium(path) {
	mediaCount++;
	if (!path.pull) return 1000 + mediaCount;
	return `${media.add(`m${mediaCount}.mp4`, videoBytes(3000 + mediaCount, mediaCount))}?sig=s${mediaCount}`;
}

describe.each(INIT_PATHS)('$name: afterEffect faults on init', (path) => {
	test('status 500: the client sees internal_error, the task exists once and runs', async () => {
		sandbox.addFault({ target: path.target, kind: 'status', status: 500, when: 'afterEffect' });
		const medium = freshMedium(path);
		const res = await path.init(token(), medium);
		expectEnvelopeError(res, 500, 'internal_error');

		const state = sandbox.state;
		expect(state.tasksPerVideo).toEqual({ [path.key(medium)]: 1 });
		const call = lastCall(path.target);
		expect(call).toMatchObject({ status: 500, code: 'internal_error', afterEffect: true });
		expect(Object.keys(state.uploads)).toEqual([call.publishId]);
		if (path.pull) {
			const upload = await waitForUpload(sandbox, call.publishId, (u) => u.complete);
			expect(upload.pulls.every((pull) => pull.sha256)).toBe(true);
		} else {
			expect(state.uploads[call.publishId]).toMatchObject({ status: 'PROCESSING_UPLOAD' });
		}
	});

	test('reset: the connection closes without an answer, the task exists once and runs', async () => {
		sandbox.addFault({ target: path.target, kind: 'reset', when: 'afterEffect' });
		const medium = freshMedium(path);
		expect(await answerOrReset(path.init(token(), medium))).toBe('reset');

		const state = sandbox.state;
		expect(state.tasksPerVideo).toEqual({ [path.key(medium)]: 1 });
		const call = lastCall(path.target);
		expect(call).toMatchObject({ status: 'reset', afterEffect: true });
		expect(Object.keys(state.uploads)).toEqual([call.publishId]);
		if (path.pull) await waitForUpload(sandbox, call.publishId, (u) => u.complete);

		// A client that retries the init creates a second task for the same medium.
		expectOk(await path.init(token(), medium));
		expect(sandbox.state.tasksPerVideo).toEqual({ [path.key(medium)]: 2 });
	});
});

describe('API faults: where they strike', () => {
	test('an afterEffect fault waits for a successful answer: a refused init leaves it', async () => {
		sandbox.addFault({ target: 'inboxInit', kind: 'status', status: 503, when: 'afterEffect' });
		const t = token();
		expectEnvelopeError(await inboxInit(sandbox, t, fileSource(0)), 400, 'invalid_params');
		expect(sandbox.state.uploads).toEqual({});
		expectEnvelopeError(await inboxInit(sandbox, t, fileSource(1000)), 503, 'internal_error');
		expect(sandbox.state.tasksPerVideo).toEqual({ 'size:1000': 1 });
		expectOk(await inboxInit(sandbox, t, fileSource(1000)));
		expect(sandbox.state.tasksPerVideo).toEqual({ 'size:1000': 2 });
	});

	test('an afterEffect 429 carries rate_limit_exceeded and Retry-After, after the task exists', async () => {
		sandbox.addFault({
			target: 'inboxInit',
			kind: 'status',
			status: 429,
			retryAfterSeconds: 3,
			when: 'afterEffect',
		});
		const res = await fetch(`${sandbox.apiBaseUrl}/v2/post/publish/inbox/video/init/`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token()}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ source_info: fileSource(1000) }),
		});
		expect(res.status).toBe(429);
		expect(res.headers.get('retry-after')).toBe('3');
		expect((await res.json()).error.code).toBe('rate_limit_exceeded');
		expect(sandbox.state.tasksPerVideo).toEqual({ 'size:1000': 1 });
	});

	test('a reset before the effect creates nothing; the next call works', async () => {
		const url = `${media.add('before.mp4', videoBytes(2000, 7))}?sig=x`;
		sandbox.addFault({ target: 'inboxInit', kind: 'reset' });
		sandbox.addFault({ target: 'contentInit', kind: 'reset' });
		const t = token();
		const source = { source: 'PULL_FROM_URL', video_url: url };
		expect(await answerOrReset(inboxInit(sandbox, t, source))).toBe('reset');
		expect(await answerOrReset(contentInit(sandbox, t, photoBody('DIRECT_POST', url)))).toBe(
			'reset',
		);
		const state = sandbox.state;
		expect(state.uploads).toEqual({});
		expect(state.tasksPerVideo).toEqual({});
		expect(media.requests.filter((r) => r.path === '/files/before.mp4')).toEqual([]);
		expect(state.apiCalls.map((c) => [c.endpoint, c.status, c.afterEffect])).toEqual([
			['inboxInit', 'reset', undefined],
			['contentInit', 'reset', undefined],
		]);

		expectOk(await inboxInit(sandbox, t, source));
		expect(sandbox.state.tasksPerVideo).toEqual({ [`url:${url.split('?')[0]}`]: 1 });
	});

	test('a status 503 before the effect creates nothing', async () => {
		sandbox.addFault({ target: 'directPostInit', kind: 'status', status: 503 });
		const res = await directInit(sandbox, token(), {
			post_info: { privacy_level: 'SELF_ONLY' },
			source_info: fileSource(1000),
		});
		expectEnvelopeError(res, 503, 'internal_error');
		expect(sandbox.state.tasksPerVideo).toEqual({});
	});
});

describe('status fetch failing N times', () => {
	async function fileTask(t) {
		const res = await inboxInit(sandbox, t, fileSource(1000));
		expectOk(res);
		return res.body.data.publish_id;
	}

	test('reset 3 times, then the status', async () => {
		const t = token();
		const publishId = await fileTask(t);
		sandbox.addFault({ target: 'statusFetch', kind: 'reset', times: 3 });
		for (let i = 0; i < 3; i++)
			expect(await answerOrReset(statusFetch(sandbox, t, publishId))).toBe('reset');
		const res = await statusFetch(sandbox, t, publishId);
		expectOk(res);
		expect(res.body.data.status).toBe('PROCESSING_UPLOAD');
		expect(sandbox.state.apiCalls.map((c) => c.status)).toEqual([
			200,
			'reset',
			'reset',
			'reset',
			200,
		]);
	});

	test('status 500 twice, then the status', async () => {
		const t = token();
		const publishId = await fileTask(t);
		sandbox.addFault({ target: 'statusFetch', kind: 'status', status: 500, times: 2 });
		for (let i = 0; i < 2; i++)
			expectEnvelopeError(await statusFetch(sandbox, t, publishId), 500, 'internal_error');
		expectOk(await statusFetch(sandbox, t, publishId));
	});

	test('an afterEffect fault replaces the raw status answer too', async () => {
		const t = token();
		const publishId = await fileTask(t);
		sandbox.addFault({ target: 'statusFetch', kind: 'status', status: 502, when: 'afterEffect' });
		expectEnvelopeError(await statusFetch(sandbox, t, publishId), 502, 'internal_error');
		expect(lastCall('statusFetch')).toMatchObject({ status: 502, afterEffect: true });
		expectOk(await statusFetch(sandbox, t, publishId));
	});
});

describe('afterEffect faults on chunks', () => {
	async function start(data, chunkSize = data.length) {
		const res = await inboxInit(sandbox, token(), fileSource(data.length, chunkSize));
		expectOk(res);
		return { publishId: res.body.data.publish_id, uploadUrl: res.body.data.upload_url };
	}
	const uploadOf = (publishId) => sandbox.state.uploads[publishId];

	test.each([
		['status 503', { kind: 'status', status: 503 }, 503],
		['reset', { kind: 'reset' }, 'reset'],
	])(
		'final chunk, %s: the upload is complete and hashed; a repeated PUT gets 416 already complete',
		async (_name, fault, seen) => {
			const { publishId, uploadUrl } = await start(twoChunks, MB5);
			sandbox.addFault({ target: 'chunk', chunkIndex: 1, when: 'afterEffect', ...fault });
			expect((await putPlannedChunk(uploadUrl, twoChunks, MB5, 0)).status).toBe(206);
			const last = answerOrReset(putPlannedChunk(uploadUrl, twoChunks, MB5, 1));
			expect(await last.then((res) => (res === 'reset' ? res : res.status))).toBe(seen);

			expect(uploadOf(publishId)).toMatchObject({
				complete: true,
				bytesReceived: twoChunks.length,
				sha256: sha256(twoChunks),
				ranges: [`0-${MB5 - 1}`, `${MB5}-${twoChunks.length - 1}`],
			});
			expect(uploadOf(publishId).puts.map((p) => [p.status, p.afterEffect])).toEqual([
				[206, undefined],
				[seen, true],
			]);
			// Processing started: with processingMs 0 the draft is on its way to the inbox.
			expect(uploadOf(publishId).status).toBe('SEND_TO_USER_INBOX');

			const again = await putPlannedChunk(uploadUrl, twoChunks, MB5, 1);
			expect(again.status).toBe(416);
			expect(again.text).toBe('The upload is already complete.');
			expect(uploadOf(publishId).sha256).toBe(sha256(twoChunks));
		},
	);

	test.each([
		['status 503', { kind: 'status', status: 503 }, 503],
		['reset', { kind: 'reset' }, 'reset'],
	])(
		'non-final chunk, %s: the chunk is committed; repeating it gets 416, the next one 201',
		async (_name, fault, seen) => {
			const { publishId, uploadUrl } = await start(twoChunks, MB5);
			sandbox.addFault({ target: 'chunk', chunkIndex: 0, when: 'afterEffect', ...fault });
			const first = await answerOrReset(putPlannedChunk(uploadUrl, twoChunks, MB5, 0));
			expect(first === 'reset' ? first : first.status).toBe(seen);
			expect(uploadOf(publishId)).toMatchObject({ bytesReceived: MB5, complete: false });

			const again = await putPlannedChunk(uploadUrl, twoChunks, MB5, 0);
			expect(again.status).toBe(416);
			expect(again.text).toBe('Content-Range does not match the upload progress.');
			expect((await putPlannedChunk(uploadUrl, twoChunks, MB5, 1)).status).toBe(201);
			expect(uploadOf(publishId).sha256).toBe(sha256(twoChunks));
			expect(uploadOf(publishId).puts.map((p) => p.status)).toEqual([seen, 416, 201]);
		},
	);

	test('a single-chunk upload: 503 after the effect, complete with the right sha256', async () => {
		const data = videoBytes(4096, 6);
		const { publishId, uploadUrl } = await start(data);
		sandbox.addFault({ target: 'chunk', kind: 'status', status: 503, when: 'afterEffect' });
		const range = { start: 0, end: 4095, total: 4096 };
		expect((await putChunk(uploadUrl, data, range)).status).toBe(503);
		expect(uploadOf(publishId)).toMatchObject({ complete: true, sha256: sha256(data) });
		expect((await putChunk(uploadUrl, data, range)).text).toBe('The upload is already complete.');
	});

	test('a refused PUT does not use up an afterEffect chunk fault', async () => {
		const data = videoBytes(1000, 8);
		const { publishId, uploadUrl } = await start(data);
		sandbox.addFault({ target: 'chunk', chunkIndex: 0, kind: 'reset', when: 'afterEffect' });
		const range = { start: 0, end: 999, total: 1000 };
		const refused = await putChunk(uploadUrl, data, { ...range, contentType: 'image/png' });
		expect(refused.status).toBe(400);
		expect(await answerOrReset(putChunk(uploadUrl, data, range))).toBe('reset');
		expect(uploadOf(publishId)).toMatchObject({ complete: true, sha256: sha256(data) });
	});

	test('the first committed chunk fixes the Content-Type even when its answer was lost', async () => {
		const { uploadUrl } = await start(twoChunks, MB5);
		sandbox.addFault({ target: 'chunk', chunkIndex: 0, kind: 'reset', when: 'afterEffect' });
		expect(await answerOrReset(putPlannedChunk(uploadUrl, twoChunks, MB5, 0))).toBe('reset');
		const changed = await putPlannedChunk(uploadUrl, twoChunks, MB5, 1, {
			contentType: 'video/webm',
		});
		expect(changed.status).toBe(400);
		expect((await putPlannedChunk(uploadUrl, twoChunks, MB5, 1)).status).toBe(201);
	});
});

describe('fault validation', () => {
	test.each([
		[{ target: 'inboxInit', kind: 'status', status: 500, when: 'later' }, /fault.when/],
		[{ target: 'token', kind: 'status', status: 503, when: 'afterEffect' }, /before the effect/],
		[{ target: 'chunk', kind: 'expired', when: 'afterEffect' }, /'status' or 'reset'/],
		[{ target: 'inboxInit', kind: 'status' }, /integer status/],
	])('%j is refused', (fault, message) => {
		expect(() => sandbox.addFault(fault)).toThrow(message);
		expect(sandbox.state.apiCalls).toEqual([]);
	});

	test("'beforeEffect' spelled out is today's default", async () => {
		sandbox.addFault({ target: 'inboxInit', kind: 'status', status: 503, when: 'beforeEffect' });
		expectEnvelopeError(await inboxInit(sandbox, token(), fileSource(1000)), 503, 'internal_error');
		expect(sandbox.state.tasksPerVideo).toEqual({});
	});
});

describe('tasksPerVideo', () => {
	test('counts tasks per medium across flows and is the same over GET /__sandbox/state', async () => {
		const t = token();
		const url = `${media.add('count.mp4', videoBytes(2500, 3))}?X-Signature=secret`;
		expectOk(await inboxInit(sandbox, t, fileSource(1000)));
		expectOk(await inboxInit(sandbox, t, fileSource(1000)));
		expectOk(await inboxInit(sandbox, t, { source: 'PULL_FROM_URL', video_url: url }));
		const res = await fetch(`${sandbox.apiBaseUrl}/__sandbox/state`);
		const text = await res.text();
		const expected = { 'size:1000': 2, [`url:${url.split('?')[0]}`]: 1 };
		expect(JSON.parse(text).tasksPerVideo).toEqual(expected);
		expect(sandbox.state.tasksPerVideo).toEqual(expected);
		expect(text).not.toContain('X-Signature=secret');
	});
});
