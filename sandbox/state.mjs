// Everything the sandbox remembers. Records for inspection never hold the client secret.
//
// Faults (sandbox.addFault / POST /__sandbox/faults). The first request a fault matches takes it,
// `times` times (default 1). `when` says when it strikes: absent or 'beforeEffect', before TikTok
// acts (nothing happens); 'afterEffect', after TikTok acted (task created and its pull started,
// chunk committed) in place of the successful answer, so "it happened but the answer was lost"
// can be tested. Only a 2xx answer is replaced, so a refused request leaves the fault in place.
//
// API endpoints, target = userInfo | inboxInit | statusFetch | creatorInfo | directPostInit |
// contentInit | cancel | videoList | videoQuery; before-effect faults strike after the token and
// scope checks:
//   { target, kind: 'status', status, [retryAfterSeconds], [when] }
//       TikTok's envelope with internal_error (429: rate_limit_exceeded, Retry-After if given)
//   { target, kind: 'reset', [when] }   the connection is destroyed without an answer
//   Recorded in apiCalls: status = the status or 'reset'; afterEffect: true after the effect.
//
// Upload host; chunkIndex (absent: any chunk) = chunks accepted so far (upload.ranges.length)
// when the PUT arrives, so a chunk repeated after it was accepted counts as the next index:
//   { target: 'chunk', chunkIndex, kind: 'status', status }   answered before any check
//   { target: 'chunk', chunkIndex, kind: 'reset' }     socket destroyed half-way through the body
//   { target: 'chunk', chunkIndex, kind: 'expired' }   403 "The upload URL has expired."
//   { target: 'chunk', chunkIndex, kind: 'status' | 'reset', when: 'afterEffect' }
//       the chunk is received and committed (the last one completes the upload: sha256 set,
//       processing starts), then the status is answered or the socket destroyed
//   Recorded in the upload's puts: status = the status or 'reset'; afterEffect: true.
//
// Token endpoint (before the effect only):
//   { target: 'token', kind: 'status', status }   { target: 'token', kind: 'errorBody', error }
//
// Processing (no `when`): TikTok accepts the upload, then its checks fail it afterwards.
//   { target: 'processing', failReason, [videoSize | videoUrl | photoUrl], [times] }
//       taken by the next task an init creates (an init that is refused leaves it in place) and
//       that matches: videoSize = a FILE_UPLOAD's declared video_size, videoUrl = a PULL_FROM_URL
//       video's video_url, photoUrl = any of a photo post's photo_images (URLs compared without
//       their query); none of them: any video or photo task. The upload itself goes through (all
//       chunks accepted, or every URL downloaded); once processingMs has passed after that, the
//       task ends FAILED with `failReason` instead of reaching the inbox or being posted, and
//       post.publish.failed carries that reason. A pull that fails, or a cancel, keeps its own
//       reason. failReason is one of PROCESSING_FAIL_REASONS (the status fetch's fail_reason).
//   Shown in the upload's state as failAfterProcessing.
export const PROCESSING_FAIL_REASONS = [
	'file_format_check_failed',
	'duration_check_failed',
	'frame_rate_check_failed',
	'picture_size_check_failed',
	'internal',
	'video_pull_failed',
	'photo_pull_failed',
	'publish_cancelled',
	'auth_removed',
	'spam_risk_too_many_posts',
	'spam_risk_user_banned_from_posting',
	'spam_risk_text',
	'spam_risk',
];
const PROCESSING_MATCHERS = ['videoSize', 'videoUrl', 'photoUrl'];

export function createState() {
	return {
		authorizeRequests: [],
		tokenRequests: [],
		apiCalls: [],
		uploads: new Map(), // publishId → upload record
		codes: new Map(), // code → { clientKey, redirectUri, scopes, challenge, expiresAt, used }
		accessTokens: new Map(), // token → { openId, scopes, expiresAt, revoked }
		refreshTokens: new Map(), // token → { openId, scopes, expiresAt, valid }
		faults: [],
		rateWindows: new Map(), // `${token}|${endpoint}` → timestamps
		publishSequence: 0,
		postIdSequence: 0n,
		publishedVideos: [], // posts made public in this state, as /v2/video/query/ finds them
	};
}

export const BEFORE_EFFECT = 'beforeEffect';
export const AFTER_EFFECT = 'afterEffect';

/**
 * Stores a fault (shapes above). Refuses a `when` the sandbox cannot honour, so a test never
 * waits for a fault that would silently never strike.
 */
export function addFault(state, fault) {
	if (fault?.target === 'processing') {
		state.faults.push(checkProcessingFault(fault));
		return;
	}
	const when = fault?.when ?? BEFORE_EFFECT;
	if (when !== BEFORE_EFFECT && when !== AFTER_EFFECT)
		throw new Error(`fault.when must be '${BEFORE_EFFECT}' or '${AFTER_EFFECT}'`);
	if (when === AFTER_EFFECT) {
		if (fault.target === 'token') throw new Error('token faults strike before the effect only');
		if (fault.kind !== 'status' && fault.kind !== 'reset')
			throw new Error("afterEffect faults are of kind 'status' or 'reset'");
	}
	if (fault.kind === 'status' && !Number.isInteger(fault.status))
		throw new Error("a 'status' fault needs an integer status");
	state.faults.push({ ...fault });
}

