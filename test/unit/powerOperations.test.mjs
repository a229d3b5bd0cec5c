// Direct Post, Upload Draft from URL, photo posts, Wait for Completion, Cancel, Get Many and Get
// Creator Info against the sandbox (which pulls URLs from a local https media server).
import { binaryFromFile } from '../helpers/n8nContext.mjs';
import { useSandboxWithMedia } from '../helpers/sandbox.mjs';
import { expectNoSecrets, nodeRunner } from '../helpers/sandboxRun.mjs';
import { writeSampleVideo } from '../../e2e/lib/videos.mjs';

const FAST_WAIT = { waitForCompletion: true, pollIntervalSeconds: 2, waitTimeoutSeconds: 30 };
const DEFAULTS = {
	processingMs: 50,
	maxPendingShares: 1000,
	maxPostsPerDay: 1000,
	pullDelayMs: 0,
	creator: { comment_disabled: false, privateAccount: false, cannotPostCode: undefined },
};

let clip;
let multi;

const { media, sandbox } = useSandboxWithMedia(
	(dir) => {
		clip = writeSampleVideo(dir, 'clip.mp4', 3_000_000);
		multi = writeSampleVideo(dir, 'multi.mp4', 70_000_123);
		for (const name of ['1.jpg', '2.jpg', '3.jpg']) writeSampleVideo(dir, name, 50_000);
	},
	{
		...DEFAULTS,
		rateLimits: {
			inboxInit: 1000,
			directPostInit: 1000,
			contentInit: 1000,
			statusFetch: 1000,
			creatorInfo: 1000,
		},
	},
);

afterEach(() => sandbox.configure(DEFAULTS));

const { connectedCredential, run, loadOptions } = nodeRunner(() => sandbox);
const calls = (endpoint) =>
	sandbox.state.apiCalls.filter((call) => call.endpoint === endpoint).length;
const directPost = (extra = {}, binary = binaryFromFile(multi.path)) =>
	run(
		{
			authentication: 'oAuth2',
			resource: 'video',
			operation: 'directPost',
			videoSource: 'binary',
			binaryPropertyName: 'data',
			privacyLevel: 'PUBLIC_TO_EVERYONE',
			title: 'A #cat on @tiktok 😀',
			options: {},
			...extra,
		},
		{ items: [{ json: {}, binary: { data: binary } }] },
	);

describe('Direct Post', () => {
	test('from a binary, multi-chunk, waiting: published with exact 19-digit post ids', async () => {
		const { items } = await directPost({
			options: { chunkSize: 10, allowComment: true, isAiGenerated: true, ...FAST_WAIT },
		});
		const json = items[0].json;
		expect(json).toMatchObject({
			status: 'PUBLISH_COMPLETE',
			total_chunk_count: 7,
			privacy_level: 'PUBLIC_TO_EVERYONE',
			creator_nickname: 'Sandbox Creator',
		});
		expect(json.publish_id).toMatch(/^v_pub_file~/);
		expect(json.publicaly_available_post_id[0]).toMatch(/^\d{19}$/);
		expect(sandbox.state.uploads[json.publish_id]).toMatchObject({
			complete: true,
			sha256: multi.sha256,
		});
		expectNoSecrets(items);
	});

	test('from a URL: TikTok pulls it, byte-exact', async () => {
		const { items } = await directPost({
			videoSource: 'url',
			videoUrl: media.urlOf('clip.mp4'),
			options: FAST_WAIT,
		});
		expect(items[0].json).toMatchObject({
			status: 'PUBLISH_COMPLETE',
			downloaded_bytes: clip.size,
			video_url: media.urlOf('clip.mp4'),
		});
		expect(sandbox.state.uploads[items[0].json.publish_id]).toMatchObject({ sha256: clip.sha256 });
	});

	test.each([
		[
			'a privacy level the creator does not offer',
			{ privacyLevel: 'FOLLOWER_OF_CREATOR' },
			{},
			/not offered by Sandbox Creator/,
			/Pick one of: PUBLIC_TO_EVERYONE/,
		],
		[
			'comments the creator turned off',
			{ options: { allowComment: true } },
			{ creator: { comment_disabled: true } },
			/turned off comments/,
			/Allow comments/,
		],
		[
			'branded content as Only Me',
			{ privacyLevel: 'SELF_ONLY', options: { brandContent: true } },
			{},
			/Branded content cannot be private/,
			/paid partnership/,
		],
		[
			'a creator who cannot post now (HTTP 200 code)',
			{},
			{ creator: { cannotPostCode: 'spam_risk_too_many_posts' } },
			/spam_risk_too_many_posts/,
			/daily posting limit/,
		],
	])('refuses %s before any upload', async (_name, parameters, config, message, fix) => {
		sandbox.configure(config);
		const inits = calls('directPostInit');
		const error = await directPost(parameters).catch((e) => e);
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(fix);
		expect(calls('directPostInit')).toBe(inits);
	});

	test('without the video.publish scope: scope_not_authorized names the scope', async () => {
		const credentials = await connectedCredential(['user.info.basic', 'video.upload']);
		const error = await run(
			{
				authentication: 'oAuth2',
				resource: 'video',
				operation: 'directPost',
				videoSource: 'url',
				videoUrl: media.urlOf('clip.mp4'),
				privacyLevel: 'SELF_ONLY',
				options: {},
			},
			{ credentials },
		).catch((e) => e);
		expect(error.message).toMatch(/scope_not_authorized.*needs scope video\.publish/);
	});
});

