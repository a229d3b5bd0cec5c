import type { IDataObject } from 'n8n-workflow';

/** Fields of TikTok's video object (/v2/video/list/ and /v2/video/query/, scope video.list). */
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

/** Video ids are 19-digit numbers (parsed losslessly by the transport): kept as exact strings. */
export const withExactId = (video: IDataObject): IDataObject =>
	video.id === undefined ? video : { ...video, id: String(video.id) };
