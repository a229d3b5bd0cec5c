import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { UNATTENDED_CREDENTIAL_TYPE } from '../../../shared/credentialTypes';
import { tokenRefusalReason } from '../../../shared/tokenRefusal';
import type { RequestContext } from '../context';
import { reauthorizeError } from '../errors';
import type { ApiCall, HttpResponse } from '../http';
import { httpStatusIn, isExpiredToken, requestOptions, sendFailureFrom } from '../http';

/**
 * Waiting for another execution's rotation: how long (a busy worker can be slow to save) and
 * how often the stored credential is read meanwhile.
 */
const ROTATION_WAIT_MS = 10_000;
const ROTATION_POLL_MS = 250;

/**
 * One send with the unattended credential. Its preAuthentication hook refreshes with
 * `client_key` and n8n saves the rotated tokens. n8n runs the hook on an empty access token, or
 * when a request *throws* a 401 (and then sends the request once more itself), so an expired
 * token is answered by one repeat with HTTP errors thrown (once per call: `renewalsLeft`).
 *
 * Executions running at the same time (several workers in queue mode, or parallel executions on
 * one n8n) can hit the expiry together. TikTok rotates refresh tokens strictly: the first refresh
 * wins and the refresh token the others hold dies with it, so their refresh is refused although
 * the credential is fine. n8n re-reads the credential from its database for every request, so
 * after a refusal the node waits until the credential holds other tokens than before (the ones
 * the winner saved) and sends once more with them. Only when nothing changed does the refusal
 * mean "re-authorize". Throws SendFailure when no HTTP answer arrived.
 */
export async function sendUnattended(this: RequestContext, call: ApiCall): Promise<HttpResponse> {
	const { itemIndex } = call;
	const before = await this.getCredentials(UNATTENDED_CREDENTIAL_TYPE, itemIndex);
	const options = requestOptions(String(before.apiBaseUrl), call);
	let response: HttpResponse;
	try {
		response = await send.call(this, options);
	} catch (error) {
		// The hook runs before the first send when the stored access token is empty (a fresh code).
		if (isTokenRefusal(error)) return await afterRefusal.call(this, call, before, error, options);
		throw sendFailureFrom(error);
	}
	if (!isExpiredToken(response)) return response;
	if (call.renewalsLeft <= 0) {
		throw reauthorizeError(this.getNode(), 'TikTok rejected the refreshed access token', itemIndex);
	}
	call.renewalsLeft--;
	try {
		return await send.call(this, { ...options, ignoreHttpStatusErrors: false });
	} catch (error) {
		if (isTokenRefusal(error)) return await afterRefusal.call(this, call, before, error, options);
		const statusCode = httpStatusIn(error);
		if (statusCode === undefined) throw sendFailureFrom(error);
		// n8n refreshed and threw TikTok's answer to its repeat without the body. A 4xx means TikTok
		// refused without acting, so asking once more for its error envelope is safe for every call;
		// a 5xx goes to the retry policy as it is (a pull init must not be sent again).
		if (statusCode >= 500) return { statusCode, body: '' };
		try {
			return await send.call(this, options);
		} catch (repeatError) {
			throw sendFailureFrom(repeatError);
		}
	}
}

async function send(this: RequestContext, options: IHttpRequestOptions): Promise<HttpResponse> {
	return (await this.helpers.httpRequestWithAuthentication.call(this, UNATTENDED_CREDENTIAL_TYPE, {
		...options,
	})) as HttpResponse;
}

/** TikTok refused the code or refresh token: use another execution's rotation, or re-authorize. */
async function afterRefusal(
	this: RequestContext,
	call: ApiCall,
	before: ICredentialDataDecryptedObject,
	refusal: unknown,
	options: IHttpRequestOptions,
): Promise<HttpResponse> {
	const rotated = await waitForRotation.call(this, before, call.itemIndex);
	if (!rotated) {
		throw reauthorizeError(this.getNode(), refusalMessage(refusal), call.itemIndex);
	}
	try {
		return await send.call(this, options);
	} catch (error) {
		if (isTokenRefusal(error)) {
			throw reauthorizeError(this.getNode(), refusalMessage(error), call.itemIndex);
		}
		throw sendFailureFrom(error);
	}
}

/**
 * Polls the stored credential until its tokens differ from `before` (another execution refreshed
 * and saved), and returns it; or undefined when nothing changed within ROTATION_WAIT_MS. Tokens
 * are only compared.
 */
async function waitForRotation(
	this: RequestContext,
	before: ICredentialDataDecryptedObject,
	itemIndex: number,
): Promise<ICredentialDataDecryptedObject | undefined> {
	const changed = (now: ICredentialDataDecryptedObject) =>
		['accessToken', 'refreshToken'].some(
			(field) => String(now[field] ?? '') !== String(before[field] ?? ''),
		) && String(now.accessToken ?? '') !== '';
	for (let waited = 0; waited <= ROTATION_WAIT_MS; waited += ROTATION_POLL_MS) {
		const now = await this.getCredentials(UNATTENDED_CREDENTIAL_TYPE, itemIndex);
		if (changed(now)) return now;
		await sleep(ROTATION_POLL_MS);
	}
	return undefined;
}

const isTokenRefusal = (error: unknown) => tokenRefusalReason(error) !== undefined;

const refusalMessage = (error: unknown) =>
	`TikTok refused ${tokenRefusalReason(error) ?? 'the credential'}`;
