// What TikTok checks later, checked before the upload: the video's own header against TikTok's
// rules and the creator's longest allowed post, photo URLs, the hint for every fail reason, and
// Video → Get for the published post's link. Against the sandbox, with real small video files.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_DIR } from '../../e2e/lib/engine.mjs';
import { PROCESSING_FAIL_REASONS } from '../../sandbox/state.mjs';
import { binaryFromFile } from '../helpers/n8nContext.mjs';
import { UNCAPPED, useSandboxWithMedia } from '../helpers/sandbox.mjs';
import { expectNoSecrets, nodeRunner } from '../helpers/sandboxRun.mjs';
import { writeSampleVideo } from '../../e2e/lib/videos.mjs';

const FIXTURES = join(PACKAGE_DIR, 'test', 'fixtures', 'video');
const fixture = (name, mimeType = 'video/mp4') =>
	binaryFromFile(join(FIXTURES, name), { mimeType, fileName: name });

const { media, sandbox } = useSandboxWithMedia(
	(dir) => {
		for (const name of ['1.jpg', '2.jpg']) writeSampleVideo(dir, name, 50_000);
	},
	{ ...UNCAPPED, processingMs: 50 },
);

const { run } = nodeRunner(() => sandbox);
const initCalls = () => sandbox.state.apiCalls.filter((call) => /Init$/.test(call.endpoint)).length;

const uploadDraft = (binary, options = {}) =>
	run(
		{
			authentication: 'oAuth2',
			resource: 'video',
			operation: 'uploadDraft',
			binaryPropertyName: 'data',
			options,
		},
		{ items: [{ json: {}, binary: { data: binary } }] },
	);

const directPost = (binary, options = {}) =>
	run(
		{
			authentication: 'oAuth2',
			resource: 'video',
			operation: 'directPost',
			binaryPropertyName: 'data',
			privacyLevel: 'PUBLIC_TO_EVERYONE',
			title: 'checked',
			options,
		},
		{ items: [{ json: {}, binary: { data: binary } }] },
	);

describe('the video header, read before anything is sent', () => {
	test.each([
		['h264-faststart.mp4', 'video/mp4', { width: 640, height: 360, frame_rate: 30, codec: 'h264' }],
		['h264-moov-at-end.mp4', 'video/mp4', { width: 640, height: 360, codec: 'h264' }],
		['h264.mov', 'video/quicktime', { width: 640, height: 360, codec: 'h264' }],
		['vp9.webm', 'video/webm', { width: 640, height: 360, codec: 'vp9' }],
		['h265.mp4', 'video/mp4', { codec: 'h265', frame_rate: 24 }],
	])('%s: uploaded, with its facts in the output', async (name, mimeType, facts) => {
		const { items } = await uploadDraft(fixture(name, mimeType));
		const json = items[0].json;
		expect(json).toMatchObject({ ...facts, video_check: 'passed' });
		expect(json.duration_sec).toBeCloseTo(2, 1);
		expect(sandbox.state.uploads[json.publish_id]).toMatchObject({ complete: true });
	});

	test.each([
		['h264-320x240.mp4', /320×240 px; TikTok needs 360–4096 px on both sides/],
		['h264-15fps.mp4', /15 fps; TikTok accepts 23–60 fps/],
		['av1.mp4', /codec is av1; TikTok accepts H\.264, H\.265, VP8 or VP9/],
	])('%s: stopped before init with both numbers and the fix', async (name, message) => {
		const inits = initCalls();
		const error = await uploadDraft(fixture(name)).catch((e) => e);
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(/Nothing was sent to TikTok.*Skip Video Check/);
		expect(initCalls()).toBe(inits);
		expectNoSecrets(error);
	});

	test("database mode (the whole file in one piece): the header read's piece is uploaded, the file is read once", async () => {
		const streamsOpened = [];
		const { items } = await run(
			{
				authentication: 'oAuth2',
				resource: 'video',
				operation: 'uploadDraft',
				binaryPropertyName: 'data',
				options: {},
			},
			{
				items: [
					{
						json: {},
						binary: {
							data: binaryFromFile(join(FIXTURES, 'h264-moov-at-end.mp4'), { mode: 'database' }),
						},
					},
				],
				streamsOpened,
			},
		);
		expect(items[0].json).toMatchObject({ video_check: 'passed', width: 640 });
		expect(streamsOpened).toHaveLength(1);
		const size = statSync(join(FIXTURES, 'h264-moov-at-end.mp4')).size;
		expect(sandbox.state.uploads[items[0].json.publish_id]).toMatchObject({
			complete: true,
			bytesReceived: size,
		});
	});

	test('Skip Video Check uploads a file the check refuses, and says so', async () => {
		const { items } = await uploadDraft(fixture('h264-320x240.mp4'), { skipVideoCheck: true });
		expect(items[0].json).toMatchObject({ video_check: 'skipped (Skip Video Check is on)' });
		expect(items[0].json.width).toBeUndefined();
	});

	test('a file whose header cannot be read is uploaded, and the output says why', async () => {
		const { items } = await uploadDraft(fixture('random.bin'));
		expect(items[0].json.video_check).toMatch(/^incomplete: /);
		expect(sandbox.state.uploads[items[0].json.publish_id]).toMatchObject({ complete: true });
	});

	test("Direct Post: longer than the creator's max_video_post_duration_sec stops before init, naming both", async () => {
		sandbox.configure({ creator: { max_video_post_duration_sec: 1 } });
		try {
			const inits = initCalls();
			const error = await directPost(fixture('h264-faststart.mp4')).catch((e) => e);
			expect(error.message).toMatch(/2(\.\d+)? s long; this creator can post at most 1 s/);
			expect(initCalls()).toBe(inits);
		} finally {
			sandbox.configure({ creator: { max_video_post_duration_sec: 600 } });
		}
	});

	test('Direct Post within the creator limit goes through with the facts', async () => {
		const { items } = await directPost(fixture('h264-faststart.mp4'));
		expect(items[0].json).toMatchObject({ video_check: 'passed', width: 640, height: 360 });
	});
});