describe('Upload Draft from URL', () => {
	test('waits until the draft is in the inbox; downloaded bytes and hash match', async () => {
		const { items } = await run({
			authentication: 'oAuth2',
			resource: 'video',
			operation: 'uploadDraft',
			videoSource: 'url',
			videoUrl: media.urlOf('clip.mp4'),
			options: FAST_WAIT,
		});
		expect(items[0].json).toMatchObject({
			status: 'SEND_TO_USER_INBOX',
			downloaded_bytes: clip.size,
		});
		expect(items[0].json.publish_id).toMatch(/^v_inbox_url~/);
		expect(sandbox.state.uploads[items[0].json.publish_id]).toMatchObject({ sha256: clip.sha256 });
	});

	test('an unverified domain: url_ownership_unverified with the fix', async () => {
		const error = await run({
			authentication: 'oAuth2',
			resource: 'video',
			operation: 'uploadDraft',
			videoSource: 'url',
			videoUrl: 'https://elsewhere.example.com/a.mp4',
			options: {},
		}).catch((e) => e);
		expect(error.message).toMatch(/url_ownership_unverified/);
		expect(error.description).toMatch(/Verify it in the TikTok developer portal/);
	});

	test('a URL that fails to download: Wait for Completion returns FAILED with the reason explained', async () => {
		const { items } = await run({
			authentication: 'oAuth2',
			resource: 'video',
			operation: 'uploadDraft',
			videoSource: 'url',
			videoUrl: media.urlOf('missing.mp4'),
			options: FAST_WAIT,
		});
		expect(items[0].json).toMatchObject({
			status: 'FAILED',
			fail_reason: 'video_pull_failed',
			fail_reason_hint: expect.stringMatching(/could not download/),
		});
	});
});

