// Defaults follow TikTok's documented rules (docs/tiktok-api.md); every value can be changed
// through startSandbox(options) or POST /__sandbox/config, for the rules the docs disagree on.
import { seedVideos } from './videos.mjs';

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
		// Per access token and minute (docs/tiktok-api.md#rate-limits); cancel has no documented limit, so none by default.
		rateLimits: {
			inboxInit: 6,
			directPostInit: 6,
			contentInit: 6,
			statusFetch: 30,
			creatorInfo: 20,
			userInfo: 600,
			videoList: 600,
			videoQuery: 600,
		},
		rateWindowSeconds: 60,
		sendRetryAfter: false, // TikTok documents no Retry-After header on 429
		maxPendingShares: 5,
		uploadUrlTtlSeconds: 3600,
		processingMs: 200,
		// PULL_FROM_URL: domains (covering subdomains) or, when starting with http(s)://, exact URL
		// prefixes. http:// is accepted only for 127.0.0.1 (local test servers); see pull.mjs.
		verifiedDomains: [],
		pullDelayMs: 0, // wait before a pull starts, so tests can cancel while PROCESSING_DOWNLOAD
		pullTimeoutMs: 3_600_000, // TikTok gives a download one hour, then fails it
		pullCa: undefined, // extra trusted CA certificate(s), PEM, for https test servers
		maxPostsPerDay: 15, // Direct Posts per creator per 24 h → spam_risk_too_many_posts
		unaudited: false, // unaudited client: public accounts refused, only SELF_ONLY posts
		// Webhooks (docs/tiktok-api.md#webhooks, webhooks.mjs): the app's one callback URL; unset, nothing is delivered.
		webhookUrl: undefined,
		webhookDelayMs: 0, // wait before the first attempt of an automatic event
		webhookRetries: 2, // re-deliveries after a non-2xx answer or a connection error
		webhookRetryBaseMs: 200, // re-delivery n waits webhookRetryBaseMs × 2^n (TikTok: up to 72 h)
		webhookDuplicates: 0, // extra identical deliveries of each automatic event (at least once)
		webhookTimeoutMs: 5000, // TikTok wants 200 at once; a receiver that hangs counts as an error
		// The account behind creator_info (docs/tiktok-api.md#creator-info): the returned fields under TikTok's names, plus
		// privateAccount (private: FOLLOWER_OF_CREATOR options, duet/stitch disabled) and
		// cannotPostCode (spam_risk_too_many_posts | spam_risk_user_banned_from_posting |
		// reached_active_user_cap: creator info answers it with HTTP 200, Direct Post inits 403).
		creator: {
			creator_avatar_url: 'https://sandbox.invalid/avatar.webp',
			creator_username: 'sandbox.creator',
			creator_nickname: 'Sandbox Creator',
			privacy_level_options: undefined, // undefined: derived from privateAccount
			comment_disabled: false,
			duet_disabled: false,
			stitch_disabled: false,
			max_video_post_duration_sec: 600,
			privateAccount: false,
			cannotPostCode: undefined,
		},
		videos: seedVideos(45), // what /v2/video/list/ returns, any order (sorted newest first)
		// Posts the sandbox makes public (Direct Post, publishDraft) become videos /v2/video/query/
		// finds; /v2/video/list/ lists them after config.videos only when this is true.
		listPublishedPosts: false,
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

/** Which scope each /v2/user/info/ field needs (docs/tiktok-api.md#user-info). */
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
		if (['rateLimits', 'user', 'creator'].includes(key) && value && typeof value === 'object') {
			config[key] = { ...config[key], ...value };
		} else {
			config[key] = value;
		}
	}
	return config;
}
