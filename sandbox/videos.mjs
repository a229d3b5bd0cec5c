// POST /v2/video/list/ (tiktok-api.md §2, last paragraph): the creator's videos, newest first.
// `fields` in the query string picks what each video carries; the JSON body holds `cursor` (a
// millisecond timestamp: videos created strictly before it) and `max_count` (1–20, default 20).
// Video ids are 19-digit integers, written into the JSON text as bare numbers like post ids.
import { logId, sendRawJson } from './http.mjs';

export const VIDEO_FIELDS = [
	'id',
	'create_time',
	'cover_image_url',
	'share_url',
	'video_description',
	'duration',
	'height',
	'width',
	'title',
	'embed_html',
	'embed_link',
	'like_count',
	'comment_count',
	'share_count',
	'view_count',
];

const MAX_COUNT = 20;
const NEWEST = 1_767_225_600; // 2026-01-01T00:00:00Z, in seconds

/** `count` deterministic videos, newest first, one a day; ids are 19-digit decimal strings. */
export function seedVideos(count = 45, username = 'sandbox.creator') {
	return Array.from({ length: count }, (_, i) => {
		const n = count - i;
		const id = String(7310000000000000000n + BigInt(n) * 1_000_003n);
		const shareUrl = `https://www.tiktok.com/@${username}/video/${id}`;
		return {
			id,
			create_time: NEWEST - i * 86_400,
			cover_image_url: `https://sandbox.invalid/cover/${id}.webp`,
			share_url: shareUrl,
			video_description: `Sandbox video ${n} #sandbox`,
			duration: 5 + ((n * 7) % 55),
			height: 1920,
			width: 1080,
			title: `Sandbox video ${n}`,
			embed_html: `<blockquote class="tiktok-embed" cite="${shareUrl}" data-video-id="${id}"></blockquote>`,
			embed_link: `https://www.tiktok.com/player/v1/${id}`,
			like_count: n * 10,
			comment_count: n * 2,
			share_count: n,
			view_count: n * 1000,
		};
	});
}

export function videoList({ url, body, reply, res, sandbox, call }) {
	const fields = String(url.searchParams.get('fields') ?? '')
		.split(',')
		.map((f) => f.trim())
		.filter(Boolean);
	if (fields.length === 0) return reply(400, 'invalid_params', 'The fields parameter is required.');
	const unknown = fields.filter((f) => !VIDEO_FIELDS.includes(f));
	if (unknown.length) return reply(400, 'invalid_params', `Unknown fields: ${unknown.join(',')}`);
	const maxCount = body?.max_count ?? MAX_COUNT;
	if (!Number.isInteger(maxCount) || maxCount < 1 || maxCount > MAX_COUNT)
		return reply(400, 'invalid_params', `max_count must be an integer from 1 to ${MAX_COUNT}.`);
	const cursor = body?.cursor ?? undefined;
	if (cursor !== undefined && (!Number.isSafeInteger(cursor) || cursor < 0))
		return reply(400, 'invalid_params', 'cursor must be a millisecond timestamp.');

	const older = [...sandbox.config.videos]
		.sort((a, b) => b.create_time - a.create_time)
		.filter((video) => cursor === undefined || video.create_time * 1000 < cursor);
	const page = older.slice(0, maxCount);
	const nextCursor = page.length ? page.at(-1).create_time * 1000 : (cursor ?? Date.now());
	const videos = page.map(
		(video) =>
			`{${fields
				.map((f) =>
					f === 'id'
						? `"id":${rawInteger(video.id)}`
						: `"${f}":${JSON.stringify(video[f] ?? null)}`,
				)
				.join(',')}}`,
	);
	call.status = 200;
	call.code = 'ok';
	sendRawJson(
		res,
		200,
		`{"data":{"videos":[${videos.join(',')}],"cursor":${nextCursor},"has_more":${older.length > page.length}},` +
			`"error":{"code":"ok","message":"","log_id":"${logId()}"}}`,
	);
}

/** A configured id as JSON integer text; anything but digits would break the JSON, so refuse it. */
function rawInteger(id) {
	const text = String(id);
	if (!/^\d+$/.test(text)) throw new Error(`video id ${text} is not an integer`);
	return text;
}