describe('Wait for Completion', () => {
	const waitingUpload = () =>
		run(
			{
				authentication: 'oAuth2',
				resource: 'video',
				operation: 'uploadDraft',
				videoSource: 'binary',
				binaryPropertyName: 'data',
				options: { waitForCompletion: true, pollIntervalSeconds: 2, waitTimeoutSeconds: 3 },
			},
			{ items: [{ json: {}, binary: { data: binaryFromFile(clip.path) } }] },
		);

	test('a timeout after the upload keeps the item: the upload output plus wait_error naming the publish id', async () => {
		sandbox.configure({ processingMs: 60_000 });
		const { items } = await waitingUpload();
		const json = items[0].json;
		expect(json).toMatchObject({ publish_id: expect.stringMatching(/^v_inbox_file~/) });
		expect(json.wait_error).toBe(
			`The status of publish ID ${json.publish_id} is still PROCESSING_UPLOAD after 3 s`,
		);
		expect(json.status_hint).toMatch(/only waiting for its result failed.*do not upload it again/);
		expect(sandbox.state.uploads[json.publish_id]).toMatchObject({ complete: true });
	});

	test('status checks failing on every try after the upload: one task, the item returned with wait_error', async () => {
		sandbox.configure({ processingMs: 50 });
		sandbox.addFault({ target: 'statusFetch', kind: 'status', status: 500, times: 1000 });
		const tasks = Object.keys(sandbox.state.uploads).length;
		const { items } = await waitingUpload().finally(() => sandbox.clearFaults());
		expect(items[0].json.wait_error).toMatch(/is not readable \(TikTok error "internal_error"/);
		expect(Object.keys(sandbox.state.uploads).length - tasks).toBe(1);
		expect(sandbox.state.uploads[items[0].json.publish_id]).toMatchObject({ complete: true });
	});
});

describe('Photo → Post', () => {
	test.each([
		['draft', 'draft', {}, /^p_inbox_url~/, 'SEND_TO_USER_INBOX'],
		['Direct Post', 'directPost', { privacyLevel: 'SELF_ONLY' }, /^p_pub_url~/, 'PUBLISH_COMPLETE'],
	])(
		'%s of three photos with the second as cover',
		async (_name, postMode, extra, idPattern, finalStatus) => {
			const { items } = await run({
				authentication: 'oAuth2',
				resource: 'photo',
				operation: 'post',
				postMode,
				photoUrls: ['1.jpg', '2.jpg', '3.jpg'].map(media.urlOf).join('\n'),
				coverIndex: 1,
				title: 'Three',
				description: 'Photos #sandbox',
				options: FAST_WAIT,
				...extra,
			});
			expect(items[0].json).toMatchObject({ photo_count: 3, status: finalStatus });
			expect(items[0].json.publish_id).toMatch(idPattern);
		},
	);
});

describe('Cancel', () => {
	test('cancels a URL upload still downloading; the status then says publish_cancelled', async () => {
		sandbox.configure({ pullDelayMs: 5000 });
		const started = await run({
			authentication: 'oAuth2',
			resource: 'video',
			operation: 'uploadDraft',
			videoSource: 'url',
			videoUrl: media.urlOf('clip.mp4'),
			options: {},
		});
		const publishId = started.items[0].json.publish_id;
		const { items } = await run({
			authentication: 'oAuth2',
			resource: 'video',
			operation: 'cancel',
			publishId,
		});
		expect(items[0].json).toEqual({ publish_id: publishId, cancelled: true });
		const status = await run({
			authentication: 'oAuth2',
			resource: 'video',
			operation: 'checkStatus',
			publishId,
			options: {},
		});
		expect(status.items[0].json).toMatchObject({
			status: 'FAILED',
			fail_reason: 'publish_cancelled',
		});
	});

	test('a file upload cannot be cancelled: publish_not_cancellable explained', async () => {
		const { items } = await run(
			{
				authentication: 'oAuth2',
				resource: 'video',
				operation: 'uploadDraft',
				videoSource: 'binary',
				binaryPropertyName: 'data',
				options: {},
			},
			{ items: [{ json: {}, binary: { data: binaryFromFile(clip.path) } }] },
		);
		const error = await run({
			authentication: 'oAuth2',
			resource: 'video',
			operation: 'cancel',
			publishId: items[0].json.publish_id,
		}).catch((e) => e);
		expect(error.message).toMatch(/publish_not_cancellable/);
		expect(error.description).toMatch(/still downloading/);
	});
});

describe('Get Many videos and Get Creator Info', () => {
	test('Return All follows the cursor over 3 pages; ids are exact 19-digit strings', async () => {
		const { items } = await run({
			authentication: 'oAuth2',
			resource: 'video',
			operation: 'getMany',
			fields: ['id', 'title', 'create_time'],
			returnAll: true,
		});
		expect(items).toHaveLength(45);
		expect(new Set(items.map((item) => item.json.id)).size).toBe(45);
		expect(items.every((item) => /^\d{19}$/.test(item.json.id))).toBe(true);
		expect(Object.keys(items[0].json).sort()).toEqual(['create_time', 'id', 'title']);
		expect(calls('videoList')).toBeGreaterThanOrEqual(3);
	});

	test('a limit of 25 returns 25', async () => {
		const { items } = await run({
			authentication: 'oAuth2',
			resource: 'video',
			operation: 'getMany',
			fields: ['id'],
			returnAll: false,
			limit: 25,
		});
		expect(items).toHaveLength(25);
	});

	test('Get Creator Info: the privacy options and switches of a private account', async () => {
		sandbox.configure({ creator: { privateAccount: true } });
		const { items } = await run({
			authentication: 'oAuth2',
			resource: 'user',
			operation: 'getCreatorInfo',
		});
		expect(items[0].json).toMatchObject({
			creator_nickname: 'Sandbox Creator',
			privacy_level_options: ['FOLLOWER_OF_CREATOR', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'],
			duet_disabled: true,
			stitch_disabled: true,
		});
	});
});

describe('Privacy Level list (loadOptions: the editor, outside any execution)', () => {
	const ALL_FOUR = [
		'PUBLIC_TO_EVERYONE',
		'MUTUAL_FOLLOW_FRIENDS',
		'FOLLOWER_OF_CREATOR',
		'SELF_ONLY',
	];

	test("the creator's levels, in TikTok's order, with the editor's labels", async () => {
		sandbox.configure({ creator: { privateAccount: true } });
		const before = calls('creatorInfo');
		const options = await loadOptions('getPrivacyLevels', { authentication: 'oAuth2' });
		expect(options).toEqual([
			{ name: 'Followers', value: 'FOLLOWER_OF_CREATOR' },
			{ name: 'Friends (Mutual Followers)', value: 'MUTUAL_FOLLOW_FRIENDS' },
			{ name: 'Only Me', value: 'SELF_ONLY' },
		]);
		expect(calls('creatorInfo') - before).toBe(1);
	});

	test('an expired token is refreshed there too (no execution id, no cancel signal)', async () => {
		const refreshes = () =>
			sandbox.state.tokenRequests.filter((r) => r.grant_type === 'refresh_token' && r.ok).length;
		const credentials = await connectedCredential();
		sandbox.expireAccessTokens();
		const before = refreshes();
		const options = await loadOptions('getPrivacyLevels', {}, { credentials });
		// A public account's three, not the fallback's four: creator info was read.
		expect(options.map((option) => option.value)).toEqual([
			'PUBLIC_TO_EVERYONE',
			'MUTUAL_FOLLOW_FRIENDS',
			'SELF_ONLY',
		]);
		expect(refreshes() - before).toBe(1);
	});

	test('all four when creator info cannot be read (the post checks again)', async () => {
		sandbox.configure({ creator: { cannotPostCode: 'spam_risk_too_many_posts' } });
		const options = await loadOptions('getPrivacyLevels', { authentication: 'oAuth2' });
		expect(options.map((option) => option.value)).toEqual(ALL_FOUR);
	});
});
