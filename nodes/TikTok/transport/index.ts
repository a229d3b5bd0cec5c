import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { parseJsonLosslessly } from '../helpers/losslessJson';
import type { TikTokError } from './errors';
import { reauthorizeError, reconnectError, tikTokApiError } from './errors';
import type { RefreshedToken } from './tokenCache';
import { getRefreshedToken, setRefreshedToken, tokenCacheKey } from './tokenCache';

export const CREDENTIAL_TYPE = 'tikTokOAuth2Api';
export const UNATTENDED_CREDENTIAL_TYPE = 'tikTokUnattendedApi';
const API_TIMEOUT_MS = 60_000;
/** Tries per API call for 429 and 5xx answers. */
const API_ATTEMPTS = 3;
const SERVER_ERROR_BASE_DELAY_MS = 1000;
const RATE_LIMIT_WINDOW_MS = 60_000;
const MAX_RATE_LIMIT_WAIT_SECONDS = 65;
/**
 * Unattended credential under concurrency: tries per call when another execution rotated the
 * tokens at the same moment, and how long to wait for its save (a busy worker can be slow).
 */
const UNATTENDED_ATTEMPTS = 3;
const UNATTENDED_ROTATION_WAIT_MS = 10_000;
const ROTATION_POLL_MS = 250;

interface TikTokCredential {
	clientId: string;
	clientSecret: string;
	accessTokenUrl: string;
	apiBaseUrl: string;
	oauthTokenData?: IDataObject;
}

interface HttpResponse {
	statusCode: number;
	body: unknown;
	headers?: Record<string, string | undefined>;
}

/** The scope each endpoint needs, named in scope_not_authorized errors (tiktok-api.md §1.8). */
const SCOPE_FOR_PATH: Record<string, string> = {
	'/v2/user/info/':
		'user.info.basic (profile fields: user.info.profile, statistics: user.info.stats)',
	'/v2/post/publish/inbox/video/init/': 'video.upload',
	'/v2/post/publish/video/init/': 'video.publish',
	'/v2/post/publish/creator_info/query/': 'video.publish',
	'/v2/post/publish/content/init/': 'video.publish for Direct Post, video.upload for drafts',
	'/v2/post/publish/status/fetch/': 'video.upload or video.publish',
	'/v2/post/publish/cancel/': 'video.upload or video.publish',
	'/v2/video/list/': 'video.list',
};

/** One TikTok API call of one item. */
interface ApiCall {
	method: IHttpRequestMethods;
	path: string;
	itemIndex: number;
	body?: IDataObject;
	qs?: IDataObject;
}

interface Envelope {
	data?: IDataObject;
	error?: TikTokError;
}

/**
 * Calls a TikTok JSON API (paths like `/v2/user/info/`) and returns its `data`. The host comes
 * from the credential, so n8n's CREDENTIALS_OVERWRITE_DATA can point a whole n8n elsewhere.
 * Success is `error.code === "ok"`, never the HTTP status alone (tiktok-api.md §3.0). On
 * `access_token_invalid` the token is refreshed once with `client_key` and the call repeated.
 */
export async function tikTokApiRequest(
	this: IExecuteFunctions,
	method: IHttpRequestMethods,
	path: string,
	itemIndex: number,
	body?: IDataObject,
	qs?: IDataObject,
): Promise<IDataObject> {
	const authentication = this.getNodeParameter('authentication', itemIndex, 'oAuth2') as string;
	const send = authentication === 'unattended' ? unattendedRequest : connectButtonRequest;
	const response = await withRetries(
		async () => await send.call(this, { method, path, itemIndex, body, qs }),
	);
	const envelope = parseEnvelope(response);
	if (!envelope.error || envelope.error.code !== 'ok') {
		throw tikTokApiError(
			this.getNode(),
			envelope.error ?? {
				code: `http_${response.statusCode}`,
				message: 'TikTok answered without an error object',
			},
			response.statusCode,
			itemIndex,
			SCOPE_FOR_PATH[path],
		);
	}
	return envelope.data ?? {};
}

