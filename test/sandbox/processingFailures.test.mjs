// Processing that fails after TikTok accepted the upload (TikTok reports media that breaks its
// rules later, as the status fetch's fail_reason, not at init): a processing fault
// (sandbox/state.mjs) lets every chunk in or every URL download finish, then the task ends FAILED
// with the chosen fail_reason once processingMs has passed — for FILE_UPLOAD and PULL_FROM_URL
// videos, inbox drafts, Direct Posts and photo posts, with post.publish.failed pushed to the
// webhook. Also: a creator whose max_video_post_duration_sec is small.
import { createServer } from 'node:http';
import { PROCESSING_FAIL_REASONS } from '../../sandbox/state.mjs';
import { startSandbox } from '../../sandbox/server.mjs';
import {
	cancelPublish,
	contentInit,
	creatorInfo,
	directInit,
	expectEnvelopeError,
	expectOk,
	rawPostIds,
	settled,
	sleep,
	statusFetch,
	waitForUpload,
	usePostingSandbox,
} from './postingClient.mjs';
import { fileSource, inboxInit, putPlannedChunk, sha256, videoBytes } from './sandboxClient.mjs';

const MB5 = 5_242_880;

const { sandbox, media, token } = usePostingSandbox();
const pullSource = (url) => ({ source: 'PULL_FROM_URL', video_url: url });
const publicPost = (extra = {}) => ({ privacy_level: 'PUBLIC_TO_EVERYONE', ...extra });

