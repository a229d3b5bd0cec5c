// Photo posts: POST /v2/post/publish/content/init/ (docs/tiktok-api.md#photo-posts). DIRECT_POST and
// MEDIA_UPLOAD, their scopes, PULL_FROM_URL only, 1–35 verified images, the 0-based cover index,
// title/description limits, Direct Post privacy rules, the downloads and the caps.
import {
	contentInit,
	directInit,
	expectEnvelopeError,
	expectOk,
	rawPostIds,
	settled,
	statusFetch,
	waitForUpload,
	cancelPublish,
	usePostingSandbox,
} from './postingClient.mjs';
import { fileSource, inboxInit, sha256, videoBytes } from './sandboxClient.mjs';

const { sandbox, media, token } = usePostingSandbox();
const SOURCE_INCORRECT = 'The request source info is empty or incorrect';

const photos = (count, prefix = 'p') =>
	Array.from({ length: count }, (_, i) => media.add(`${prefix}${i}.webp`, videoBytes(1000 + i, i)));

function photoBody({ mode = 'DIRECT_POST', images, cover = 0, info, source } = {}) {
	return {
		post_info: info ?? (mode === 'DIRECT_POST' ? { privacy_level: 'PUBLIC_TO_EVERYONE' } : {}),
		source_info: source ?? {
			source: 'PULL_FROM_URL',
			photo_cover_index: cover,
			photo_images: images ?? photos(2),
		},
		post_mode: mode,
		media_type: 'PHOTO',
	};
}

describe('DIRECT_POST photos', () => {
	test('p_pub_url id; each photo downloaded and hashed; PUBLISH_COMPLETE with one post id', async () => {
		const data = [videoBytes(70_000, 1), videoBytes(150_000, 2), videoBytes(5, 3)];
		const images = data.map((bytes, i) => media.add(`direct${i}.jpg`, bytes));
		const t = token();
		const res = await contentInit(
			sandbox,
			t,
			photoBody({
				images,
				cover: 2,
				info: {
					title: 'funny cat',
					description: 'a #funny photo',
					privacy_level: 'MUTUAL_FOLLOW_FRIENDS',
					disable_comment: true,
					auto_add_music: true,
					brand_content_toggle: false,
					brand_organic_toggle: false,
				},
			}),
		);
		expectOk(res);
		const publishId = res.body.data.publish_id;
		expect(publishId).toMatch(/^p_pub_url~v2\.\d{19}$/);
		expect(res.body.data).toEqual({ publish_id: publishId });
		await waitForUpload(sandbox, publishId, settled);
		const status = await statusFetch(sandbox, t, publishId);
		const total = data.reduce((sum, bytes) => sum + bytes.length, 0);
		expect(status.body.data).toEqual({
			status: 'PUBLISH_COMPLETE',
			publicaly_available_post_id: [expect.any(Number)],
			downloaded_bytes: total,
		});
		expect(rawPostIds(status.text)).toEqual([expect.stringMatching(/^\d{19}$/)]);
		expect(sandbox.state.uploads[publishId]).toMatchObject({
			mode: 'direct',
			mediaType: 'PHOTO',
			source: 'PULL_FROM_URL',
			photoCoverIndex: 2,
			downloadedBytes: total,
			pulls: images.map((url, i) => ({
				url,
				downloadedBytes: data[i].length,
				sha256: sha256(data[i]),
			})),
		});
		for (const url of images) {
			expect(media.requests.map((r) => r.path)).toContain(new URL(url).pathname);
		}
	});

	test('SELF_ONLY: PUBLISH_COMPLETE without public post ids', async () => {
		const t = token();
		const res = await contentInit(sandbox, t, photoBody({ info: { privacy_level: 'SELF_ONLY' } }));
		await waitForUpload(sandbox, res.body.data.publish_id, settled);
		const status = await statusFetch(sandbox, t, res.body.data.publish_id);
		expect(status.body.data.status).toBe('PUBLISH_COMPLETE');
		expect(rawPostIds(status.text)).toEqual([]);
	});

	test('one photo that cannot be downloaded fails the post with photo_pull_failed', async () => {
		const t = token();
		const images = [...photos(2, 'ok'), media.url('/files/missing.webp')];
		const res = await contentInit(sandbox, t, photoBody({ images }));
		await waitForUpload(sandbox, res.body.data.publish_id, settled);
		const status = await statusFetch(sandbox, t, res.body.data.publish_id);
		expect(status.body.data).toEqual({
			status: 'FAILED',
			fail_reason: 'photo_pull_failed',
			publicaly_available_post_id: [],
			downloaded_bytes: 1000 + 1001,
		});
	});

	test('a redirecting photo fails too (3xx is invalid)', async () => {
		const images = [media.add('moved.webp', Buffer.alloc(10), 'redirect')];
		const res = await contentInit(sandbox, token(), photoBody({ images }));
		const upload = await waitForUpload(sandbox, res.body.data.publish_id, settled);
		expect(upload).toMatchObject({ status: 'FAILED', failReason: 'photo_pull_failed' });
	});

	test('privacy rules are those of video Direct Post', async () => {
		for (const info of [{}, { privacy_level: 'FOLLOWER_OF_CREATOR' }, { privacy_level: 'x' }]) {
			expectEnvelopeError(
				await contentInit(sandbox, token(), photoBody({ info })),
				403,
				'privacy_level_option_mismatch',
			);
		}
		expectEnvelopeError(
			await contentInit(
				sandbox,
				token(),
				photoBody({ info: { privacy_level: 'SELF_ONLY', brand_content_toggle: true } }),
			),
			400,
			'invalid_params',
		);
		expectEnvelopeError(
			await contentInit(
				sandbox,
				token(),
				photoBody({ info: { privacy_level: 'SELF_ONLY', auto_add_music: 'yes' } }),
			),
			400,
			'invalid_params',
		);
		sandbox.configure({ unaudited: true });
		expectEnvelopeError(
			await contentInit(sandbox, token(), photoBody({ info: { privacy_level: 'SELF_ONLY' } })),
			403,
			'unaudited_client_can_only_post_to_private_accounts',
		);
		sandbox.configure({ creator: { privateAccount: true } });
		expectOk(
			await contentInit(sandbox, token(), photoBody({ info: { privacy_level: 'SELF_ONLY' } })),
		);
	});

	test('cannotPostCode answers 403 for DIRECT_POST', async () => {
		sandbox.configure({ creator: { cannotPostCode: 'spam_risk_user_banned_from_posting' } });
		expectEnvelopeError(
			await contentInit(sandbox, token(), photoBody()),
			403,
			'spam_risk_user_banned_from_posting',
		);
	});

	test('photo and video Direct Posts share the daily post cap', async () => {
		sandbox.configure({ maxPostsPerDay: 2 });
		expectOk(await contentInit(sandbox, token(), photoBody()));
		expectOk(
			await directInit(sandbox, token(), {
				post_info: { privacy_level: 'SELF_ONLY' },
				source_info: fileSource(100),
			}),
		);
		expectEnvelopeError(
			await contentInit(sandbox, token(), photoBody()),
			403,
			'spam_risk_too_many_posts',
		);
		// MEDIA_UPLOAD drafts are not posts.
		expectOk(await contentInit(sandbox, token(), photoBody({ mode: 'MEDIA_UPLOAD' })));
	});
});

