// POST /v2/video/list/ (docs/tiktok-api.md#video-list): the creator's videos, newest first.
// `fields` in the query string picks what each video carries; the JSON body holds `cursor` (a
// millisecond timestamp: videos created strictly before it) and `max_count` (1–20, default 20).
// POST /v2/video/query/ takes the same `fields` and picks videos by id (`filters.video_ids`).
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

/**
 * A post the sandbox made public (Direct Post, publishDraft) as the creator's video: the post id,
 * the caption from post_info (a video's title is its caption; a photo post has title and
 * description), links built from the id, no views yet. Duration and size stay null: the sandbox
 * never decodes the media.
 */
export function publishedVideo({ id, upload, config, createTime }) {
	const username = config.user.username ?? config.creator.creator_username;
	const shareUrl = `https://www.tiktok.com/@${username}/${upload.mediaType === 'PHOTO' ? 'photo' : 'video'}/${id}`;
	const title = stringOrEmpty(upload.postInfo?.title);
	const description =
		upload.mediaType === 'PHOTO' ? stringOrEmpty(upload.postInfo?.description) : title;
	return {
		id,
		openId: upload.openId,
		publishId: upload.publishId,
		create_time: createTime,
		cover_image_url: `https://sandbox.invalid/cover/${id}.webp`,
		share_url: shareUrl,
		video_description: description,
		duration: null,
		height: null,
		width: null,
		title,
		embed_html: `<blockquote class="tiktok-embed" cite="${shareUrl}" data-video-id="${id}"></blockquote>`,
		embed_link: `https://www.tiktok.com/player/v1/${id}`,
		like_count: 0,
		comment_count: 0,
		share_count: 0,
		view_count: 0,
	};
}

const stringOrEmpty = (value) => (typeof value === 'string' ? value : '');

/**
 * The user's videos: config.videos (the configured creator's, so any token's user) plus the
 * posts made public in this state (`published`: for video query always, for the list only with
 * config.listPublishedPosts, so the configured catalogue stays what tests count on).
 */
function videosOf(sandbox, openId, { published }) {
	const own = sandbox.state.publishedVideos.filter((video) => video.openId === openId);
	return published ? [...sandbox.config.videos, ...own] : [...sandbox.config.videos];
}

/** The `fields` query parameter, checked; undefined when the error is already answered. */
function requestedFields(url, reply) {
	const fields = String(url.searchParams.get('fields') ?? '')
		.split(',')
		.map((f) => f.trim())
		.filter(Boolean);
	if (fields.length === 0) {
		reply(400, 'invalid_params', 'The fields parameter is required.');
		return undefined;
	}
	const unknown = fields.filter((f) => !VIDEO_FIELDS.includes(f));
	if (unknown.length) {
		reply(400, 'invalid_params', `Unknown fields: ${unknown.join(',')}`);
		return undefined;
	}
	return fields;
}

/** One video as JSON text with only `fields`; the id as a bare 19-digit number. */
function videoText(video, fields) {
	const parts = fields.map((f) =>
		f === 'id' ? `"id":${rawInteger(video.id)}` : `"${f}":${JSON.stringify(video[f] ?? null)}`,
	);
	return `{${parts.join(',')}}`;
}

export function videoList({ url, body, token, reply, res, sandbox, call }) {
	const fields = requestedFields(url, reply);
	if (!fields) return;
	const maxCount = body?.max_count ?? MAX_COUNT;
	if (!Number.isInteger(maxCount) || maxCount < 1 || maxCount > MAX_COUNT)
		return reply(400, 'invalid_params', `max_count must be an integer from 1 to ${MAX_COUNT}.`);
	const cursor = body?.cursor ?? undefined;
	if (cursor !== undefined && (!Number.isSafeInteger(cursor) || cursor < 0))
		return reply(400, 'invalid_params', 'cursor must be a millisecond timestamp.');

	const published = Boolean(sandbox.config.listPublishedPosts);
	const older = videosOf(sandbox, token.openId, { published })
		.sort((a, b) => b.create_time - a.create_time)
		.filter((video) => cursor === undefined || video.create_time * 1000 < cursor);
	const page = older.slice(0, maxCount);
	const nextCursor = page.length ? page.at(-1).create_time * 1000 : (cursor ?? Date.now());
	const videos = page.map((video) => videoText(video, fields));
	call.status = 200;
	call.code = 'ok';
	sendRawJson(
		res,
		200,
		`{"data":{"videos":[${videos.join(',')}],"cursor":${nextCursor},"has_more":${older.length > page.length}},` +
			`"error":{"code":"ok","message":"","log_id":"${logId()}"}}`,
	);
}

/**
 * POST /v2/video/query/: the user's videos named in the body's `filters.video_ids` (1–20 id
 * strings), with the same `fields` as the list. Ids that are not this user's videos are left out
 * without an error; each video comes once, in the order its id was first asked for.
 */
export function videoQuery({ url, body, token, reply, res, sandbox, call }) {
	const fields = requestedFields(url, reply);
	if (!fields) return;
	const filters = body?.filters;
	if (!filters || typeof filters !== 'object' || Array.isArray(filters))
		return reply(400, 'invalid_params', 'filters.video_ids is required.');
	const ids = filters.video_ids;
	if (!Array.isArray(ids) || ids.length < 1 || ids.length > MAX_COUNT)
		return reply(400, 'invalid_params', `filters.video_ids must list 1 to ${MAX_COUNT} video ids.`);
	if (!ids.every((id) => typeof id === 'string'))
		return reply(400, 'invalid_params', 'filters.video_ids must be strings.');

	const byId = new Map(
		videosOf(sandbox, token.openId, { published: true }).map((video) => [String(video.id), video]),
	);
	const found = [...new Set(ids)].map((id) => byId.get(id)).filter(Boolean);
	call.status = 200;
	call.code = 'ok';
	sendRawJson(
		res,
		200,
		`{"data":{"videos":[${found.map((video) => videoText(video, fields)).join(',')}]},` +
			`"error":{"code":"ok","message":"","log_id":"${logId()}"}}`,
	);
}

/** A configured id as JSON integer text; anything but digits would break the JSON, so refuse it. */
function rawInteger(id) {
	const text = String(id);
	if (!/^\d+$/.test(text)) throw new Error(`video id ${text} is not an integer`);
	return text;
}
