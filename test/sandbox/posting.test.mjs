// Creator info (docs/tiktok-api.md#creator-info) and Direct Post of videos (#direct-post, #usage-caps, #direct-post-rules): option sets of
// public and private accounts, the "can't post now" codes on HTTP 200, post_info rules, the
// unaudited-client rules, FILE_UPLOAD through the upload host, caps and rate limits.
import { useSandbox } from '../helpers/sandbox.mjs';
import {
	PRIVATE_OPTIONS,
	PUBLIC_OPTIONS,
	creatorInfo,
	directInit,
	expectEnvelopeError,
	expectOk,
	freshToken,
	rawPostIds,
	statusFetch,
	waitForUpload,
	settled,
} from './postingClient.mjs';
import {
	LOG_ID,
	fileSource,
	inboxInit,
	putPlannedChunk,
	sha256,
	videoBytes,
} from './sandboxClient.mjs';

const CANNOT_POST = [
	'spam_risk_too_many_posts',
	'spam_risk_user_banned_from_posting',
	'reached_active_user_cap',
];

const sandbox = useSandbox({ reset: 'config', configure: { processingMs: 0 } });
const token = (scopes) => freshToken(sandbox, scopes);

const postInfo = (extra = {}) => ({ privacy_level: 'PUBLIC_TO_EVERYONE', ...extra });
const fileDirect = (extra = {}, source = fileSource(1000)) => ({
	post_info: postInfo(extra),
	source_info: source,
});

