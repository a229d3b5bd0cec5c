import type { IDataObject } from 'n8n-workflow';

/**
 * Which TikTok calls may be sent again, in one place. The question for every call is: if the
 * answer is lost, could TikTok already have acted? (docs/retry-rules.md has the reasoning.)
 *
 * - read: status, user info, creator info, video list. Reading twice changes nothing.
 * - fileUploadInit: an inbox or Direct Post init with source FILE_UPLOAD. TikTok creates a task
 *   that waits for bytes; a task that never receives them never becomes a post, so a repeat
 *   after an unknown outcome leaves at most an empty task behind, never a second post.
 * - pullInit: an init with source PULL_FROM_URL (video URL, every photo post). TikTok starts
 *   downloading and posting at once, so once the request may have reached TikTok it is never
 *   sent again: a 5xx, a reset or a timeout after sending is an unknown outcome.
 * - cancel: cancelling twice asks for the same thing; the worst a repeat can do is answer
 *   publish_not_cancellable.
 */
export type CallKind = 'read' | 'fileUploadInit' | 'pullInit' | 'cancel';

const INIT_PATHS = [
	'/v2/post/publish/inbox/video/init/',
	'/v2/post/publish/video/init/',
	'/v2/post/publish/content/init/',
];

export function callKindOf(path: string, body?: IDataObject): CallKind {
	if (path === '/v2/post/publish/cancel/') return 'cancel';
	if (!INIT_PATHS.includes(path)) return 'read';
	const source = (body?.source_info as IDataObject | undefined)?.source;
	return source === 'FILE_UPLOAD' ? 'fileUploadInit' : 'pullInit';
}

/** Whether a call of this kind may be sent again after TikTok may have received it. */
export const REPEATABLE_AFTER_SENDING: Record<CallKind, boolean> = {
	read: true,
	fileUploadInit: true,
	pullInit: false,
	cancel: true,
};

/** Sends per API call for 429, 5xx and network failures (the first send included). */
export const API_ATTEMPTS = 3;
/** Token renewals per API call: a refresh (or another execution's rotation picked up), then a re-send. */
export const TOKEN_RENEWALS = 1;
/**
 * The most requests one API call can send, in the worst case. API: API_ATTEMPTS sends, plus per
 * renewal the expired send that n8n repeats itself after its refresh (unattended credential) and
 * one more for TikTok's error envelope, which n8n drops when it throws. Token endpoint: n8n's
 * refresh before the first send when no access token is stored, and one per renewal.
 * Tested against the sandbox (test/unit/retryPolicy.test.mjs).
 */
export const MAX_API_REQUESTS_PER_CALL = API_ATTEMPTS + 2 * TOKEN_RENEWALS;
export const MAX_TOKEN_REQUESTS_PER_CALL = 1 + TOKEN_RENEWALS;
export const MAX_HTTP_REQUESTS_PER_API_CALL =
	MAX_API_REQUESTS_PER_CALL + MAX_TOKEN_REQUESTS_PER_CALL;

/** Tries per chunk PUT for 5xx answers and dropped connections; the same bytes are re-sent. */
export const CHUNK_ATTEMPTS = 3;

const SERVER_ERROR_BASE_DELAY_MS = 1000;
const RATE_LIMIT_WINDOW_MS = 60_000;
const MAX_RATE_LIMIT_WAIT_SECONDS = 65;

/**
 * What one send produced: an HTTP answer, or a failure that either certainly never reached
 * TikTok (connection refused, name not resolved) or may have (reset, timeout).
 */
export type SendResult =
	| { statusCode: number; retryAfter?: string }
	| { failure: 'notSent' | 'mayHaveReached' };

export type NextStep = 'answer' | 'retry' | 'fail' | 'unknownOutcome';

/**
 * What to do after a send. `answer`: read TikTok's envelope (success or a definite error).
 * `retry`: send again after retryDelayMs. `fail`: a network error, TikTok certainly did not
 * act. `unknownOutcome`: TikTok may have acted and the call must not be repeated.
 */
export function nextStep(kind: CallKind, result: SendResult, attempt: number): NextStep {
	const attemptsLeft = attempt < API_ATTEMPTS;
	if ('failure' in result) {
		if (result.failure === 'mayHaveReached' && !REPEATABLE_AFTER_SENDING[kind])
			return 'unknownOutcome';
		return attemptsLeft ? 'retry' : 'fail';
	}
	// 429: TikTok refused before acting (rate limits are checked first), so every kind may repeat.
	if (result.statusCode === 429) return attemptsLeft ? 'retry' : 'answer';
	if (result.statusCode >= 500) {
		if (!REPEATABLE_AFTER_SENDING[kind]) return 'unknownOutcome';
		return attemptsLeft ? 'retry' : 'answer';
	}
	return 'answer';
}

/** Backoff for 5xx and network failures; for 429 TikTok's Retry-After or one window. */
export function retryDelayMs(result: SendResult, attempt: number): number {
	if ('failure' in result || result.statusCode !== 429) return backoffMs(attempt);
	// No Retry-After is documented; TikTok's windows are one minute long.
	const retryAfter = Number(result.retryAfter ?? NaN);
	return Number.isFinite(retryAfter) && retryAfter >= 0
		? Math.min(retryAfter, MAX_RATE_LIMIT_WAIT_SECONDS) * 1000
		: RATE_LIMIT_WINDOW_MS;
}

/** Backoff after a 5xx or a network failure, for API calls and chunk PUTs alike: 1 s, 2 s, … */
export function backoffMs(attempt: number): number {
	return SERVER_ERROR_BASE_DELAY_MS * 2 ** (attempt - 1);
}