async function control(action, body) {
	const res = await fetch(`${sandbox.apiBaseUrl}/__sandbox/${action}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: res.status, body: await res.json() };
}

/** Sends every chunk of `data` (chunk plan `chunkSize`) to the init's upload_url; the statuses. */
async function uploadAll(init, data, chunkSize = data.length) {
	const statuses = [];
	const count = Math.floor(data.length / chunkSize);
	for (let index = 0; index < count; index++)
		statuses.push(
			(await putPlannedChunk(init.body.data.upload_url, data, chunkSize, index)).status,
		);
	return statuses;
}

/** An inbox FILE_UPLOAD of `data` in one chunk; returns the publish id once all bytes are in. */
async function inboxFile(t, data) {
	const init = await inboxInit(sandbox, t, fileSource(data.length));
	expectOk(init);
	expect(await uploadAll(init, data)).toEqual([201]);
	return init.body.data.publish_id;
}

describe('a processing fault fails the task after the upload was accepted', () => {
	test('FILE_UPLOAD inbox draft: every chunk accepted, PROCESSING_UPLOAD, then FAILED with the reason', async () => {
		sandbox.configure({ processingMs: 300 });
		sandbox.addFault({ target: 'processing', failReason: 'duration_check_failed' });
		const t = token();
		const data = videoBytes(2 * MB5 + 100, 3);
		const init = await inboxInit(sandbox, t, fileSource(data.length, MB5));
		expectOk(init);
		const publishId = init.body.data.publish_id;
		expect(sandbox.state.uploads[publishId].failAfterProcessing).toBe('duration_check_failed');

		expect((await putPlannedChunk(init.body.data.upload_url, data, MB5, 0)).status).toBe(206);
		expect((await statusFetch(sandbox, t, publishId)).body.data).toEqual({
			status: 'PROCESSING_UPLOAD',
			publicaly_available_post_id: [],
			uploaded_bytes: MB5,
		});
		expect((await putPlannedChunk(init.body.data.upload_url, data, MB5, 1)).status).toBe(201);
		const processing = await statusFetch(sandbox, t, publishId);
		expect(processing.body.data.status).toBe('PROCESSING_UPLOAD');
		expect(processing.body.data).not.toHaveProperty('fail_reason');

		await sleep(350);
		const failed = await statusFetch(sandbox, t, publishId);
		expectOk(failed);
		expect(failed.body.data).toEqual({
			status: 'FAILED',
			fail_reason: 'duration_check_failed',
			publicaly_available_post_id: [],
			uploaded_bytes: data.length,
		});
		expect(sandbox.state.uploads[publishId]).toMatchObject({
			status: 'FAILED',
			failReason: 'duration_check_failed',
			complete: true,
			bytesReceived: data.length,
			sha256: sha256(data),
			ranges: [`0-${MB5 - 1}`, `${MB5}-${data.length - 1}`],
		});
	});

	test.each(PROCESSING_FAIL_REASONS)(
		'POST /__sandbox/faults accepts %s and status fetch reports it',
		async (failReason) => {
			expect(await control('faults', { target: 'processing', failReason })).toEqual({
				status: 200,
				body: { ok: true },
			});
			const t = token();
			const publishId = await inboxFile(t, videoBytes(1000, 1));
			const res = await statusFetch(sandbox, t, publishId);
			expect(res.body.data).toEqual({
				status: 'FAILED',
				fail_reason: failReason,
				publicaly_available_post_id: [],
				uploaded_bytes: 1000,
			});
		},
	);

	test('every fail_reason TikTok documents for status fetch, and only those', () => {
		expect(PROCESSING_FAIL_REASONS).toEqual([
			'file_format_check_failed',
			'duration_check_failed',
			'frame_rate_check_failed',
			'picture_size_check_failed',
			'internal',
			'video_pull_failed',
			'photo_pull_failed',
			'publish_cancelled',
			'auth_removed',
			'spam_risk_too_many_posts',
			'spam_risk_user_banned_from_posting',
			'spam_risk_text',
			'spam_risk',
		]);
	});

	test('Direct Post FILE_UPLOAD: FAILED instead of PUBLISH_COMPLETE, no post id, not counted for the daily cap', async () => {
		sandbox.configure({ maxPostsPerDay: 1 });
		sandbox.addFault({ target: 'processing', failReason: 'spam_risk_text' });
		const t = token();
		const data = videoBytes(1000, 2);
		const init = await directInit(sandbox, t, {
			post_info: publicPost({ title: 'buy now' }),
			source_info: fileSource(1000),
		});
		expectOk(init);
		expect(await uploadAll(init, data)).toEqual([201]);
		const res = await statusFetch(sandbox, t, init.body.data.publish_id);
		expect(res.body.data).toEqual({
			status: 'FAILED',
			fail_reason: 'spam_risk_text',
			publicaly_available_post_id: [],
			uploaded_bytes: 1000,
		});
		expect(rawPostIds(res.text)).toEqual([]);
		expect(sandbox.state.publishedVideos).toEqual([]);
		// A failed post does not use up the creator's daily posts.
		expectOk(await creatorInfo(sandbox, t));
	});

	test('PULL_FROM_URL Direct Post: the URL is downloaded in full, then FAILED', async () => {
		const data = videoBytes(300_000, 4);
		const url = `${media.add('checked.mp4', data)}?X-Signature=abc`;
		// Matched by video_url, compared without the query.
		sandbox.addFault({
			target: 'processing',
			failReason: 'frame_rate_check_failed',
			videoUrl: url.split('?')[0],
		});
		const t = token();
		const init = await directInit(sandbox, t, {
			post_info: publicPost(),
			source_info: pullSource(url),
		});
		expectOk(init);
		const publishId = init.body.data.publish_id;
		const upload = await waitForUpload(sandbox, publishId, settled);
		expect(upload).toMatchObject({
			status: 'FAILED',
			failReason: 'frame_rate_check_failed',
			complete: true,
			downloadedBytes: data.length,
			sha256: sha256(data),
		});
		expect((await statusFetch(sandbox, t, publishId)).body.data).toEqual({
			status: 'FAILED',
			fail_reason: 'frame_rate_check_failed',
			publicaly_available_post_id: [],
			downloaded_bytes: data.length,
		});
	});

	test('PULL_FROM_URL inbox draft: downloaded, then FAILED with file_format_check_failed', async () => {
		const data = videoBytes(50_000, 5);
		sandbox.addFault({ target: 'processing', failReason: 'file_format_check_failed' });
		const t = token();
		const init = await inboxInit(sandbox, t, pullSource(media.add('format.mov', data)));
		expectOk(init);
		const upload = await waitForUpload(sandbox, init.body.data.publish_id, settled);
		expect(upload).toMatchObject({
			mode: 'inbox',
			status: 'FAILED',
			failReason: 'file_format_check_failed',
			downloadedBytes: data.length,
		});
	});

	test('photo posts (Direct Post and MEDIA_UPLOAD): every photo downloaded, then FAILED', async () => {
		const photos = [1, 2, 3].map((n) => media.add(`p${n}.webp`, videoBytes(1000 + n, n)));
		sandbox.addFault({
			target: 'processing',
			failReason: 'picture_size_check_failed',
			photoUrl: photos[1],
			times: 2,
		});
		const t = token();
		const ids = [];
		for (const mode of ['DIRECT_POST', 'MEDIA_UPLOAD']) {
			const res = await contentInit(sandbox, t, {
				media_type: 'PHOTO',
				post_mode: mode,
				post_info: mode === 'DIRECT_POST' ? publicPost({ title: 'photos' }) : {},
				source_info: { source: 'PULL_FROM_URL', photo_cover_index: 0, photo_images: photos },
			});
			expectOk(res);
			ids.push(res.body.data.publish_id);
		}
		for (const publishId of ids) {
			const upload = await waitForUpload(sandbox, publishId, settled);
			expect(upload).toMatchObject({
				mediaType: 'PHOTO',
				status: 'FAILED',
				failReason: 'picture_size_check_failed',
				downloadedBytes: 1001 + 1002 + 1003,
			});
			expect(upload.pulls.every((pull) => pull.sha256)).toBe(true);
			expect((await statusFetch(sandbox, t, publishId)).body.data).toMatchObject({
				status: 'FAILED',
				fail_reason: 'picture_size_check_failed',
			});
		}
	});
});

describe('which task takes a processing fault', () => {
	test('the next one by default; times: 2 fails two uploads, the third goes through', async () => {
		sandbox.addFault({ target: 'processing', failReason: 'internal', times: 2 });
		const t = token();
		const statuses = [];
		for (let i = 0; i < 3; i++) {
			const publishId = await inboxFile(t, videoBytes(1000, i));
			statuses.push((await statusFetch(sandbox, t, publishId)).body.data.status);
		}
		expect(statuses).toEqual(['FAILED', 'FAILED', 'SEND_TO_USER_INBOX']);
	});

	test('videoSize: only the FILE_UPLOAD of that declared size; others pass it by', async () => {
		sandbox.addFault({ target: 'processing', failReason: 'spam_risk', videoSize: 2000 });
		const t = token();
		const other = await inboxFile(t, videoBytes(1000, 1));
		const pulled = await inboxInit(
			sandbox,
			t,
			pullSource(media.add('size.mp4', Buffer.alloc(2000))),
		);
		const matched = await inboxFile(t, videoBytes(2000, 2));
		await waitForUpload(sandbox, pulled.body.data.publish_id, settled);
		expect((await statusFetch(sandbox, t, other)).body.data.status).toBe('SEND_TO_USER_INBOX');
		expect(sandbox.state.uploads[pulled.body.data.publish_id].status).toBe('SEND_TO_USER_INBOX');
		expect((await statusFetch(sandbox, t, matched)).body.data).toMatchObject({
			status: 'FAILED',
			fail_reason: 'spam_risk',
		});
	});

	test('videoUrl and photoUrl match only their own kind of task', async () => {
		const url = media.add('kind.webp', videoBytes(500, 1));
		sandbox.addFault({ target: 'processing', failReason: 'spam_risk', videoUrl: url });
		const t = token();
		const photo = await contentInit(sandbox, t, {
			media_type: 'PHOTO',
			post_mode: 'MEDIA_UPLOAD',
			source_info: { source: 'PULL_FROM_URL', photo_cover_index: 0, photo_images: [url] },
		});
		expect(await waitForUpload(sandbox, photo.body.data.publish_id, settled)).toMatchObject({
			status: 'SEND_TO_USER_INBOX',
		});
		const video = await inboxInit(sandbox, t, pullSource(url));
		expect(await waitForUpload(sandbox, video.body.data.publish_id, settled)).toMatchObject({
			status: 'FAILED',
			failReason: 'spam_risk',
		});
	});

	test('a refused init leaves the fault for the next accepted one', async () => {
		sandbox.addFault({ target: 'processing', failReason: 'auth_removed' });
		const t = token();
		expectEnvelopeError(
			await inboxInit(sandbox, t, { source: 'FILE_UPLOAD', video_size: 1000 }),
			400,
			'invalid_params',
		);
		expectEnvelopeError(
			await directInit(sandbox, t, { post_info: {}, source_info: fileSource(1000) }),
			403,
			'privacy_level_option_mismatch',
		);
		expect(sandbox.state.tasksPerVideo).toEqual({});
		const publishId = await inboxFile(t, videoBytes(1000, 1));
		expect((await statusFetch(sandbox, t, publishId)).body.data.fail_reason).toBe('auth_removed');
	});

	test('an upload that never completes stays PROCESSING_UPLOAD', async () => {
		sandbox.addFault({ target: 'processing', failReason: 'internal' });
		const t = token();
		const data = videoBytes(2 * MB5, 6);
		const init = await inboxInit(sandbox, t, fileSource(data.length, MB5));
		await putPlannedChunk(init.body.data.upload_url, data, MB5, 0);
		await sleep(20);
		expect((await statusFetch(sandbox, t, init.body.data.publish_id)).body.data.status).toBe(
			'PROCESSING_UPLOAD',
		);
	});

	test('a pull that fails keeps video_pull_failed; a cancel keeps publish_cancelled', async () => {
		sandbox.addFault({ target: 'processing', failReason: 'spam_risk_text', times: 2 });
		const t = token();
		const broken = await inboxInit(sandbox, t, pullSource(media.url('/status/404')));
		expect(await waitForUpload(sandbox, broken.body.data.publish_id, settled)).toMatchObject({
			status: 'FAILED',
			failReason: 'video_pull_failed',
		});
		sandbox.configure({ pullDelayMs: 5000 });
		const slow = await inboxInit(sandbox, t, pullSource(media.add('c.mp4', Buffer.alloc(10))));
		expectOk(await cancelPublish(sandbox, t, slow.body.data.publish_id));
		expect((await statusFetch(sandbox, t, slow.body.data.publish_id)).body.data).toMatchObject({
			status: 'FAILED',
			fail_reason: 'publish_cancelled',
		});
	});

	test('reset and faults/clear drop processing faults not yet taken', async () => {
		const t = token();
		sandbox.addFault({ target: 'processing', failReason: 'internal' });
		sandbox.clearFaults();
		expect(
			(await statusFetch(sandbox, t, await inboxFile(t, videoBytes(1000, 1)))).body.data.status,
		).toBe('SEND_TO_USER_INBOX');
		expect(await control('faults', { target: 'processing', failReason: 'internal' })).toMatchObject(
			{
				status: 200,
			},
		);
		sandbox.reset();
		sandbox.configure({ processingMs: 0 });
		const t2 = token();
		expect(
			(await statusFetch(sandbox, t2, await inboxFile(t2, videoBytes(1000, 2)))).body.data.status,
		).toBe('SEND_TO_USER_INBOX');
	});
});

describe('processing faults the sandbox cannot honour are refused', () => {
	test.each([
		[{ target: 'processing' }, /failReason must be one of/],
		[{ target: 'processing', failReason: 'too_blurry' }, /failReason must be one of/],
		[{ target: 'processing', failReason: 'FAILED' }, /failReason must be one of/],
		[{ target: 'processing', failReason: 'internal', when: 'afterEffect' }, /no `when`/],
		[{ target: 'processing', failReason: 'internal', videoSize: 0 }, /videoSize/],
		[{ target: 'processing', failReason: 'internal', videoSize: '1000' }, /videoSize/],
		[{ target: 'processing', failReason: 'internal', videoUrl: 'not a url' }, /videoUrl/],
		[
			{ target: 'processing', failReason: 'internal', videoSize: 1000, videoUrl: 'https://a.b/c' },
			/at most one/,
		],
		[{ target: 'processing', failReason: 'internal', times: 0 }, /times/],
	])('%j', async (fault, message) => {
		expect(() => sandbox.addFault(fault)).toThrow(message);
		const res = await control('faults', fault);
		expect(res.status).toBe(400);
		expect(res.body.error).toMatch(message);
		// Nothing was stored: the next upload goes through.
		const t = token();
		expect(
			(await statusFetch(sandbox, t, await inboxFile(t, videoBytes(1000, 1)))).body.data.status,
		).toBe('SEND_TO_USER_INBOX');
	});
});

describe('webhooks', () => {
	let receiver;

	beforeAll(async () => {
		const received = [];
		const server = createServer((req, res) => {
			let raw = '';
			req.on('data', (piece) => (raw += piece));
			req.on('end', () => {
				received.push(JSON.parse(raw));
				res.writeHead(200).end();
			});
		});
		await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
		receiver = {
			url: `http://127.0.0.1:${server.address().port}/hook`,
			received,
			close: () => {
				server.closeAllConnections();
				return new Promise((resolve) => server.close(resolve));
			},
		};
	});

	afterAll(() => receiver.close());

	test('post.publish.failed carries the reason, pushed without anyone polling', async () => {
		receiver.received.length = 0;
		sandbox.configure({ webhookUrl: receiver.url, processingMs: 100 });
		sandbox.addFault({ target: 'processing', failReason: 'spam_risk_user_banned_from_posting' });
		const init = await directInit(sandbox, token(), {
			post_info: publicPost(),
			source_info: fileSource(1000),
		});
		expect(await uploadAll(init, videoBytes(1000, 7))).toEqual([201]);
		const deadline = Date.now() + 5000;
		while (receiver.received.length === 0 && Date.now() < deadline) await sleep(10);
		await sleep(50);
		expect(receiver.received.map((body) => [body.event, JSON.parse(body.content)])).toEqual([
			[
				'post.publish.failed',
				{
					publish_id: init.body.data.publish_id,
					reason: 'spam_risk_user_banned_from_posting',
					publish_type: 'DIRECT_PUBLISH',
				},
			],
		]);
		// Only the sandbox's own inspection and the webhook: no status fetch made it fail.
		expect(sandbox.state.apiCalls.map((call) => call.endpoint)).toEqual(['directPostInit']);
	});
});

