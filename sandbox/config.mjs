// Defaults follow TikTok's documented rules (shared/tiktok-api.md); every value can be changed
// through startSandbox(options) or POST /__sandbox/config, for the rules the docs disagree on.
export function defaultConfig() {
	return {
		clientKey: 'sandbox-client-key',
		clientSecret: 'sandbox-client-secret',
		redirectUris: [], // empty: any absolute http(s) URI without query or fragment
		appScopes: [
			'user.info.basic',
			'user.info.profile',
			'user.info.stats',
			'video.upload',
			'video.publish',
			'video.list',
		],
		accessTokenTtlSeconds: 86_400,
		refreshTokenTtlSeconds: 31_536_000,
		codeTtlSeconds: 600,
		rotateRefreshTokens: true,
		tokenErrorStatus: 200, // TikTok is reported to answer OAuth errors with HTTP 200
		rateLimits: { inboxInit: 6, statusFetch: 30, creatorInfo: 20, userInfo: 600 },
		rateWindowSeconds: 60,
		sendRetryAfter: false, // TikTok documents no Retry-After header on 429
		maxPendingShares: 5,
		uploadUrlTtlSeconds: 3600,
		processingMs: 200,
		verifiedDomains: [],
		maxVideoSize: 4 * 1024 ** 3,
		minChunkSize: 5_242_880, // the stricter reading of "5 MB"
		maxChunkSize: 64_000_000, // the stricter reading of "64 MB"
		maxFinalChunkSize: 128_000_000,
		maxChunkCount: 1000,
		singleChunkMax: 64_000_000,
		user: {
			open_id: 'sandbox-open-id-0001',
			union_id: 'sandbox-union-id-0001',
			avatar_url: 'https://sandbox.invalid/avatar.webp',
			avatar_url_100: 'https://sandbox.invalid/avatar-100.webp',
			avatar_large_url: 'https://sandbox.invalid/avatar-large.webp',
			display_name: 'Sandbox Creator',
			bio_description: 'A creator that only exists on 127.0.0.1',
			profile_deep_link: 'https://sandbox.invalid/@sandbox.creator',
			is_verified: false,
			username: 'sandbox.creator',
			follower_count: 1234,
			following_count: 56,
			likes_count: 7890,
			video_count: 12,
		},
	};
}

/** Which scope each /v2/user/info/ field needs (tiktok-api.md §2). */
export const USER_FIELD_SCOPES = {
	open_id: 'user.info.basic',
	union_id: 'user.info.basic',
	avatar_url: 'user.info.basic',
	avatar_url_100: 'user.info.basic',
	avatar_large_url: 'user.info.basic',
	display_name: 'user.info.basic',
	bio_description: 'user.info.profile',
	profile_deep_link: 'user.info.profile',
	is_verified: 'user.info.profile',
	username: 'user.info.profile',
	follower_count: 'user.info.stats',
	following_count: 'user.info.stats',
	likes_count: 'user.info.stats',
	video_count: 'user.info.stats',
};

export function mergeConfig(config, patch = {}) {
	for (const [key, value] of Object.entries(patch)) {
		if ((key === 'rateLimits' || key === 'user') && value && typeof value === 'object') {
			config[key] = { ...config[key], ...value };
		} else {
			config[key] = value;
		}
	}
	return config;
}
