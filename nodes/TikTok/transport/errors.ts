import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** TikTok's error object: `error` in every JSON API envelope (docs/tiktok-api.md#response-envelope). */
export interface TikTokError {
	code: string;
	message: string;
	log_id?: string;
}

const RECONNECT = 'Open the TikTok credential and click "Connect my account" again.';

/** One line per common code: what the user should do next. */
const FIXES: Record<string, string> = {
	access_token_invalid: `The access token expired or was revoked. ${RECONNECT}`,
	scope_not_authorized:
		"The connected account did not grant the scope this operation needs. Add it to the credential's Scopes (and to your TikTok app), then reconnect.",
	scope_permission_missed:
		'Some requested fields need scopes the account did not grant (user.info.profile, user.info.stats). Remove those fields or add the scopes and reconnect.',
	spam_risk_too_many_pending_share:
		'The creator has 5 drafts waiting in the TikTok inbox (the 24-hour limit). Post or delete drafts in the TikTok app, then retry later.',
	spam_risk_too_many_posts: "The creator reached TikTok's daily posting limit. Retry in 24 hours.",
	spam_risk_user_banned_from_posting: 'TikTok does not allow this account to post right now.',
	reached_active_user_cap:
		'Your TikTok app reached its daily limit of posting users. Retry tomorrow or ask TikTok for a higher quota.',
	rate_limit_exceeded:
		'TikTok allows 6 uploads and 30 status checks per minute per account. Wait a minute, or space the items out (e.g. Loop Over Items with a Wait node).',
	invalid_params: 'TikTok rejected a parameter; its message above names it.',
	invalid_param: 'TikTok rejected a parameter; its message above names it.',
	invalid_publish_id: 'Use a publish ID returned by Upload Draft, e.g. v_inbox_file~v2.123456789.',
	token_not_authorized_for_specified_publish_id:
		'This publish ID belongs to another TikTok account: use the credential of the account that uploaded it.',
	url_ownership_unverified:
		"The video URL's domain or URL prefix is not verified for your TikTok app. Verify it in the TikTok developer portal.",
	unaudited_client_can_only_post_to_private_accounts:
		'Your TikTok app is not audited yet: the TikTok account must be set to private to post through it.',
	privacy_level_option_mismatch: 'Pick a privacy level this creator offers.',
	internal_error: 'TikTok had an internal error. Retry later.',
	publish_not_cancellable:
		'Only uploads from a URL that TikTok is still downloading can be cancelled; this one is already processed, finished or was a file upload.',
	app_version_check_failed:
		"The creator's TikTok app is too old for photo drafts (31.8 or newer is needed): update the app or use Direct Post.",
};

/** A NodeApiError built only from TikTok's code, message and log_id: never a URL or a token. */
export function tikTokApiError(
	node: INode,
	error: TikTokError,
	httpCode: number,
	itemIndex?: number,
	neededScope?: string,
): NodeApiError {
	const fix = FIXES[error.code] ?? "See TikTok's message above.";
	const logId = error.log_id ? ` (TikTok log_id: ${error.log_id})` : '';
	const scope =
		neededScope && error.code === 'scope_not_authorized' ? ` (needs scope ${neededScope})` : '';
	return new NodeApiError(node, { ...error } as JsonObject, {
		message: `TikTok error "${error.code}": ${error.message || 'no message'}${scope}`,
		description: `${fix}${logId}`,
		httpCode: String(httpCode),
		itemIndex,
	});
}

export function reconnectError(node: INode, reason: string, itemIndex?: number): NodeApiError {
	return new NodeApiError(
		node,
		{ message: reason },
		{
			message: `TikTok credential needs to be reconnected: ${reason}`,
			description: `${RECONNECT} The TikTok Connect button credential cannot save the rotated refresh token TikTok issues, so after the access token expires (24 h) a reconnect is needed. For workflows nobody watches, use the node's Unattended (Auto-Refresh) authentication.`,
			httpCode: '401',
			itemIndex,
		},
	);
}

/** Unattended credential: TikTok refused its code or refresh token; n8n saved nothing. */
export function reauthorizeError(node: INode, reason: string, itemIndex?: number): NodeApiError {
	return new NodeApiError(
		node,
		{ message: reason },
		{
			message: 'TikTok credential needs to be re-authorized',
			description: reason,
			httpCode: '401',
			itemIndex,
		},
	);
}

/** No HTTP answer from TikTok (never the request itself: it holds the Authorization header). */
export function networkError(node: INode, reason: string, itemIndex?: number): NodeApiError {
	return new NodeApiError(
		node,
		{ message: reason },
		{
			message: `Could not reach TikTok: ${reason}`,
			description: 'Check the network connection of the n8n host and retry.',
			itemIndex,
		},
	);
}

/**
 * TikTok may have acted on a call whose answer was lost (a 5xx, a reset or a timeout after the
 * request was sent). Running the item again could post twice, so the error says what to check.
 */
export function unknownOutcomeError(
	node: INode,
	what: { action: string; reason: string; publishId?: string; itemIndex?: number },
): NodeApiError {
	const check = what.publishId
		? `Check Status with publish ID ${what.publishId} shows whether TikTok has it.`
		: "The lost answer held the publish ID, so look in the TikTok app: the creator's inbox for drafts, the profile for posts.";
	return new NodeApiError(
		node,
		{ message: what.reason, code: UNKNOWN_OUTCOME },
		{
			message: `TikTok may have accepted the ${what.action}, but its answer was lost (${what.reason})`,
			description: `Do not run this item again before checking: it could post twice. ${check} If nothing arrived within an hour, run the item again.`,
			itemIndex: what.itemIndex,
		},
	);
}

/** The `code` of unknown-outcome errors, in Continue On Fail items too. */
export const UNKNOWN_OUTCOME = 'unknown_outcome';

export function isUnknownOutcome(error: unknown): boolean {
	const response = (error as { errorResponse?: { code?: unknown } } | undefined)?.errorResponse;
	return response?.code === UNKNOWN_OUTCOME;
}