describe('POST /v2/post/publish/creator_info/query/', () => {
	test('a public account: the documented fields and option set, HTTP 200 ok', async () => {
		const res = await creatorInfo(sandbox, token());
		expectOk(res);
		expect(res.body.data).toEqual({
			creator_avatar_url: expect.stringMatching(/^https:\/\//),
			creator_username: 'sandbox.creator',
			creator_nickname: 'Sandbox Creator',
			privacy_level_options: PUBLIC_OPTIONS,
			comment_disabled: false,
			duet_disabled: false,
			stitch_disabled: false,
			max_video_post_duration_sec: 600,
		});
	});

	test('takes no body: an empty POST without Content-Type and a `{}` body both work', async () => {
		const empty = await creatorInfo(sandbox, token());
		expectOk(empty);
		const withBody = await creatorInfo(sandbox, token(), { json: {} });
		expectOk(withBody);
		expect(withBody.body.data).toEqual(empty.body.data);
	});

	test('a private account: FOLLOWER_OF_CREATOR options, duet and stitch disabled', async () => {
		sandbox.configure({ creator: { privateAccount: true } });
		const res = await creatorInfo(sandbox, token());
		expectOk(res);
		expect(res.body.data.privacy_level_options).toEqual(PRIVATE_OPTIONS);
		expect(res.body.data.duet_disabled).toBe(true);
		expect(res.body.data.stitch_disabled).toBe(true);
		expect(res.body.data.comment_disabled).toBe(false);
		// The rest of the creator config is untouched by the partial patch.
		expect(res.body.data.creator_nickname).toBe('Sandbox Creator');
	});

	test('interaction switches, maximum duration and names come from config.creator', async () => {
		sandbox.configure({
			creator: {
				comment_disabled: true,
				stitch_disabled: true,
				max_video_post_duration_sec: 300,
				creator_nickname: 'Other Nick',
			},
		});
		const { body } = await creatorInfo(sandbox, token());
		expect(body.data).toMatchObject({
			comment_disabled: true,
			duet_disabled: false,
			stitch_disabled: true,
			max_video_post_duration_sec: 300,
			creator_nickname: 'Other Nick',
			creator_username: 'sandbox.creator',
		});
	});

	test.each(CANNOT_POST)(
		'cannotPostCode %s is answered with HTTP 200 and no data',
		async (code) => {
			sandbox.configure({ creator: { cannotPostCode: code } });
			const res = await creatorInfo(sandbox, token());
			expect(res.status).toBe(200);
			expect(res.body).toEqual({
				data: {},
				error: { code, message: expect.any(String), log_id: expect.stringMatching(LOG_ID) },
			});
		},
	);

	test('once the daily post cap is reached it answers spam_risk_too_many_posts on 200', async () => {
		sandbox.configure({ maxPostsPerDay: 1 });
		expectOk(await directInit(sandbox, token(), fileDirect()));
		const res = await creatorInfo(sandbox, token());
		expect(res.status).toBe(200);
		expect(res.body.error.code).toBe('spam_risk_too_many_posts');
	});

	test('needs a token (401 access_token_invalid) with video.publish (401 scope_not_authorized)', async () => {
		expectEnvelopeError(await creatorInfo(sandbox, undefined), 401, 'access_token_invalid');
		expectEnvelopeError(
			await creatorInfo(sandbox, token(['video.upload', 'user.info.basic'])),
			401,
			'scope_not_authorized',
		);
		expectOk(await creatorInfo(sandbox, token(['video.publish'])));
	});

	test('allows 20 requests per minute per access token, then 429 rate_limit_exceeded', async () => {
		const t = token();
		for (let i = 0; i < 20; i++) expectOk(await creatorInfo(sandbox, t));
		expectEnvelopeError(await creatorInfo(sandbox, t), 429, 'rate_limit_exceeded');
		expectOk(await creatorInfo(sandbox, token()));
		expect(sandbox.state.apiCalls.at(-2)).toMatchObject({
			endpoint: 'creatorInfo',
			status: 429,
			code: 'rate_limit_exceeded',
		});
	});
});

describe('POST /v2/post/publish/video/init/ with FILE_UPLOAD', () => {
	test('returns a v_pub_file publish id and an upload_url on the upload host', async () => {
		const res = await directInit(sandbox, token(), fileDirect());
		expectOk(res);
		expect(res.body.data.publish_id).toMatch(/^v_pub_file~v2\.\d{19}$/);
		const uploadUrl = new URL(res.body.data.upload_url);
		expect(uploadUrl.origin).toBe(sandbox.uploadBaseUrl);
		expect(uploadUrl.searchParams.get('upload_id')).toBe(res.body.data.publish_id);
		expect(sandbox.state.uploads[res.body.data.publish_id]).toMatchObject({
			mode: 'direct',
			mediaType: 'VIDEO',
			source: 'FILE_UPLOAD',
			status: 'PROCESSING_UPLOAD',
			postInfo: { privacy_level: 'PUBLIC_TO_EVERYONE' },
		});
	});

	test('an uploaded public post ends PUBLISH_COMPLETE with one raw 19-digit post id', async () => {
		const t = token();
		const data = videoBytes(12_000_000, 3);
		const chunk = 5_242_880;
		const init = await directInit(
			sandbox,
			t,
			fileDirect({ title: 'hello #sandbox' }, fileSource(data.length, chunk)),
		);
		const { publish_id: publishId, upload_url: uploadUrl } = init.body.data;
		sandbox.configure({ processingMs: 100 });

		expect((await putPlannedChunk(uploadUrl, data, chunk, 0)).status).toBe(206);
		const midway = await statusFetch(sandbox, t, publishId);
		expect(midway.body.data).toEqual({
			status: 'PROCESSING_UPLOAD',
			publicaly_available_post_id: [],
			uploaded_bytes: chunk,
		});
		expect((await putPlannedChunk(uploadUrl, data, chunk, 1)).status).toBe(201);
		// Still processing right after the last byte …
		expect((await statusFetch(sandbox, t, publishId)).body.data.status).toBe('PROCESSING_UPLOAD');
		// … then posted, not sent to the inbox.
		await waitForUpload(sandbox, publishId, settled);
		const done = await statusFetch(sandbox, t, publishId);
		expect(done.body.data.status).toBe('PUBLISH_COMPLETE');
		expect(done.body.data.uploaded_bytes).toBe(data.length);
		const ids = rawPostIds(done.text);
		expect(ids).toHaveLength(1);
		expect(ids[0]).toMatch(/^\d{19}$/);
		expect(done.text).toContain(`"publicaly_available_post_id":[${ids[0]}]`);
		expect(BigInt(ids[0])).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
		expect(sandbox.state.uploads[publishId]).toMatchObject({
			sha256: sha256(data),
			postIds: ids,
			status: 'PUBLISH_COMPLETE',
		});
	});

	test('post ids come from the same sequence as inbox drafts published by publishDraft', async () => {
		const t = token();
		const draft = (await inboxInit(sandbox, t, fileSource(10))).body.data.publish_id;
		const [draftId] = sandbox.publishDraft(draft, 1);
		const init = await directInit(sandbox, t, fileDirect({}, fileSource(10)));
		await putPlannedChunk(init.body.data.upload_url, Buffer.alloc(10, 1), 10, 0);
		await waitForUpload(sandbox, init.body.data.publish_id, settled);
		const ids = rawPostIds((await statusFetch(sandbox, t, init.body.data.publish_id)).text);
		expect(BigInt(ids[0])).toBe(BigInt(draftId) + 1n);
	});

	test.each([
		['SELF_ONLY', []],
		['MUTUAL_FOLLOW_FRIENDS', [expect.stringMatching(/^\d{19}$/)]],
	])('privacy %s: PUBLISH_COMPLETE with the expected post ids', async (privacy, expected) => {
		const t = token();
		const init = await directInit(
			sandbox,
			t,
			fileDirect({ privacy_level: privacy }, fileSource(10)),
		);
		await putPlannedChunk(init.body.data.upload_url, Buffer.alloc(10, 2), 10, 0);
		await waitForUpload(sandbox, init.body.data.publish_id, settled);
		const res = await statusFetch(sandbox, t, init.body.data.publish_id);
		expect(res.body.data.status).toBe('PUBLISH_COMPLETE');
		expect(rawPostIds(res.text)).toEqual(expected);
	});

	test('the FILE_UPLOAD chunk rules of inbox init apply', async () => {
		const res = await directInit(
			sandbox,
			token(),
			fileDirect({}, fileSource(50_000_123, 10_000_000, 6)),
		);
		expectEnvelopeError(res, 400, 'invalid_params', 'The total chunk count is invalid');
		expect(sandbox.state.uploads).toEqual({});
	});

	test('a missing or unknown source answers 400 "The request source info is empty or incorrect"', async () => {
		for (const source_info of [undefined, {}, { source: 'CAMERA' }, { source: 'PULL_FROM_URL' }]) {
			const res = await directInit(sandbox, token(), { post_info: postInfo(), source_info });
			expectEnvelopeError(
				res,
				400,
				'invalid_params',
				'The request source info is empty or incorrect',
			);
		}
	});

	test('needs video.publish: a video.upload-only token gets 401 scope_not_authorized', async () => {
		expectEnvelopeError(
			await directInit(sandbox, token(['video.upload']), fileDirect()),
			401,
			'scope_not_authorized',
		);
		expectOk(await directInit(sandbox, token(['video.publish']), fileDirect()));
	});

	test('allows 6 requests per minute per access token (directPostInit), then 429', async () => {
		expect(sandbox.config.rateLimits.directPostInit).toBe(6);
		const t = token();
		for (let i = 0; i < 6; i++) expectOk(await directInit(sandbox, t, fileDirect()));
		expectEnvelopeError(await directInit(sandbox, t, fileDirect()), 429, 'rate_limit_exceeded');
		expect(sandbox.state.apiCalls.at(-1).endpoint).toBe('directPostInit');
	});
});

describe('Direct Post post_info rules', () => {
	test.each([
		['absent post_info', undefined],
		['no privacy_level', {}],
		['an unknown privacy_level', { privacy_level: 'FRIENDS' }],
		['a non-string privacy_level', { privacy_level: ['SELF_ONLY'] }],
		['FOLLOWER_OF_CREATOR on a public account', { privacy_level: 'FOLLOWER_OF_CREATOR' }],
	])('%s: 403 privacy_level_option_mismatch', async (_name, info) => {
		const res = await directInit(sandbox, token(), {
			post_info: info,
			source_info: fileSource(1000),
		});
		expectEnvelopeError(res, 403, 'privacy_level_option_mismatch');
		expect(sandbox.state.uploads).toEqual({});
	});

	test('a private account: FOLLOWER_OF_CREATOR accepted, PUBLIC_TO_EVERYONE refused', async () => {
		sandbox.configure({ creator: { privateAccount: true } });
		expectOk(
			await directInit(sandbox, token(), fileDirect({ privacy_level: 'FOLLOWER_OF_CREATOR' })),
		);
		expectEnvelopeError(
			await directInit(sandbox, token(), fileDirect()),
			403,
			'privacy_level_option_mismatch',
		);
	});

	test.each(PUBLIC_OPTIONS)('%s is accepted on a public account', async (privacy) => {
		expectOk(await directInit(sandbox, token(), fileDirect({ privacy_level: privacy })));
	});

	test('the title limit is 2200 UTF-16 code units (an emoji counts 2)', async () => {
		const ok = [
			'a'.repeat(2200),
			'😀'.repeat(1100), // 1100 code points, 2200 code units
		];
		for (const title of ok) expectOk(await directInit(sandbox, token(), fileDirect({ title })));
		const tooLong = ['a'.repeat(2201), '😀'.repeat(1100) + 'a', '😀'.repeat(1101)];
		for (const title of tooLong) {
			expectEnvelopeError(
				await directInit(sandbox, token(), fileDirect({ title })),
				400,
				'invalid_params',
			);
		}
		expect(Object.keys(sandbox.state.uploads)).toHaveLength(ok.length);
	});

	test('a non-string title and non-boolean switches are invalid_params', async () => {
		for (const extra of [
			{ title: 42 },
			{ disable_duet: 'true' },
			{ disable_comment: 1 },
			{ disable_stitch: 'no' },
			{ brand_content_toggle: 'false' },
			{ brand_organic_toggle: 0 },
			{ is_aigc: 'yes' },
		]) {
			expectEnvelopeError(
				await directInit(sandbox, token(), fileDirect(extra)),
				400,
				'invalid_params',
			);
		}
		expectEnvelopeError(
			await directInit(sandbox, token(), { post_info: 'PUBLIC', source_info: fileSource(10) }),
			400,
			'invalid_params',
		);
	});

	test('the switches are optional; all of them, and any cover timestamp, are accepted', async () => {
		expectOk(await directInit(sandbox, token(), fileDirect()));
		const full = {
			title: 'cat #fyp',
			disable_duet: false,
			disable_comment: true,
			disable_stitch: false,
			video_cover_timestamp_ms: 1000,
			brand_content_toggle: false,
			brand_organic_toggle: true,
			is_aigc: false,
		};
		const res = await directInit(sandbox, token(), fileDirect(full));
		expectOk(res);
		expect(sandbox.state.uploads[res.body.data.publish_id].postInfo).toEqual(postInfo(full));
		// An invalid cover timestamp means "first frame", not an error (docs/tiktok-api.md#direct-post).
		expectOk(await directInit(sandbox, token(), fileDirect({ video_cover_timestamp_ms: -5 })));
	});

	test('branded content cannot be SELF_ONLY: 400 invalid_params', async () => {
		expectEnvelopeError(
			await directInit(
				sandbox,
				token(),
				fileDirect({ privacy_level: 'SELF_ONLY', brand_content_toggle: true }),
			),
			400,
			'invalid_params',
		);
		expectOk(await directInit(sandbox, token(), fileDirect({ brand_content_toggle: true })));
		expectOk(
			await directInit(
				sandbox,
				token(),
				fileDirect({ privacy_level: 'SELF_ONLY', brand_organic_toggle: true }),
			),
		);
	});
});

describe('unaudited clients, "cannot post" codes and the daily post cap', () => {
	test('unaudited + public account: 403 unaudited_client_can_only_post_to_private_accounts, even SELF_ONLY', async () => {
		sandbox.configure({ unaudited: true });
		for (const privacy of ['SELF_ONLY', 'PUBLIC_TO_EVERYONE']) {
			expectEnvelopeError(
				await directInit(sandbox, token(), fileDirect({ privacy_level: privacy })),
				403,
				'unaudited_client_can_only_post_to_private_accounts',
			);
		}
	});

	test('unaudited + private account: SELF_ONLY only', async () => {
		sandbox.configure({ unaudited: true, creator: { privateAccount: true } });
		expectOk(await directInit(sandbox, token(), fileDirect({ privacy_level: 'SELF_ONLY' })));
		expectEnvelopeError(
			await directInit(sandbox, token(), fileDirect({ privacy_level: 'MUTUAL_FOLLOW_FRIENDS' })),
			403,
			'privacy_level_option_mismatch',
		);
	});

	test.each(CANNOT_POST)('cannotPostCode %s: Direct Post init answers 403', async (code) => {
		sandbox.configure({ creator: { cannotPostCode: code } });
		expectEnvelopeError(await directInit(sandbox, token(), fileDirect()), 403, code);
		expect(sandbox.state.uploads).toEqual({});
		// The inbox (draft) flow is not a Direct Post.
		expectOk(await inboxInit(sandbox, token(), fileSource(1000)));
	});

	test('maxPostsPerDay (default 15) caps Direct Posts per user: 403 spam_risk_too_many_posts', async () => {
		expect(sandbox.config.maxPostsPerDay).toBe(15);
		for (let i = 0; i < 15; i++) expectOk(await directInit(sandbox, token(), fileDirect()));
		expectEnvelopeError(
			await directInit(sandbox, token(), fileDirect()),
			403,
			'spam_risk_too_many_posts',
		);
		// Inbox drafts are not posts.
		expectOk(await inboxInit(sandbox, token(), fileSource(1000)));
	});

	test('failed Direct Posts do not count toward the daily cap', async () => {
		sandbox.configure({ maxPostsPerDay: 1, verifiedDomains: ['127.0.0.1'] });
		const failing = await directInit(sandbox, token(), {
			post_info: postInfo(),
			source_info: { source: 'PULL_FROM_URL', video_url: 'http://127.0.0.1:9/nothing.mp4' },
		});
		expectOk(failing);
		await waitForUpload(sandbox, failing.body.data.publish_id, settled);
		expect(sandbox.state.uploads[failing.body.data.publish_id].status).toBe('FAILED');
		expectOk(await directInit(sandbox, token(), fileDirect()));
		expectEnvelopeError(
			await directInit(sandbox, token(), fileDirect()),
			403,
			'spam_risk_too_many_posts',
		);
	});

	test('Direct Posts do not count as pending inbox shares', async () => {
		sandbox.configure({ maxPendingShares: 1 });
		for (let i = 0; i < 3; i++) expectOk(await directInit(sandbox, token(), fileDirect()));
		expectOk(await inboxInit(sandbox, token(), fileSource(1000)));
		expectEnvelopeError(
			await inboxInit(sandbox, token(), fileSource(1000)),
			403,
			'spam_risk_too_many_pending_share',
		);
	});

	test('an unverified PULL_FROM_URL video_url answers 403 url_ownership_unverified', async () => {
		const res = await directInit(sandbox, token(), {
			post_info: postInfo(),
			source_info: { source: 'PULL_FROM_URL', video_url: 'https://cdn.example.com/v.mp4' },
		});
		expectEnvelopeError(res, 403, 'url_ownership_unverified');
	});
});

describe('status fetch of Direct Posts', () => {
	test('another user gets 400 token_not_authorized_for_specified_publish_id', async () => {
		const publishId = (await directInit(sandbox, token(), fileDirect())).body.data.publish_id;
		sandbox.configure({ user: { open_id: 'someone-else' } });
		expectEnvelopeError(
			await statusFetch(sandbox, token(), publishId),
			400,
			'token_not_authorized_for_specified_publish_id',
		);
	});

	test('the sandbox state shows the task without upload tokens', async () => {
		const res = await directInit(sandbox, token(), fileDirect({ title: 'x' }));
		const view = JSON.stringify(sandbox.state);
		for (const secret of sandbox.secretValues()) expect(view).not.toContain(secret);
		expect(view).not.toContain('upload_token');
		expect(sandbox.state.uploads[res.body.data.publish_id]).toMatchObject({
			mode: 'direct',
			postInfo: { title: 'x' },
			pulls: [],
			downloadedBytes: 0,
		});
	});

	test('the upload host refuses a Direct Post upload_url with a wrong token', async () => {
		const { upload_url: uploadUrl } = (await directInit(sandbox, token(), fileDirect())).body.data;
		const forged = uploadUrl.replace(/upload_token=[0-9a-f]+/, 'upload_token=00');
		const res = await fetch(forged, {
			method: 'PUT',
			headers: { 'Content-Type': 'video/mp4', 'Content-Range': 'bytes 0-999/1000' },
			body: Buffer.alloc(1000),
		});
		expect(res.status).toBe(404);
	});
});
