/**
 * The unattended credential's hook throws errors made here when TikTok refuses its code or
 * refresh token (or the credential lacks what a refresh needs). n8n wraps hook errors in a
 * NodeApiError that keeps only the message (its `cause` field is reset), so the mark is the
 * message's fixed start, written and read only through this file.
 */
const MARK = 'TikTok refused ';

export function tokenRefusalError(reason: string): Error {
	const error = new Error(`${MARK}${reason}`);
	error.name = 'TikTokTokenRefusal';
	return error;
}

/** The refusal's reason when `error` (or an error it wraps) is one. */
export function tokenRefusalReason(error: unknown): string | undefined {
	for (let cause = error; cause instanceof Error; cause = (cause as { cause?: unknown }).cause) {
		if (cause.message.startsWith(MARK)) return cause.message.slice(MARK.length);
	}
	return undefined;
}