/**
 * TikTok's 429 (per-minute limits, tiktok-api.md §5.2) and 5xx answers are retried, bounded. A 5xx
 * init is retried too: an upload TikTok might have created before failing never receives bytes,
 * so it cannot become a second draft.
 */
async function withRetries(send: () => Promise<HttpResponse>): Promise<HttpResponse> {
	for (let attempt = 1; ; attempt++) {
		const response = await send();
		const retryable = response.statusCode === 429 || response.statusCode >= 500;
		if (!retryable || attempt >= API_ATTEMPTS) return response;
		await sleep(retryDelayMs(response, attempt));
	}
}

function retryDelayMs(response: HttpResponse, attempt: number): number {
	if (response.statusCode !== 429) return SERVER_ERROR_BASE_DELAY_MS * 2 ** (attempt - 1);
	// No Retry-After is documented; TikTok's windows are one minute long.
	const retryAfter = Number(response.headers?.['retry-after']);
	return Number.isFinite(retryAfter) && retryAfter >= 0
		? Math.min(retryAfter, MAX_RATE_LIMIT_WAIT_SECONDS) * 1000
		: RATE_LIMIT_WINDOW_MS;
}

function requestOptions(
	apiBaseUrl: string,
	{ method, path, body, qs }: ApiCall,
): IHttpRequestOptions {
	return {
		method,
		url: `${apiBaseUrl.replace(/\/+$/, '')}${path}`,
		qs,
		body,
		headers: body ? { 'Content-Type': 'application/json; charset=UTF-8' } : {},
		// Raw text: the envelope is parsed losslessly (19-digit post ids) and never thrown by axios.
		encoding: 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: API_TIMEOUT_MS,
	};
}

const isExpiredToken = (response: HttpResponse) =>
	response.statusCode === 401 && parseEnvelope(response).error?.code === 'access_token_invalid';

/**
 * Connect-button credential: n8n's own refresh cannot send `client_key`, so on an expired token
 * the node refreshes itself. It cannot save the rotated token into an OAuth2 credential, so the
 * new pair lives in memory for the rest of this execution.
 */
async function connectButtonRequest(this: IExecuteFunctions, call: ApiCall): Promise<HttpResponse> {
	const { itemIndex } = call;
	const credential = (await this.getCredentials(
		CREDENTIAL_TYPE,
		itemIndex,
	)) as unknown as TikTokCredential;
	const storedToken = assertConnected.call(this, credential, itemIndex);
	const options = requestOptions(credential.apiBaseUrl, call);

	const cacheKey = tokenCacheKey(
		this.getExecutionId?.() ?? 'no-execution',
		storedToken.refreshToken,
	);
	const refreshed = getRefreshedToken(cacheKey);
	const response = refreshed
		? await sendWithAccessToken.call(this, options, refreshed.accessToken, itemIndex)
		: await sendWithCredential.call(this, CREDENTIAL_TYPE, options, itemIndex);
	if (!isExpiredToken(response)) return response;

	const token = await refreshAccessToken.call(
		this,
		credential,
		refreshed?.refreshToken ?? storedToken.refreshToken,
		itemIndex,
	);
	setRefreshedToken(cacheKey, token);
	const retried = await sendWithAccessToken.call(this, options, token.accessToken, itemIndex);
	if (isExpiredToken(retried)) {
		throw reconnectError(this.getNode(), 'TikTok rejected the refreshed access token', itemIndex);
	}
	return retried;
}

