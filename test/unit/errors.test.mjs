// transport/errors.ts: what each TikTok error code tells the user to do, and the error shapes.
import { fromDist } from '../helpers/dist.mjs';
import { testNode } from '../helpers/n8nContext.mjs';

const { tikTokApiError, unknownOutcomeError, isUnknownOutcome, reconnectError } = fromDist(
	'nodes/TikTok/transport/errors.js',
);
const NODE = testNode();
const apiError = (code, extra = {}) =>
	tikTokApiError(NODE, { code, message: 'TikTok says no', ...extra }, 400);

describe('the fix for each TikTok error code', () => {
	test.each([
		['access_token_invalid', /click "Connect my account" again/],
		['scope_not_authorized', /Add it to the credential's Scopes/],
		['scope_permission_missed', /user\.info\.profile, user\.info\.stats/],
		['spam_risk_too_many_pending_share', /5 drafts waiting in the TikTok inbox/],
		['spam_risk_too_many_posts', /daily posting limit\. Retry in 24 hours/],
		['spam_risk_user_banned_from_posting', /does not allow this account to post/],
		['reached_active_user_cap', /daily limit of posting users/],
		['rate_limit_exceeded', /6 uploads and 30 status checks per minute/],
		['invalid_params', /rejected a parameter/],
		['invalid_param', /rejected a parameter/],
		['invalid_publish_id', /publish ID returned by Upload Draft/],
		['token_not_authorized_for_specified_publish_id', /belongs to another TikTok account/],
		['url_ownership_unverified', /not verified for your TikTok app/],
		['unaudited_client_can_only_post_to_private_accounts', /must be set to private/],
		['privacy_level_option_mismatch', /privacy level this creator offers/],
		['internal_error', /internal error\. Retry later/],
		['publish_not_cancellable', /Only uploads from a URL/],
		['app_version_check_failed', /31\.8 or newer/],
		['a_code_nobody_knows', /^See TikTok's message above\.$/],
	])('%s', (code, fix) => {
		const error = apiError(code);
		expect(error.description).toMatch(fix);
		expect(error.message).toBe(`TikTok error "${code}": TikTok says no`);
		expect(error.httpCode).toBe('400');
	});
});

describe('tikTokApiError', () => {
	test.each([
		[
			'log_id after the fix',
			['internal_error', { log_id: 'L7' }],
			/Retry later\. \(TikTok log_id: L7\)$/,
		],
		['no log_id, nothing added', ['internal_error'], /Retry later\.$/],
	])('%s', (_name, [code, extra], description) => {
		expect(apiError(code, extra).description).toMatch(description);
	});

	test.each([
		['scope_not_authorized', 'video.publish', ' (needs scope video.publish)'],
		['scope_not_authorized', undefined, ''],
		['invalid_params', 'video.publish', ''],
	])('%s with needed scope %s: the message says %j', (code, scope, suffix) => {
		const error = tikTokApiError(NODE, { code, message: 'm' }, 401, 0, scope);
		expect(error.message).toBe(`TikTok error "${code}": m${suffix}`);
	});

	test('an empty message says so', () => {
		expect(apiError('internal_error', { message: '' }).message).toBe(
			'TikTok error "internal_error": no message',
		);
	});
});

describe('unknown outcomes', () => {
	test.each([
		['with a publish id', 'v_pub_url~v2.1', /Check Status with publish ID v_pub_url~v2\.1/],
		['without one', undefined, /look in the TikTok app/],
	])('%s: what to check before running the item again', (_name, publishId, check) => {
		const error = unknownOutcomeError(NODE, { action: 'post', reason: 'HTTP 502', publishId });
		expect(error.message).toBe(
			'TikTok may have accepted the post, but its answer was lost (HTTP 502)',
		);
		expect(error.description).toMatch(/could post twice/);
		expect(error.description).toMatch(check);
		expect(isUnknownOutcome(error)).toBe(true);
	});

	test.each([
		['a TikTok API error', apiError('internal_error')],
		['a reconnect error', reconnectError(NODE, 'expired')],
		['a plain Error', new Error('x')],
		['nothing', undefined],
	])('%s is not one', (_name, error) => {
		expect(isUnknownOutcome(error)).toBe(false);
	});
});
