// Everything the sandbox remembers. Records for inspection never hold the client secret.
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
	};
}

/** Takes the first matching fault, counting down its `times` (default 1). */
export function takeFault(state, match) {
	const index = state.faults.findIndex(match);
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
		pullError: upload.pullError, // why a pull failed, for test diagnostics
		complete: upload.complete,
		postIds: upload.postIds,
	};
}

function withoutQuery(value) {
	try {
		const url = new URL(value);
		return `${url.origin}${url.pathname}`;
	} catch {
		return '(not a URL)';
	}
}