describe('MEDIA_UPLOAD photos', () => {
	test('p_inbox_url id; downloads, then SEND_TO_USER_INBOX without post ids', async () => {
		const t = token();
		const images = photos(3, 'inbox');
		const res = await contentInit(sandbox, t, photoBody({ mode: 'MEDIA_UPLOAD', images }));
		expectOk(res);
		expect(res.body.data.publish_id).toMatch(/^p_inbox_url~v2\.\d{19}$/);
		await waitForUpload(sandbox, res.body.data.publish_id, settled);
		const status = await statusFetch(sandbox, t, res.body.data.publish_id);
		expect(status.body.data).toEqual({
			status: 'SEND_TO_USER_INBOX',
			publicaly_available_post_id: [],
			downloaded_bytes: 1000 + 1001 + 1002,
		});
		expect(sandbox.state.uploads[res.body.data.publish_id].mode).toBe('inbox');
	});

	test('post_info is optional and privacy is not required', async () => {
		const body = photoBody({ mode: 'MEDIA_UPLOAD' });
		delete body.post_info;
		expectOk(await contentInit(sandbox, token(), body));
		expectOk(
			await contentInit(
				sandbox,
				token(),
				photoBody({ mode: 'MEDIA_UPLOAD', info: { title: 'draft', description: 'text' } }),
			),
		);
	});

	test('the pending-share cap counts photo drafts together with video drafts', async () => {
		sandbox.configure({ maxPendingShares: 2 });
		expectOk(await contentInit(sandbox, token(), photoBody({ mode: 'MEDIA_UPLOAD' })));
		expectOk(await inboxInit(sandbox, token(), fileSource(100)));
		expectEnvelopeError(
			await contentInit(sandbox, token(), photoBody({ mode: 'MEDIA_UPLOAD' })),
			403,
			'spam_risk_too_many_pending_share',
		);
		expectEnvelopeError(
			await inboxInit(sandbox, token(), fileSource(100)),
			403,
			'spam_risk_too_many_pending_share',
		);
		// Direct Posts are not drafts.
		expectOk(await contentInit(sandbox, token(), photoBody()));
	});

	test('a photo pull can be cancelled while downloading', async () => {
		sandbox.configure({ pullDelayMs: 1000 });
		const t = token();
		const res = await contentInit(sandbox, t, photoBody({ mode: 'MEDIA_UPLOAD' }));
		expectOk(await cancelPublish(sandbox, t, res.body.data.publish_id));
		const status = await statusFetch(sandbox, t, res.body.data.publish_id);
		expect(status.body.data).toMatchObject({ status: 'FAILED', fail_reason: 'publish_cancelled' });
	});
});