describe('the hint for every fail reason TikTok reports after the upload', () => {
	test.each(PROCESSING_FAIL_REASONS.filter((reason) => !reason.startsWith('photo')))(
		'%s: Check Status (waiting) shows the reason and a hint',
		async (failReason) => {
			sandbox.addFault({ target: 'processing', failReason });
			const { items } = await uploadDraft(fixture('h264-faststart.mp4'), {
				waitForCompletion: true,
				pollIntervalSeconds: 2,
				waitTimeoutSeconds: 20,
			});
			expect(items[0].json).toMatchObject({ status: 'FAILED', fail_reason: failReason });
			expect(items[0].json.fail_reason_hint).toEqual(expect.any(String));
		},
	);

	test.each([
		['file_format_check_failed', /JPEG or WebP photos only/],
		['picture_size_check_failed', /at most 1080p and 20 MB per photo/],
	])('photo post failing with %s: a hint about photos, not videos', async (failReason, hint) => {
		sandbox.addFault({ target: 'processing', failReason });
		const { items } = await run({
			authentication: 'oAuth2',
			resource: 'photo',
			operation: 'post',
			postMode: 'draft',
			photoUrls: ['1.jpg', '2.jpg'].map(media.urlOf).join('\n'),
			options: { waitForCompletion: true, pollIntervalSeconds: 2, waitTimeoutSeconds: 20 },
		});
		expect(items[0].json).toMatchObject({ status: 'FAILED', fail_reason: failReason });
		expect(items[0].json.fail_reason_hint).toMatch(hint);
	});
});

describe('photo URLs checked up front', () => {
	test.each([
		[
			'https://media.example.com/a.png',
			/Photo URL 1 is a \.png file; TikTok takes JPEG or WebP photos only/,
		],
		['http://media.example.com/a.jpg', /not an https URL/],
	])('%s is refused before init', async (url, message) => {
		const inits = initCalls();
		const error = await run({
			authentication: 'oAuth2',
			resource: 'photo',
			operation: 'post',
			postMode: 'draft',
			photoUrls: url,
			options: {},
		}).catch((e) => e);
		expect(error.message).toMatch(message);
		expect(initCalls()).toBe(inits);
	});
});

describe('Video → Get', () => {
	test('the published Direct Post by its post id: share link, embed link, title, id as an exact string', async () => {
		const { items } = await directPost(fixture('h264-faststart.mp4'), {
			waitForCompletion: true,
			pollIntervalSeconds: 2,
			waitTimeoutSeconds: 20,
		});
		const [postId] = items[0].json.publicaly_available_post_id;
		expect(postId).toMatch(/^\d{19}$/);
		const got = await run({
			authentication: 'oAuth2',
			resource: 'video',
			operation: 'get',
			videoIds: `${postId}, 1234567890123456789`,
			fields: ['title', 'share_url', 'embed_link'],
		});
		expect(got.items.map((item) => item.json)).toEqual([
			{
				id: postId,
				title: 'checked',
				share_url: expect.stringContaining(postId),
				embed_link: expect.stringContaining(postId),
			},
			expect.objectContaining({ id: '1234567890123456789', found: false }),
		]);
		expect(got.items.every((item) => item.pairedItem.item === 0)).toBe(true);
	});

	test.each([
		['', /Get takes 1 to 20 video IDs, not 0/],
		['abc', /"abc" is not a TikTok video ID/],
		[Array.from({ length: 21 }, (_, i) => String(1000 + i)).join(','), /not 21/],
	])('video ids %j are refused before any call', async (videoIds, message) => {
		const calls = sandbox.state.apiCalls.length;
		const error = await run({
			authentication: 'oAuth2',
			resource: 'video',
			operation: 'get',
			videoIds,
			fields: ['id'],
		}).catch((e) => e);
		expect(error.message).toMatch(message);
		expect(sandbox.state.apiCalls.length).toBe(calls);
	});
});
