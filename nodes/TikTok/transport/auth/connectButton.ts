import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../../shared/credentialTypes';
import { parseJsonObject } from '../../../shared/losslessJson';
import { API_TIMEOUT_MS, oauthErrorDetail } from '../../../shared/tikTokApi';
import type { RequestContext } from '../context';
import { cancelSignalOf } from '../context';
import { networkError, reconnectError } from '../errors';
import type { ApiCall, HttpResponse } from '../http';
import { isExpiredToken, requestOptions, sendFailureFrom } from '../http';
import type { RefreshedToken } from '../tokenCache';
import { getRefreshedToken, setRefreshedToken, tokenCacheKey } from '../tokenCache';

interface ConnectButtonCredential {
	clientId: string;
	clientSecret: string;
	accessTokenUrl: string;
	apiBaseUrl: string;
	oauthTokenData?: IDataObject;
}

/**
 * One send with the Connect-button credential. n8n's own refresh cannot send `client_key`, so on
 * an expired token the node refreshes itself (once per call: `renewalsLeft`) and sends again. It
 * cannot save the rotated token into an OAuth2 credential, so the new pair lives in memory for
 * the rest of this execution. Throws SendFailure when no HTTP answer arrived.
 */
export async function sendWithConnectButton(
	this: RequestContext,
	call: ApiCall,
): Promise<HttpResponse> {
	const { itemIndex } = call;
	const credential = (await this.getCredentials(
		CREDENTIAL_TYPE,
		itemIndex,
	)) as unknown as ConnectButtonCredential;
	const storedToken = assertConnected.call(this, credential, itemIndex);
	const options = requestOptions(credential.apiBaseUrl, call);

	const cacheKey = tokenCacheKey(
		this.getExecutionId?.() ?? 'no-execution',
		storedToken.refreshToken,
	);
	const refreshed = getRefreshedToken(cacheKey);
	const response = refreshed
		? await sendWithAccessToken.call(this, options, refreshed.accessToken)
		: await sendWithStoredToken.call(this, options);
	if (!isExpiredToken(response)) return response;
	if (call.renewalsLeft <= 0) {
		throw reconnectError(this.getNode(), 'TikTok rejected the refreshed access token', itemIndex);
	}
	call.renewalsLeft--;

	const token = await refreshAccessToken.call(
		this,
		credential,
		refreshed?.refreshToken ?? storedToken.refreshToken,
		itemIndex,
	);
	setRefreshedToken(cacheKey, token);
	const retried = await sendWithAccessToken.call(this, options, token.accessToken);
	if (isExpiredToken(retried)) {
		throw reconnectError(this.getNode(), 'TikTok rejected the refreshed access token', itemIndex);
	}
	return retried;
}

/**
 * n8n stores whatever a token endpoint answered with HTTP 200, so a TikTok error body can sit
 * where the token should be (docs/n8n-internals.md#token-data-stored-verbatim): treat that as "not connected".
 */
function assertConnected(
	this: RequestContext,
	credential: ConnectButtonCredential,
	itemIndex: number,
): { accessToken: string; refreshToken: string } {
	if (!credential.clientId) {
		throw reconnectError(this.getNode(), 'the credential has no Client Key', itemIndex);
	}
	const tokenData = credential.oauthTokenData ?? {};
	if (typeof tokenData.error === 'string') {
		throw reconnectError(
			this.getNode(),
			`TikTok refused the connection (${oauthErrorDetail(tokenData)})`,
			itemIndex,
		);
	}
	if (typeof tokenData.access_token !== 'string' || tokenData.access_token === '') {
		throw reconnectError(
			this.getNode(),
			'the credential is not connected to a TikTok account',
			itemIndex,
		);
	}
	return {
		accessToken: tokenData.access_token,
		refreshToken: typeof tokenData.refresh_token === 'string' ? tokenData.refresh_token : '',
	};
}

async function sendWithStoredToken(
	this: RequestContext,
	options: IHttpRequestOptions,
): Promise<HttpResponse> {
	try {
		return (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
			...options,
		})) as HttpResponse;
	} catch (error) {
		throw sendFailureFrom(error);
	}
}

async function sendWithAccessToken(
	this: RequestContext,
	options: IHttpRequestOptions,
	accessToken: string,
): Promise<HttpResponse> {
	try {
		return (await this.helpers.httpRequest({
			...options,
			headers: { ...options.headers, Authorization: `Bearer ${accessToken}` },
			abortSignal: cancelSignalOf(this),
		})) as HttpResponse;
	} catch (error) {
		throw sendFailureFrom(error);
	}
}

/**
 * Refresh with `client_key`, form-encoded (docs/tiktok-api.md#refresh). Sent once, never repeated: TikTok
 * rotates the refresh token, so a repeat after a lost answer would present a dead one. An HTTP
 * 200 with an `error` body is a failure.
 */
async function refreshAccessToken(
	this: RequestContext,
	credential: ConnectButtonCredential,
	refreshToken: string,
	itemIndex: number,
): Promise<RefreshedToken> {
	if (!refreshToken) {
		throw reconnectError(
			this.getNode(),
			'the access token expired and no refresh token is stored',
			itemIndex,
		);
	}
	const form = new URLSearchParams({
		client_key: credential.clientId,
		client_secret: credential.clientSecret,
		grant_type: 'refresh_token',
		refresh_token: refreshToken,
	});
	let response: HttpResponse;
	try {
		response = (await this.helpers.httpRequest({
			method: 'POST',
			url: credential.accessTokenUrl,
			body: form.toString(),
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				'Cache-Control': 'no-cache',
			},
			encoding: 'text',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: API_TIMEOUT_MS,
			abortSignal: cancelSignalOf(this),
		})) as HttpResponse;
	} catch (error) {
		throw networkError(this.getNode(), sendFailureFrom(error).message, itemIndex);
	}
	const token = parseJsonObject(response.body);
	if (typeof token.access_token !== 'string' || typeof token.error === 'string') {
		throw reconnectError(
			this.getNode(),
			`refreshing the access token failed (${oauthErrorDetail(token, `HTTP ${response.statusCode}`)})`,
			itemIndex,
		);
	}
	const expiresIn = typeof token.expires_in === 'number' ? token.expires_in : 3600;
	return {
		accessToken: token.access_token,
		refreshToken: typeof token.refresh_token === 'string' ? token.refresh_token : refreshToken,
		expiresAt: Date.now() + expiresIn * 1000,
	};
}