describe('content/init request rules', () => {
	test('scope follows post_mode: DIRECT_POST needs video.publish, MEDIA_UPLOAD video.upload', async () => {
		const upload = token(['video.upload']);
		const publish = token(['video.publish']);
		expectEnvelopeError(
			await contentInit(sandbox, upload, photoBody()),
			401,
			'scope_not_authorized',
		);
		expectEnvelopeError(
			await contentInit(sandbox, publish, photoBody({ mode: 'MEDIA_UPLOAD' })),
			401,
			'scope_not_authorized',
		);
		expectOk(await contentInit(sandbox, publish, photoBody()));
		expectOk(await contentInit(sandbox, upload, photoBody({ mode: 'MEDIA_UPLOAD' })));
		expectEnvelopeError(
			await contentInit(sandbox, token(['video.list']), photoBody()),
			401,
			'scope_not_authorized',
		);
	});

	test.each([
		['media_type VIDEO', { media_type: 'VIDEO' }],
		['no media_type', { media_type: undefined }],
		['post_mode UPLOAD', { post_mode: 'UPLOAD' }],
		['no post_mode', { post_mode: undefined }],
	])('%s: 400 "Invalid media_type or post_mode"', async (_name, patch) => {
		const res = await contentInit(sandbox, token(), { ...photoBody(), ...patch });
		expectEnvelopeError(res, 400, 'invalid_params', 'Invalid media_type or post_mode');
	});

	test.each([
		['FILE_UPLOAD', { source: 'FILE_UPLOAD', photo_cover_index: 0, photo_images: ['x'] }],
		['no source', { photo_cover_index: 0, photo_images: ['x'] }],
		['an empty source_info', {}],
	])('%s: 400 "The request source info is empty or incorrect"', async (_name, source) => {
		const res = await contentInit(sandbox, token(), photoBody({ source }));
		expectEnvelopeError(res, 400, 'invalid_params', SOURCE_INCORRECT);
	});

	test('1 to 35 photo_images', async () => {
		expectOk(await contentInit(sandbox, token(), photoBody({ images: photos(1, 'one') })));
		const many = photos(35, 'many');
		expectOk(await contentInit(sandbox, token(), photoBody({ images: many, cover: 34 })));
		for (const images of [
			[],
			[...many, media.add('36.webp', Buffer.alloc(1))],
			'a-url',
			[5],
			[''],
		]) {
			expectEnvelopeError(
				await contentInit(sandbox, token(), photoBody({ images })),
				400,
				'invalid_params',
			);
		}
	});

	test('photo_cover_index is required, 0-based and within photo_images', async () => {
		const images = photos(3, 'cover');
		for (const cover of [0, 2]) {
			expectOk(await contentInit(sandbox, token(), photoBody({ images, cover })));
		}
		for (const cover of [undefined, -1, 3, 1.5, '1', null]) {
			const source = { source: 'PULL_FROM_URL', photo_images: images, photo_cover_index: cover };
			expectEnvelopeError(
				await contentInit(sandbox, token(), photoBody({ source })),
				400,
				'invalid_params',
			);
		}
	});

	test('every photo must be on a verified domain or prefix: 403 url_ownership_unverified', async () => {
		const images = [...photos(2, 'v'), 'https://cdn.elsewhere.example/p.webp'];
		for (const mode of ['DIRECT_POST', 'MEDIA_UPLOAD']) {
			expectEnvelopeError(
				await contentInit(sandbox, token(), photoBody({ mode, images })),
				403,
				'url_ownership_unverified',
			);
		}
		expect(sandbox.state.uploads).toEqual({});
	});

	test('title ≤ 90 and description ≤ 4000 UTF-16 code units', async () => {
		const direct = (info) => photoBody({ info: { privacy_level: 'SELF_ONLY', ...info } });
		for (const info of [
			{ title: 'a'.repeat(90) },
			{ title: '😀'.repeat(45) },
			{ description: 'd'.repeat(4000) },
			{ description: '😀'.repeat(2000) },
		]) {
			expectOk(await contentInit(sandbox, token(), direct(info)));
		}
		for (const info of [
			{ title: 'a'.repeat(91) },
			{ title: '😀'.repeat(45) + 'a' },
			{ description: 'd'.repeat(4001) },
			{ description: '😀'.repeat(2000) + 'd' },
			{ title: 7 },
		]) {
			expectEnvelopeError(await contentInit(sandbox, token(), direct(info)), 400, 'invalid_params');
			expectEnvelopeError(
				await contentInit(sandbox, token(), photoBody({ mode: 'MEDIA_UPLOAD', info })),
				400,
				'invalid_params',
			);
		}
	});

	test('allows 6 requests per minute per access token (contentInit), then 429', async () => {
		expect(sandbox.config.rateLimits.contentInit).toBe(6);
		const t = token();
		for (let i = 0; i < 6; i++) expectOk(await contentInit(sandbox, t, photoBody()));
		expectEnvelopeError(await contentInit(sandbox, t, photoBody()), 429, 'rate_limit_exceeded');
		expect(sandbox.state.apiCalls.at(-1).endpoint).toBe('contentInit');
	});
});