function checkProcessingFault(fault) {
	if (fault.when !== undefined)
		throw new Error('processing faults take no `when`: they strike when processing ends');
	if (!PROCESSING_FAIL_REASONS.includes(fault.failReason))
		throw new Error(`failReason must be one of ${PROCESSING_FAIL_REASONS.join(', ')}`);
	const matchers = PROCESSING_MATCHERS.filter((key) => fault[key] !== undefined);
	if (matchers.length > 1)
		throw new Error(
			`a processing fault matches by at most one of ${PROCESSING_MATCHERS.join(', ')}`,
		);
	if (fault.videoSize !== undefined && !(Number.isInteger(fault.videoSize) && fault.videoSize > 0))
		throw new Error('videoSize must be a positive integer (the declared video_size)');
	for (const key of ['videoUrl', 'photoUrl']) {
		if (fault[key] !== undefined && !URL.canParse(String(fault[key])))
			throw new Error(`${key} must be an absolute URL`);
	}
	if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times > 0))
		throw new Error('times must be a positive integer');
	return { ...fault };
}

/** Whether a processing fault (shape above) applies to a task just created. */
export function processingFaultMatches(fault, upload) {
	if (fault.videoSize !== undefined)
		return upload.source === 'FILE_UPLOAD' && upload.videoSize === fault.videoSize;
	const urls = upload.pullSources.map((source) => withoutQuery(source.url));
	if (fault.videoUrl !== undefined)
		return upload.mediaType === 'VIDEO' && urls[0] === withoutQuery(fault.videoUrl);
	if (fault.photoUrl !== undefined)
		return upload.mediaType === 'PHOTO' && urls.includes(withoutQuery(fault.photoUrl));
	return true;
}

/**
 * Takes the first matching fault of phase `when` (faults without `when` are 'beforeEffect'),
 * counting down its `times` (default 1).
 */
export function takeFault(state, match, when = BEFORE_EFFECT) {
	const index = state.faults.findIndex((f) => (f.when ?? BEFORE_EFFECT) === when && match(f));
	if (index === -1) return undefined;
	const fault = state.faults[index];
	fault.remaining = (fault.remaining ?? fault.times ?? 1) - 1;
	if (fault.remaining <= 0) state.faults.splice(index, 1);
	return fault;
}

/**
 * Sliding window (one minute by default) per access token and endpoint. Returns 0 when the call
 * is allowed, otherwise the milliseconds until the oldest call leaves the window.
 */
export function overRateLimit(state, token, endpoint, limit, windowMs = 60_000, now = Date.now()) {
	if (limit === undefined) return 0;
	const key = `${token}|${endpoint}`;
	const recent = (state.rateWindows.get(key) ?? []).filter((t) => t > now - windowMs);
	if (recent.length >= limit) {
		state.rateWindows.set(key, recent);
		return Math.max(1, recent[0] + windowMs - now);
	}
	recent.push(now);
	state.rateWindows.set(key, recent);
	return 0;
}

/** The upload as tests see it (GET /__sandbox/state). Never the upload token. */
export function describeUpload(upload) {
	return {
		publishId: upload.publishId,
		openId: upload.openId,
		mode: upload.mode,
		mediaType: upload.mediaType,
		source: upload.source,
		videoSize: upload.videoSize,
		chunkSize: upload.chunkSize,
		totalChunkCount: upload.totalChunkCount,
		bytesReceived: upload.bytesReceived,
		sha256: upload.sha256,
		ranges: upload.ranges,
		puts: upload.puts,
		postInfo: upload.postInfo,
		photoCoverIndex: upload.photoCoverIndex,
		// PULL_FROM_URL downloads: the URL without its query (signed URLs carry credentials there).
		pulls: upload.pullSources.map((source) => ({
			url: withoutQuery(source.url),
			downloadedBytes: source.downloadedBytes,
			sha256: source.sha256,
		})),
		downloadedBytes: upload.downloadedBytes,
		status: upload.status,
		failReason: upload.failReason,
		failAfterProcessing: upload.failAfterProcessing, // from a processing fault
		pullError: upload.pullError, // why a pull failed, for test diagnostics
		complete: upload.complete,
		postIds: upload.postIds,
	};
}

/**
 * How many tasks were created per medium, so a test can tell a retried init that created a
 * second task from one that did not. Keys: `url:<video_url>` (PULL_FROM_URL video),
 * `photos:<url>,<url>,…` (photo post, every photo_images entry in order), `size:<video_size>`
 * (FILE_UPLOAD: the bytes are unknown at init); URLs without their query.
 */
export function tasksPerVideo(uploads) {
	const counts = {};
	for (const upload of uploads.values()) {
		const key = mediaKey(upload);
		counts[key] = (counts[key] ?? 0) + 1;
	}
	return counts;
}

function mediaKey(upload) {
	if (upload.source === 'FILE_UPLOAD') return `size:${upload.videoSize}`;
	const urls = upload.pullSources.map((source) => withoutQuery(source.url));
	return upload.mediaType === 'PHOTO' ? `photos:${urls.join(',')}` : `url:${urls[0]}`;
}

function withoutQuery(value) {
	try {
		const url = new URL(value);
		return `${url.origin}${url.pathname}`;
	} catch {
		return '(not a URL)';
	}
}
