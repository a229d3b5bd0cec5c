// POST /v2/video/list/ (docs/tiktok-api.md#video-list, #rate-limits): requested fields only, 19-digit
// ids as bare JSON numbers, newest first, millisecond cursor over second create_time, max_count
// ≤ 20, has_more, scope video.list and 600 requests per minute.
import { VIDEO_FIELDS } from '../../sandbox/videos.mjs';
import { useSandbox } from '../helpers/sandbox.mjs';
import { expectEnvelopeError, expectOk, freshToken } from './postingClient.mjs';
import { api } from './sandboxClient.mjs';

const sandbox = useSandbox({ reset: 'config' });
const token = (scopes) => freshToken(sandbox, scopes);

const list = (t, fields, json = {}) =>
	api(sandbox, 'POST', `/v2/video/list/${fields === undefined ? '' : `?fields=${fields}`}`, {
		token: t,
		json,
	});

/** The ids exactly as written in the response text. */
const rawIds = (text) => [...text.matchAll(/"id":(\d+)/g)].map((m) => m[1]);

describe('POST /v2/video/list/', () => {
	test('45 seeded videos over 3 pages of 20, 20 and 5, newest first, by cursor', async () => {
		const t = token(['video.list']);
		const pages = [];
		let cursor;
		for (;;) {
			const res = await list(t, 'id,create_time,title', {
				max_count: 20,
				...(cursor === undefined ? {} : { cursor }),
			});
			expectOk(res);
			pages.push(res);
			cursor = res.body.data.cursor;
			if (!res.body.data.has_more) break;
			expect(pages.length).toBeLessThan(5);
		}
		expect(pages.map((p) => p.body.data.videos.length)).toEqual([20, 20, 5]);
		expect(pages.map((p) => p.body.data.has_more)).toEqual([true, true, false]);
		for (const page of pages) {
			const last = page.body.data.videos.at(-1);
			expect(page.body.data.cursor).toBe(last.create_time * 1000);
		}
		const videos = pages.flatMap((p) => p.body.data.videos);
		const times = videos.map((v) => v.create_time);
		expect(times).toEqual([...times].sort((a, b) => b - a));
		expect(new Set(times).size).toBe(45);
		// create_time is in seconds, the cursor in milliseconds.
		expect(String(times[0])).toMatch(/^\d{10}$/);
		expect(String(pages[0].body.data.cursor)).toMatch(/^\d{13}$/);

		const ids = pages.flatMap((p) => rawIds(p.text));
		expect(ids).toHaveLength(45);
		expect(new Set(ids).size).toBe(45);
		expect(ids).toEqual(sandbox.config.videos.map((v) => v.id));
	});

	test('ids are 19-digit JSON numbers in the raw text, never strings', async () => {
		const res = await list(token(), 'id', { max_count: 3 });
		expect(res.text).toMatch(/"videos":\[\{"id":\d{19}\},\{"id":\d{19}\},\{"id":\d{19}\}\]/);
		expect(res.text).not.toMatch(/"id":"/);
		const [raw] = rawIds(res.text);
		expect(BigInt(raw)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
		// JSON.parse rounds them: a client has to read the text losslessly.
		expect(String(BigInt(res.body.data.videos[0].id))).not.toBe(raw);
	});

	test('only the requested fields, in the documented types', async () => {
		const one = await list(token(), 'title,duration', { max_count: 1 });
		expect(one.body.data.videos).toEqual([
			{ title: expect.any(String), duration: expect.any(Number) },
		]);
		const all = await list(token(), VIDEO_FIELDS.join(','), { max_count: 1 });
		const [video] = all.body.data.videos;
		expect(Object.keys(video).sort()).toEqual([...VIDEO_FIELDS].sort());
		const [raw] = rawIds(all.text);
		expect(video).toMatchObject({
			create_time: expect.any(Number),
			cover_image_url: expect.stringMatching(/^https:\/\//),
			share_url: `https://www.tiktok.com/@sandbox.creator/video/${raw}`,
			video_description: expect.any(String),
			height: 1920,
			width: 1080,
			embed_html: expect.stringContaining(raw),
			embed_link: expect.stringContaining(raw),
			like_count: expect.any(Number),
			comment_count: expect.any(Number),
			share_count: expect.any(Number),
			view_count: expect.any(Number),
		});
	});

	test('max_count defaults to 20 and must be an integer from 1 to 20', async () => {
		const res = await list(token(), 'id', {});
		expect(res.body.data.videos).toHaveLength(20);
		expect(res.body.data.has_more).toBe(true);
		expectOk(await list(token(), 'id', { max_count: 1 }));
		for (const maxCount of [21, 0, -1, 2.5, '10']) {
			expectEnvelopeError(
				await list(token(), 'id', { max_count: maxCount }),
				400,
				'invalid_params',
			);
		}
	});

	test('the cursor returns videos created strictly before it', async () => {
		const newest = [...sandbox.config.videos].sort((a, b) => b.create_time - a.create_time);
		const res = await list(token(), 'id,create_time', {
			cursor: newest[9].create_time * 1000,
			max_count: 2,
		});
		expect(res.body.data.videos.map((v) => v.create_time)).toEqual([
			newest[10].create_time,
			newest[11].create_time,
		]);
		expect(res.body.data.cursor).toBe(newest[11].create_time * 1000);
		for (const cursor of ['abc', -5, 1.5]) {
			expectEnvelopeError(await list(token(), 'id', { cursor }), 400, 'invalid_params');
		}
	});

	test('past the oldest video: no videos, has_more false', async () => {
		const res = await list(token(), 'id', { cursor: 1000 });
		expectOk(res);
		expect(res.body.data).toEqual({ videos: [], cursor: 1000, has_more: false });
	});

	test('fields is required and must be known: 400 invalid_params', async () => {
		expectEnvelopeError(await list(token(), undefined), 400, 'invalid_params');
		expectEnvelopeError(await list(token(), ''), 400, 'invalid_params');
		expectEnvelopeError(await list(token(), 'id,play_count'), 400, 'invalid_params');
	});

	test('config.videos replaces the seeded list', async () => {
		sandbox.configure({
			videos: [
				{ id: '7400000000000000002', create_time: 1_700_000_100, title: 'second' },
				{ id: '7400000000000000001', create_time: 1_700_000_000, title: 'first' },
				{ id: '7400000000000000003', create_time: 1_700_000_200, title: 'third' },
			],
		});
		const res = await list(token(), 'id,title', { max_count: 20 });
		expect(res.body.data.videos.map((v) => v.title)).toEqual(['third', 'second', 'first']);
		expect(rawIds(res.text)).toEqual([
			'7400000000000000003',
			'7400000000000000002',
			'7400000000000000001',
		]);
		expect(res.body.data).toMatchObject({ cursor: 1_700_000_000_000, has_more: false });
	});

	test('needs video.list: 401 scope_not_authorized; no token: 401 access_token_invalid', async () => {
		expectEnvelopeError(
			await list(token(['user.info.basic', 'video.upload', 'video.publish']), 'id'),
			401,
			'scope_not_authorized',
		);
		expectEnvelopeError(await list(undefined, 'id'), 401, 'access_token_invalid');
	});

	test('allows 600 requests per minute per access token (videoList), then 429', async () => {
		expect(sandbox.config.rateLimits.videoList).toBe(600);
		const t = token();
		for (let i = 0; i < 600; i += 50) {
			const batch = await Promise.all(
				Array.from({ length: 50 }, () => list(t, 'id', { max_count: 1 })),
			);
			for (const res of batch) expect(res.status).toBe(200);
		}
		expectEnvelopeError(await list(t, 'id', { max_count: 1 }), 429, 'rate_limit_exceeded');
		expect(sandbox.state.apiCalls.at(-1)).toMatchObject({ endpoint: 'videoList', status: 429 });
		expectOk(await list(token(), 'id', { max_count: 1 }));
	});
});
