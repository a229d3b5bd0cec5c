// POST /v2/video/query/ (TikTok's Display API "Query Videos"): the user's videos by id
// (filters.video_ids, 1–20 strings), the same fields as the list, 19-digit ids as bare JSON
// numbers, unknown ids left out; scope video.list, 600 requests per minute. Posts the sandbox
// makes public (Direct Post, publishDraft) become videos a query by their post id finds.
import { VIDEO_FIELDS } from '../../sandbox/videos.mjs';
import {
	contentInit,
	directInit,
	expectEnvelopeError,
	expectOk,
	rawPostIds,
	settled,
	statusFetch,
	waitForUpload,
	usePostingSandbox,
} from './postingClient.mjs';
import { api, fileSource, inboxInit, putPlannedChunk, videoBytes } from './sandboxClient.mjs';

const { sandbox, media, token } = usePostingSandbox();

const query = (t, fields, json) =>
	api(sandbox, 'POST', `/v2/video/query/${fields === undefined ? '' : `?fields=${fields}`}`, {
		token: t,
		json,
	});
const byIds = (ids) => ({ filters: { video_ids: ids } });
const list = (t, fields, json = {}) =>
	api(sandbox, 'POST', `/v2/video/list/?fields=${fields}`, { token: t, json });

/** The ids exactly as written in the response text. */
const rawIds = (text) => [...text.matchAll(/"id":(\d+)/g)].map((m) => m[1]);
const seededIds = () => sandbox.config.videos.map((video) => video.id);

/** A FILE_UPLOAD Direct Post of 1000 bytes, processed; returns the status answer. */
async function directPostFile(t, postInfo) {
	const init = await directInit(sandbox, t, { post_info: postInfo, source_info: fileSource(1000) });
	expectOk(init);
	await putPlannedChunk(init.body.data.upload_url, videoBytes(1000, 1), 1000, 0);
	const status = await statusFetch(sandbox, t, init.body.data.publish_id);
	return { publishId: init.body.data.publish_id, status };
}

