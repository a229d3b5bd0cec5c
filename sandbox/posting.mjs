// Direct Post and the other Content Posting endpoints (docs/tiktok-api.md#content-posting, #direct-post-rules).
// Checks run in this order: request shape (400 invalid_params) → "can't post now" codes and the
// daily post cap (403) → unaudited client on a public account (403) → privacy level (403) →
// branded content with SELF_ONLY (400) → URL ownership (403) → pending-share cap (403, drafts).
import { checkFileUpload } from './chunk-rules.mjs';
import { isVerifiedUrl, startPull } from './pull.mjs';
import {
	createTask,
	currentStatus,
	directPostsToday,
	ownTask,
	pendingShares,
	uploadUrlOf,
} from './tasks.mjs';

const PUBLIC_OPTIONS = ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'];
const PRIVATE_OPTIONS = ['FOLLOWER_OF_CREATOR', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'];
const VIDEO_BOOLEANS = [
	'disable_duet',
	'disable_stitch',
	'disable_comment',
	'brand_content_toggle',
	'brand_organic_toggle',
	'is_aigc',
];
const PHOTO_BOOLEANS = [
	'disable_comment',
	'auto_add_music',
	'brand_content_toggle',
	'brand_organic_toggle',
];
const MAX_PHOTOS = 35;
const SOURCE_INCORRECT = 'The request source info is empty or incorrect';

const CANNOT_POST_MESSAGES = {
	spam_risk_too_many_posts: 'The user has reached the daily post cap. Please try again later.',
	spam_risk_user_banned_from_posting: 'The user is banned from posting.',
	reached_active_user_cap: 'The daily quota of active posting users for this client is reached.',
};

/** Creator info as TikTok returns it, from `config.creator`. */
export function creatorView(config) {
	const creator = config.creator;
	const privateAccount = Boolean(creator.privateAccount);
	return {
		creator_avatar_url: creator.creator_avatar_url,
		creator_username: creator.creator_username,
		creator_nickname: creator.creator_nickname,
		privacy_level_options: [
			...(creator.privacy_level_options ?? (privateAccount ? PRIVATE_OPTIONS : PUBLIC_OPTIONS)),
		],
		comment_disabled: Boolean(creator.comment_disabled),
		duet_disabled: privateAccount || Boolean(creator.duet_disabled),
		stitch_disabled: privateAccount || Boolean(creator.stitch_disabled),
		max_video_post_duration_sec: creator.max_video_post_duration_sec,
	};
}

/** The code that stops this user from posting now: configured, or the daily cap reached. */
function cannotPost(state, config, openId) {
	if (config.creator.cannotPostCode) return config.creator.cannotPostCode;
	if (directPostsToday(state, openId) >= config.maxPostsPerDay) return 'spam_risk_too_many_posts';
	return undefined;
}

/** POST /v2/post/publish/creator_info/query/ — the "can't post now" codes come with HTTP 200. */
export function creatorInfo({ token, reply, sandbox }) {
	const code = cannotPost(sandbox.state, sandbox.config, token.openId);
	if (code) return reply(200, code, CANNOT_POST_MESSAGES[code] ?? 'The user cannot post now.');
	return reply(200, 'ok', '', creatorView(sandbox.config));
}

/**
 * `post_info` shape: an object (or absent), title/description strings within their UTF-16 limits
 * (JS string length), the listed booleans boolean when present. `video_cover_timestamp_ms` is not
 * checked: TikTok documents that an invalid value means the first frame.
 */
function postInfoProblem(postInfo, { titleMax, descriptionMax, booleans }) {
	if (postInfo === undefined || postInfo === null) return null;
	if (typeof postInfo !== 'object' || Array.isArray(postInfo)) return 'post_info must be an object';
	for (const [field, max] of [
		['title', titleMax],
		['description', descriptionMax],
	]) {
		const value = postInfo[field];
		if (max === undefined || value === undefined || value === null) continue;
		if (typeof value !== 'string') return `post_info.${field} must be a string`;
		if (value.length > max) return `post_info.${field} is longer than ${max} characters`;
	}
	for (const field of booleans) {
		const value = postInfo[field];
		if (value !== undefined && value !== null && typeof value !== 'boolean')
			return `post_info.${field} must be a boolean`;
	}
	return null;
}

/**
 * The 403/400 checks every Direct Post shares (video and photo). Returns [status, code, message]
 * or undefined when the post may go ahead.
 */
function directPostRefusal(sandbox, openId, postInfo = {}) {
	const { state, config } = sandbox;
	const code = cannotPost(state, config, openId);
	if (code) return [403, code, CANNOT_POST_MESSAGES[code] ?? 'The user cannot post now.'];
	const creator = creatorView(config);
	if (config.unaudited && !config.creator.privateAccount) {
		return [
			403,
			'unaudited_client_can_only_post_to_private_accounts',
			'Unaudited clients can only post to private accounts.',
		];
	}
	const privacy = postInfo?.privacy_level;
	if (typeof privacy !== 'string' || !creator.privacy_level_options.includes(privacy)) {
		return [
			403,
			'privacy_level_option_mismatch',
			'The privacy_level is missing or not among the privacy_level_options of the creator.',
		];
	}
	if (config.unaudited && privacy !== 'SELF_ONLY') {
		return [
			403,
			'privacy_level_option_mismatch',
			'Unaudited clients can only post with privacy_level SELF_ONLY.',
		];
	}
	if (postInfo.brand_content_toggle === true && privacy === 'SELF_ONLY') {
		return [400, 'invalid_params', 'Branded content cannot be posted with SELF_ONLY privacy.'];
	}
	return undefined;
}

const urlUnverified = (reply, field) =>
	reply(403, 'url_ownership_unverified', `The domain or URL prefix of ${field} is not verified.`);

/** POST /v2/post/publish/video/init/ — Direct Post of a video (docs/tiktok-api.md#direct-post). */
export function videoInit({ body, token, reply, sandbox }) {
	const source = body?.source_info ?? {};
	if (source.source === 'FILE_UPLOAD') {
		const problem = checkFileUpload(source, sandbox.config);
		if (problem) return reply(400, 'invalid_params', problem);
	} else if (source.source === 'PULL_FROM_URL') {
		if (typeof source.video_url !== 'string' || !source.video_url)
			return reply(400, 'invalid_params', SOURCE_INCORRECT);
	} else {
		return reply(400, 'invalid_params', SOURCE_INCORRECT);
	}
	const postInfo = body.post_info;
	const problem = postInfoProblem(postInfo, { titleMax: 2200, booleans: VIDEO_BOOLEANS });
	if (problem) return reply(400, 'invalid_params', problem);
	const refusal = directPostRefusal(sandbox, token.openId, postInfo);
	if (refusal) return reply(...refusal);
	const pull = source.source === 'PULL_FROM_URL';
	if (pull && !isVerifiedUrl(source.video_url, sandbox.config))
		return urlUnverified(reply, 'video_url');

	const upload = createTask(sandbox.state, {
		prefix: pull ? 'v_pub_url' : 'v_pub_file',
		openId: token.openId,
		mode: 'direct',
		source,
		fileInfo: source,
		postInfo,
		pullUrls: pull ? [source.video_url] : [],
	});
	if (pull) {
		startPull(upload, sandbox.config, 'video_pull_failed');
		return reply(200, 'ok', '', { publish_id: upload.publishId });
	}
	return reply(200, 'ok', '', {
		publish_id: upload.publishId,
		upload_url: uploadUrlOf(sandbox, upload),
	});
}

/** POST /v2/post/publish/content/init/ — photo posts, DIRECT_POST or MEDIA_UPLOAD (docs/tiktok-api.md#photo-posts). */
export function contentInit({ body, token, reply, sandbox }) {
	const mode = body?.post_mode;
	if (body?.media_type !== 'PHOTO' || (mode !== 'DIRECT_POST' && mode !== 'MEDIA_UPLOAD'))
		return reply(400, 'invalid_params', 'Invalid media_type or post_mode');
	const direct = mode === 'DIRECT_POST';
	const scope = direct ? 'video.publish' : 'video.upload';
	if (!token.scopes.includes(scope)) {
		return reply(
			401,
			'scope_not_authorized',
			`The user did not authorize the scope required for completing this request (${scope}).`,
		);
	}
	const source = body.source_info ?? {};
	if (source.source !== 'PULL_FROM_URL') return reply(400, 'invalid_params', SOURCE_INCORRECT);
	const images = source.photo_images;
	if (
		!Array.isArray(images) ||
		images.length < 1 ||
		images.length > MAX_PHOTOS ||
		!images.every((url) => typeof url === 'string' && url)
	) {
		return reply(400, 'invalid_params', `photo_images must list 1 to ${MAX_PHOTOS} URLs`);
	}
	const cover = source.photo_cover_index;
	if (!Number.isInteger(cover) || cover < 0 || cover >= images.length) {
		return reply(
			400,
			'invalid_params',
			'photo_cover_index must be a 0-based index into photo_images',
		);
	}
	const postInfo = body.post_info;
	const problem = postInfoProblem(postInfo, {
		titleMax: 90,
		descriptionMax: 4000,
		booleans: direct ? PHOTO_BOOLEANS : [],
	});
	if (problem) return reply(400, 'invalid_params', problem);
	if (direct) {
		const refusal = directPostRefusal(sandbox, token.openId, postInfo);
		if (refusal) return reply(...refusal);
	}
	if (!images.every((url) => isVerifiedUrl(url, sandbox.config)))
		return urlUnverified(reply, 'photo_images');
	if (!direct && pendingShares(sandbox.state, token.openId) >= sandbox.config.maxPendingShares) {
		return reply(
			403,
			'spam_risk_too_many_pending_share',
			'The user has too many pending shares in the last 24 hours.',
		);
	}

	const upload = createTask(sandbox.state, {
		prefix: direct ? 'p_pub_url' : 'p_inbox_url',
		openId: token.openId,
		mode: direct ? 'direct' : 'inbox',
		mediaType: 'PHOTO',
		source,
		postInfo,
		pullUrls: images,
	});
	upload.photoCoverIndex = cover;
	startPull(upload, sandbox.config, 'photo_pull_failed');
	return reply(200, 'ok', '', { publish_id: upload.publishId });
}

/** POST /v2/post/publish/cancel/ — only a PULL_FROM_URL task still downloading (docs/tiktok-api.md#cancel). */
export function cancel({ body, token, reply, sandbox }) {
	const upload = ownTask({ body, token, reply, sandbox });
	if (!upload) return;
	const status = currentStatus(upload, sandbox.config, sandbox.state);
	if (upload.source !== 'PULL_FROM_URL' || status !== 'PROCESSING_DOWNLOAD' || upload.complete) {
		return reply(400, 'publish_not_cancellable', 'The publish task can no longer be cancelled.');
	}
	upload.status = 'FAILED';
	upload.failReason = 'publish_cancelled';
	upload.pull?.abort(new Error('cancelled'));
	return reply(200, 'ok', '', null);
}
