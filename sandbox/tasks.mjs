// Publish tasks (one per init): ids, the record every flow shares, status progression and the
// per-user caps of docs/tiktok-api.md#usage-caps. Inbox drafts and Direct Posts, videos and photos, all live
// in state.uploads under their publish id.
import { randomBytes } from 'node:crypto';
import { processingFaultMatches, takeFault } from './state.mjs';
import { publishedVideo } from './videos.mjs';

const FIRST_POST_ID = 7300000000000000001n;
const DAY_MS = 86_400_000;

/** The next public post id: a 19-digit decimal string, written into JSON as a bare number. */
export function nextPostId(state) {
	return String(FIRST_POST_ID + state.postIdSequence++);
}

/** `v_inbox_file~v2.<19 digits>` and friends (docs/tiktok-api.md#content-posting): the prefix names the flow and the source. */
export function newPublishId(state, prefix) {
	const id = `${Date.now()}${String(++state.publishSequence).padStart(6, '0')}`.slice(-19);
	return `${prefix}~v2.${id}`;
}

/**
 * Creates and stores a task. `mode` is 'inbox' (draft to the creator's inbox, also photo
 * MEDIA_UPLOAD) or 'direct' (Direct Post); `pullUrls` lists what PULL_FROM_URL downloads.
 */
export function createTask(
	state,
	{ prefix, openId, mode, mediaType = 'VIDEO', source, fileInfo = {}, postInfo, pullUrls = [] },
) {
	const publishId = newPublishId(state, prefix);
	const upload = {
		publishId,
		openId,
		mode,
		mediaType,
		source: source.source,
		videoSize: fileInfo.video_size,
		chunkSize: fileInfo.chunk_size,
		totalChunkCount: fileInfo.total_chunk_count,
		bytesReceived: 0,
		sha256: undefined,
		hash: undefined,
		ranges: [],
		puts: [],
		contentType: undefined, // of the first committed chunk; later chunks must match it
		postInfo,
		privacyLevel: postInfo?.privacy_level,
		pullSources: pullUrls.map((url) => ({ url, downloadedBytes: 0, sha256: undefined })),
		downloadedBytes: 0,
		status: source.source === 'FILE_UPLOAD' ? 'PROCESSING_UPLOAD' : 'PROCESSING_DOWNLOAD',
		failReason: undefined,
		complete: false,
		createdAt: Date.now(),
		completedAt: undefined,
		uploadToken: source.source === 'FILE_UPLOAD' ? randomBytes(16).toString('hex') : undefined,
		pull: undefined, // AbortController of a running download
		postIds: [],
		failAfterProcessing: undefined, // a fail_reason a processing fault set (state.mjs)
	};
	const fault = takeFault(
		state,
		(f) => f.target === 'processing' && processingFaultMatches(f, upload),
	);
	upload.failAfterProcessing = fault?.failReason;
	watchTransitions(upload, state);
	state.uploads.set(publishId, upload);
	return upload;
}

/**
 * Calls `state.onTaskChange(upload, field, value)` (set by server.mjs, for webhooks) whenever
 * `status` or `complete` changes. Every flow sets these fields directly — upload host, pulls,
 * cancel, publishDraft, currentStatus — so watching them here sees each transition exactly once.
 */
function watchTransitions(upload, state) {
	for (const field of ['status', 'complete']) {
		let value = upload[field];
		Object.defineProperty(upload, field, {
			enumerable: true,
			get: () => value,
			set: (next) => {
				if (next === value) return;
				value = next;
				state.onTaskChange?.(upload, field, next);
			},
		});
	}
}

export function uploadUrlOf(sandbox, upload) {
	return `${sandbox.uploadBaseUrl}/upload/?upload_id=${encodeURIComponent(upload.publishId)}&upload_token=${upload.uploadToken}`;
}

/**
 * Moves a task along once all bytes are in and `processingMs` passed: a task with a processing
 * fault to FAILED with its reason; otherwise inbox drafts go to SEND_TO_USER_INBOX, Direct Posts
 * to PUBLISH_COMPLETE with one public post id unless SELF_ONLY.
 */
export function currentStatus(upload, config, state) {
	if (
		upload.status.startsWith('PROCESSING') &&
		upload.complete &&
		Date.now() - upload.completedAt >= config.processingMs
	) {
		if (upload.failAfterProcessing) {
			upload.failReason = upload.failAfterProcessing; // before the status: webhooks read it
			upload.status = 'FAILED';
		} else if (upload.mode === 'direct') {
			if (upload.privacyLevel !== 'SELF_ONLY') makePublic(upload, 1, config, state);
			upload.status = 'PUBLISH_COMPLETE';
		} else {
			upload.status = 'SEND_TO_USER_INBOX';
		}
	}
	return upload.status;
}

/**
 * Gives the task `count` new public post ids and adds each as a video of the creator, so
 * /v2/video/query/ (and, with listPublishedPosts, /v2/video/list/) finds it. Returns the ids.
 */
export function makePublic(upload, count, config, state) {
	upload.postIds = Array.from({ length: count }, () => nextPostId(state));
	const now = Math.floor(Date.now() / 1000);
	for (const id of upload.postIds)
		state.publishedVideos.push(publishedVideo({ id, upload, config, createTime: now }));
	return upload.postIds;
}

/** Drafts delivered or on their way to the creator's inbox within the last 24 hours. */
export function pendingShares(state, openId) {
	const since = Date.now() - DAY_MS;
	return [...state.uploads.values()].filter(
		(u) =>
			u.mode !== 'direct' &&
			u.openId === openId &&
			u.createdAt > since &&
			u.status !== 'PUBLISH_COMPLETE' &&
			u.status !== 'FAILED',
	).length;
}

/** Direct Posts (video and photo) of the last 24 hours that did not fail: the daily post cap. */
export function directPostsToday(state, openId) {
	const since = Date.now() - DAY_MS;
	return [...state.uploads.values()].filter(
		(u) =>
			u.mode === 'direct' && u.openId === openId && u.createdAt > since && u.status !== 'FAILED',
	).length;
}

/** Stops every running download (reset, close). */
export function abortPulls(state) {
	for (const upload of state.uploads.values()) upload.pull?.abort();
}

/**
 * The task named by the body's publish_id, when it belongs to the token's user; otherwise the
 * error is already answered (invalid_publish_id / token_not_authorized_for_specified_publish_id).
 */
export function ownTask({ body, token, reply, sandbox }) {
	const publishId = body?.publish_id;
	const upload = typeof publishId === 'string' ? sandbox.state.uploads.get(publishId) : undefined;
	if (!upload) {
		reply(400, 'invalid_publish_id', 'The publish_id is invalid.');
		return undefined;
	}
	if (upload.openId !== token.openId) {
		reply(
			400,
			'token_not_authorized_for_specified_publish_id',
			'The token is not authorized for this publish_id.',
		);
		return undefined;
	}
	return upload;
}