/**
 * Unattended credential: its preAuthentication hook refreshes with `client_key` and n8n saves
 * the rotated tokens. n8n runs the hook on an empty access token, or when a request *throws* a
 * 401, so an expired token is answered by repeating the call with HTTP errors thrown.
 *
 * Executions running at the same time (several workers in queue mode, or parallel executions on
 * one n8n) can hit the expiry together. TikTok rotates refresh tokens strictly: the first refresh
 * wins and the refresh token the others hold dies with it, so their refresh is refused although
 * the credential is fine. n8n re-reads the credential from its database for every request, so
 * after a refusal the node waits until the credential holds other tokens than before (the ones
 * the winner saved) and repeats the call with them. Only when nothing changed does the refusal
 * mean "re-authorize".
 */
async function unattendedRequest(this: IExecuteFunctions, call: ApiCall): Promise<HttpResponse> {
	const { itemIndex } = call;
	let before = await this.getCredentials(UNATTENDED_CREDENTIAL_TYPE, itemIndex);
	for (let attempt = 1; ; attempt++) {
		const outcome = await unattendedAttempt.call(this, call, String(before.apiBaseUrl));
		if ('response' in outcome) return outcome.response;
		const rotated =
			attempt < UNATTENDED_ATTEMPTS
				? await waitForRotation.call(this, before, itemIndex)
				: undefined;
		if (!rotated) throw reauthorizeError(this.getNode(), outcome.refusal, itemIndex);
		before = rotated;
	}
}

/** One try: the call, and on an expired token the same call again through n8n's refresh. */
async function unattendedAttempt(
	this: IExecuteFunctions,
	call: ApiCall,
	apiBaseUrl: string,
): Promise<{ response: HttpResponse } | { refusal: string }> {
	const { itemIndex } = call;
	const options = requestOptions(apiBaseUrl, call);
	let response: HttpResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			UNATTENDED_CREDENTIAL_TYPE,
			{ ...options },
		)) as HttpResponse;
	} catch (error) {
		// The hook runs first when the stored access token is empty (a fresh code, a new refresh token).
		const refusal = tokenRefusal(error);
		if (refusal) return { refusal };
		throw networkError.call(this, error, itemIndex);
	}
	if (!isExpiredToken(response)) return { response };
	try {
		return {
			response: (await this.helpers.httpRequestWithAuthentication.call(
				this,
				UNATTENDED_CREDENTIAL_TYPE,
				{ ...options, ignoreHttpStatusErrors: false },
			)) as HttpResponse,
		};
	} catch (error) {
		const refusal = tokenRefusal(error);
		if (refusal) return { refusal };
		// Refreshed, but the repeated call failed: ask once more for TikTok's envelope.
		return {
			response: await sendWithCredential.call(this, UNATTENDED_CREDENTIAL_TYPE, options, itemIndex),
		};
	}
}

/**
 * After TikTok refused the credential's code or refresh token: polls the stored credential until
 * its tokens differ from `before` (another execution refreshed and saved), and returns it; or
 * undefined when nothing changed within UNATTENDED_ROTATION_WAIT_MS. Tokens are only compared.
 */
async function waitForRotation(
	this: IExecuteFunctions,
	before: ICredentialDataDecryptedObject,
	itemIndex: number,
): Promise<ICredentialDataDecryptedObject | undefined> {
	const changed = (now: ICredentialDataDecryptedObject) =>
		['accessToken', 'refreshToken'].some(
			(field) => String(now[field] ?? '') !== String(before[field] ?? ''),
		) && String(now.accessToken ?? '') !== '';
	for (let waited = 0; waited <= UNATTENDED_ROTATION_WAIT_MS; waited += ROTATION_POLL_MS) {
		const now = await this.getCredentials(UNATTENDED_CREDENTIAL_TYPE, itemIndex);
		if (changed(now)) return now;
		await sleep(ROTATION_POLL_MS);
	}
	return undefined;
}

/** The hook's own message when TikTok refused the code or refresh token (n8n wraps it). */
function tokenRefusal(error: unknown): string | undefined {
	for (let cause = error; cause instanceof Error; cause = (cause as { cause?: unknown }).cause) {
		const match = /TikTok (refused|credential has no) [^]*/.exec(cause.message);
		if (match) return match[0];
	}
	return undefined;
}