describe('POST /v2/video/query/', () => {
	test('the asked videos with only the requested fields, raw 19-digit ids, in the order asked', async () => {
		const ids = seededIds();
		const asked = [ids[7], ids[0], ids[30]];
		const res = await query(token(['video.list']), 'id,title', byIds(asked));
		expectOk(res);
		expect(Object.keys(res.body.data)).toEqual(['videos']);
		expect(rawIds(res.text)).toEqual(asked);
		expect(res.text).toMatch(/"videos":\[\{"id":\d{19},"title":"[^"]+"\},/);
		expect(res.text).not.toMatch(/"id":"/);
		const titles = asked.map((id) => sandbox.config.videos.find((v) => v.id === id).title);
		expect(res.body.data.videos.map((v) => Object.keys(v))).toEqual([
			['id', 'title'],
			['id', 'title'],
			['id', 'title'],
		]);
		expect(res.body.data.videos.map((v) => v.title)).toEqual(titles);
		// JSON.parse rounds the ids: a client reads them from the text.
		expect(String(BigInt(res.body.data.videos[0].id))).not.toBe(asked[0]);
	});

	test('every field the list knows, with the same values as the list', async () => {
		const t = token();
		const all = VIDEO_FIELDS.join(',');
		const listed = await list(t, all, { max_count: 2 });
		const asked = rawIds(listed.text);
		const res = await query(t, all, byIds(asked));
		expectOk(res);
		expect(res.body.data.videos).toEqual(listed.body.data.videos);
		expect(rawIds(res.text)).toEqual(asked);
		expect(Object.keys(res.body.data.videos[0]).sort()).toEqual([...VIDEO_FIELDS].sort());
	});

	test('unknown ids are simply absent; none known: an empty list, ok', async () => {
		const t = token();
		const [known] = seededIds();
		const res = await query(t, 'id', byIds(['7999999999999999999', known, 'not-an-id', '']));
		expectOk(res);
		expect(rawIds(res.text)).toEqual([known]);
		const none = await query(t, 'id', byIds(['7999999999999999999']));
		expectOk(none);
		expect(none.body.data).toEqual({ videos: [] });
	});

	test('an id asked twice comes once', async () => {
		const [a, b] = seededIds();
		const res = await query(token(), 'id', byIds([a, b, a]));
		expect(rawIds(res.text)).toEqual([a, b]);
	});

	test('1 to 20 ids: 20 is fine, 0 or 21 are 400 invalid_params', async () => {
		const ids = seededIds();
		const twenty = await query(token(), 'id', byIds(ids.slice(0, 20)));
		expectOk(twenty);
		expect(twenty.body.data.videos).toHaveLength(20);
		expectEnvelopeError(await query(token(), 'id', byIds([])), 400, 'invalid_params');
		expectEnvelopeError(await query(token(), 'id', byIds(ids.slice(0, 21))), 400, 'invalid_params');
	});

	test.each([
		['no filters', {}],
		['filters not an object', { filters: ['1'] }],
		['no video_ids', { filters: {} }],
		['video_ids not a list', { filters: { video_ids: '7310000000001000003' } }],
		['ids as numbers', { filters: { video_ids: [7310000000001000003] } }],
		['ids mixed', { filters: { video_ids: ['7310000000001000003', null] } }],
	])('%s: 400 invalid_params', async (_, json) => {
		expectEnvelopeError(await query(token(), 'id', json), 400, 'invalid_params');
	});

	test('fields is required and must be known: 400 invalid_params', async () => {
		const body = byIds([seededIds()[0]]);
		expectEnvelopeError(await query(token(), undefined, body), 400, 'invalid_params');
		expectEnvelopeError(await query(token(), '', body), 400, 'invalid_params');
		expectEnvelopeError(await query(token(), 'id,play_count', body), 400, 'invalid_params');
	});

	test('needs video.list: 401 scope_not_authorized; no token: 401 access_token_invalid', async () => {
		const body = byIds([seededIds()[0]]);
		expectEnvelopeError(
			await query(token(['user.info.basic', 'video.upload', 'video.publish']), 'id', body),
			401,
			'scope_not_authorized',
		);
		expectEnvelopeError(await query(undefined, 'id', body), 401, 'access_token_invalid');
	});

	test('600 per minute per token by default, its own window (videoQuery), then 429', async () => {
		expect(sandbox.config.rateLimits.videoQuery).toBe(600);
		sandbox.configure({ rateLimits: { videoQuery: 3 } });
		const t = token();
		const body = byIds([seededIds()[0]]);
		for (let i = 0; i < 3; i++) expectOk(await query(t, 'id', body));
		expectEnvelopeError(await query(t, 'id', body), 429, 'rate_limit_exceeded');
		expect(sandbox.state.apiCalls.at(-1)).toMatchObject({ endpoint: 'videoQuery', status: 429 });
		expectOk(await list(t, 'id', { max_count: 1 }));
		expectOk(await query(token(), 'id', body));
	});

	test('faults target it as videoQuery', async () => {
		const body = byIds([seededIds()[0]]);
		sandbox.addFault({ target: 'videoQuery', kind: 'status', status: 503 });
		expectEnvelopeError(await query(token(), 'id', body), 503, 'internal_error');
		expectOk(await query(token(), 'id', body));
	});

	test('config.videos is what it searches', async () => {
		sandbox.configure({
			videos: [{ id: '7400000000000000001', create_time: 1_700_000_000, title: 'only' }],
		});
		const res = await query(
			token(),
			'id,title,duration',
			byIds(['7400000000000000001', seededIds()[0]]),
		);
		expect(res.text).toMatch(
			/"videos":\[\{"id":7400000000000000001,"title":"only","duration":null\}\]/,
		);
	});
});

describe('posts made public become videos a query finds', () => {
	test('Direct Post PUBLISH_COMPLETE: the post id finds the video with its caption and links', async () => {
		const t = token();
		const before = Math.floor(Date.now() / 1000);
		const { status } = await directPostFile(t, {
			privacy_level: 'PUBLIC_TO_EVERYONE',
			title: 'A #cat on @tiktok',
		});
		expect(status.body.data.status).toBe('PUBLISH_COMPLETE');
		const [postId] = rawPostIds(status.text);
		expect(postId).toMatch(/^\d{19}$/);

		const res = await query(t, VIDEO_FIELDS.join(','), byIds([postId]));
		expectOk(res);
		expect(rawIds(res.text)).toEqual([postId]);
		const [video] = res.body.data.videos;
		expect(video).toEqual({
			id: expect.any(Number),
			create_time: expect.any(Number),
			cover_image_url: expect.stringMatching(/^https:\/\//),
			share_url: `https://www.tiktok.com/@sandbox.creator/video/${postId}`,
			video_description: 'A #cat on @tiktok',
			duration: null,
			height: null,
			width: null,
			title: 'A #cat on @tiktok',
			embed_html: expect.stringContaining(`data-video-id="${postId}"`),
			embed_link: `https://www.tiktok.com/player/v1/${postId}`,
			like_count: 0,
			comment_count: 0,
			share_count: 0,
			view_count: 0,
		});
		expect(video.create_time).toBeGreaterThanOrEqual(before);
		expect(video.create_time).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
	});

	test('publishDraft and POST /__sandbox/publish: every post id of the draft is findable', async () => {
		const t = token();
		const ids = [];
		for (const seed of [1, 2]) {
			const init = await inboxInit(sandbox, t, fileSource(1000));
			await putPlannedChunk(init.body.data.upload_url, videoBytes(1000, seed), 1000, 0);
			ids.push(init.body.data.publish_id);
		}
		const inProcess = sandbox.publishDraft(ids[0], 2);
		const res = await fetch(`${sandbox.apiBaseUrl}/__sandbox/publish`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ publish_id: ids[1], count: 1 }),
		});
		const overHttp = (await res.json()).postIds;
		const postIds = [...inProcess, ...overHttp];
		expect(postIds).toHaveLength(3);
		const found = await query(t, 'id,title,share_url', byIds(postIds));
		expect(rawIds(found.text)).toEqual(postIds);
		expect(found.body.data.videos.map((v) => v.title)).toEqual(['', '', '']);
		expect(sandbox.state.publishedVideos.map((v) => [v.id, v.publishId])).toEqual([
			[postIds[0], ids[0]],
			[postIds[1], ids[0]],
			[postIds[2], ids[1]],
		]);
	});

	test('a photo post: share_url under /photo/, title and description from post_info', async () => {
		const t = token();
		const res = await contentInit(sandbox, t, {
			media_type: 'PHOTO',
			post_mode: 'DIRECT_POST',
			post_info: {
				privacy_level: 'PUBLIC_TO_EVERYONE',
				title: 'funny cat',
				description: 'a #funny photo',
			},
			source_info: {
				source: 'PULL_FROM_URL',
				photo_cover_index: 0,
				photo_images: [media.add('q.webp', videoBytes(100, 1))],
			},
		});
		expectOk(res);
		await waitForUpload(sandbox, res.body.data.publish_id, settled);
		const [postId] = rawPostIds((await statusFetch(sandbox, t, res.body.data.publish_id)).text);
		const found = await query(t, 'share_url,title,video_description', byIds([postId]));
		expect(found.body.data.videos).toEqual([
			{
				share_url: `https://www.tiktok.com/@sandbox.creator/photo/${postId}`,
				title: 'funny cat',
				video_description: 'a #funny photo',
			},
		]);
	});

	test('SELF_ONLY and failed posts add nothing', async () => {
		const t = token();
		const { status } = await directPostFile(t, { privacy_level: 'SELF_ONLY' });
		expect(status.body.data.status).toBe('PUBLISH_COMPLETE');
		sandbox.addFault({ target: 'processing', failReason: 'spam_risk' });
		const failed = await directPostFile(t, { privacy_level: 'PUBLIC_TO_EVERYONE' });
		expect(failed.status.body.data.status).toBe('FAILED');
		expect(sandbox.state.publishedVideos).toEqual([]);
	});

	test('the list keeps config.videos only, unless listPublishedPosts is set', async () => {
		const t = token();
		const { status } = await directPostFile(t, { privacy_level: 'PUBLIC_TO_EVERYONE' });
		const [postId] = rawPostIds(status.text);
		const allIds = async () => {
			const ids = [];
			let cursor;
			for (let page = 0; page < 5; page++) {
				const res = await list(t, 'id', { max_count: 20, ...(cursor ? { cursor } : {}) });
				ids.push(...rawIds(res.text));
				if (!res.body.data.has_more) break;
				cursor = res.body.data.cursor;
			}
			return ids;
		};
		expect(await allIds()).toEqual(seededIds());
		sandbox.configure({ listPublishedPosts: true });
		const ids = await allIds();
		expect(ids).toHaveLength(46);
		expect(ids).toContain(postId);
	});

	test("only the user's own posts: another open_id does not find them; reset forgets them", async () => {
		const { status } = await directPostFile(token(), { privacy_level: 'PUBLIC_TO_EVERYONE' });
		const [postId] = rawPostIds(status.text);
		const [seeded] = seededIds();
		sandbox.configure({ user: { open_id: 'another-open-id' } });
		const other = await query(token(), 'id', byIds([postId, seeded]));
		expect(rawIds(other.text)).toEqual([seeded]);
		sandbox.reset({ config: true });
		const afterReset = await query(token(), 'id', byIds([postId]));
		expect(afterReset.body.data).toEqual({ videos: [] });
	});
});