describe('a creator with a small max_video_post_duration_sec', () => {
	test('POST /__sandbox/config sets it; creator info returns it, the other fields unchanged', async () => {
		const before = (await creatorInfo(sandbox, token())).body.data;
		expect(before.max_video_post_duration_sec).toBe(600);
		expect(await control('config', { creator: { max_video_post_duration_sec: 15 } })).toEqual({
			status: 200,
			body: { ok: true },
		});
		const res = await creatorInfo(sandbox, token());
		expectOk(res);
		expect(res.body.data).toEqual({ ...before, max_video_post_duration_sec: 15 });
	});

	test('startSandbox({ creator }) sets it from the start', async () => {
		const other = await startSandbox({ creator: { max_video_post_duration_sec: 3 } });
		try {
			const res = await creatorInfo(other, other.mintToken().access_token);
			expect(res.body.data).toMatchObject({
				max_video_post_duration_sec: 3,
				creator_username: 'sandbox.creator',
			});
		} finally {
			await other.close();
		}
	});

	test('a too-long video is not refused at init (FILE_UPLOAD declares only its size); processing fails it', async () => {
		sandbox.configure({ creator: { max_video_post_duration_sec: 15 } });
		sandbox.addFault({ target: 'processing', failReason: 'duration_check_failed' });
		const t = token();
		const init = await directInit(sandbox, t, {
			post_info: publicPost(),
			source_info: fileSource(1000),
		});
		expectOk(init);
		expect(await uploadAll(init, videoBytes(1000, 8))).toEqual([201]);
		expect((await statusFetch(sandbox, t, init.body.data.publish_id)).body.data).toMatchObject({
			status: 'FAILED',
			fail_reason: 'duration_check_failed',
		});
	});
});