/**
 * n8n stores whatever a token endpoint answered with HTTP 200, so a TikTok error body can sit
 * where the token should be (n8n-guide.md §0): treat that as "not connected".
 */
function assertConnected(
	this: IExecuteFunctions,
	credential: TikTokCredential,
	itemIndex: number,
): { accessToken: string; refreshToken: string } {
	if (!credential.clientId) {
		throw reconnectError(this.getNode(), 'the credential has no Client Key', itemIndex);
	}
	const tokenData = credential.oauthTokenData ?? {};
	if (typeof tokenData.error === 'string') {
		const detail = [
			tokenData.error,
			tokenData.error_description,
			tokenData.log_id && `log_id ${tokenData.log_id}`,
		]
			.filter(Boolean)
			.join(', ');
		throw reconnectError(this.getNode(), `TikTok refused the connection (${detail})`, itemIndex);
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

async function sendWithCredential(
	this: IExecuteFunctions,
	credentialType: string,
	options: IHttpRequestOptions,
	itemIndex: number,
): Promise<HttpResponse> {
	try {
		return (await this.helpers.httpRequestWithAuthentication.call(this, credentialType, {
			...options,
		})) as HttpResponse;
	} catch (error) {
		throw networkError.call(this, error, itemIndex);
	}
}

async function sendWithAccessToken(
	this: IExecuteFunctions,
	options: IHttpRequestOptions,
	accessToken: string,
	itemIndex: number,
): Promise<HttpResponse> {
	try {
		return (await this.helpers.httpRequest({
			...options,
			headers: { ...options.headers, Authorization: `Bearer ${accessToken}` },
			abortSignal: this.getExecutionCancelSignal?.(),
		})) as HttpResponse;
	} catch (error) {
		throw networkError.call(this, error, itemIndex);
	}
}

/**
 * Refresh with `client_key`, form-encoded (tiktok-api.md §1.4). An HTTP 200 with an `error` body
 * is a failure. The rotated refresh token lives only in memory for this execution.
 */
async function refreshAccessToken(
	this: IExecuteFunctions,
	credential: TikTokCredential,
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
			abortSignal: this.getExecutionCancelSignal?.(),
		})) as HttpResponse;
	} catch (error) {
		throw networkError.call(this, error, itemIndex);
	}
	const token = parseBody(response.body);
	if (typeof token.access_token !== 'string' || typeof token.error === 'string') {
		const detail = [
			token.error ?? `HTTP ${response.statusCode}`,
			token.error_description,
			token.log_id && `log_id ${token.log_id}`,
		]
			.filter(Boolean)
			.join(', ');
		throw reconnectError(
			this.getNode(),
			`refreshing the access token failed (${detail})`,
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

function parseBody(body: unknown): IDataObject {
	if (typeof body === 'string') {
		try {
			const parsed = parseJsonLosslessly(body);
			return parsed && typeof parsed === 'object' ? (parsed as IDataObject) : {};
		} catch {
			return {};
		}
	}
	return body && typeof body === 'object' ? (body as IDataObject) : {};
}

function parseEnvelope(response: HttpResponse): Envelope {
	return parseBody(response.body) as Envelope;
}

/** Network failures, wrapped without the request (it holds the Authorization header). */
function networkError(this: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	const refusal = tokenRefusal(error);
	if (refusal) return reauthorizeError(this.getNode(), refusal, itemIndex);
	const reason = error instanceof Error ? error.message : String(error);
	if (/not connected|without access token/i.test(reason)) {
		return reconnectError(
			this.getNode(),
			'the credential is not connected to a TikTok account',
			itemIndex,
		);
	}
	return new NodeApiError(
		this.getNode(),
		{ message: reason },
		{
			message: `Could not reach TikTok: ${reason}`,
			description: 'Check the network connection of the n8n host and retry.',
			itemIndex,
		},
	);
}
