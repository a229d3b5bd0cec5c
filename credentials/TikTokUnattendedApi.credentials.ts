import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	IAuthenticateGeneric,
} from 'n8n-workflow';

import { parseJsonObject } from '../nodes/shared/losslessJson';
import { API_TIMEOUT_MS, oauthErrorDetail } from '../nodes/shared/tikTokApi';
import { tokenRefusalError } from '../nodes/shared/tokenRefusal';

/**
 * TikTok for workflows nobody watches. n8n's own OAuth2 refresh cannot send TikTok's `client_key`
 * and a node cannot save a rotated refresh token into an OAuth2 credential, so this credential
 * refreshes itself: n8n calls `preAuthentication` when the hidden access token is empty or after
 * TikTok answers 401, and saves every field it returns, the rotated refresh token included.
 */
export class TikTokUnattendedApi implements ICredentialType {
	name = 'tikTokUnattendedApi';

	displayName = 'TikTok Unattended (Auto-Refresh) API';

	icon = {
		light: 'file:../icons/tiktok.svg',
		dark: 'file:../icons/tiktok.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/n8n-nodes-tiktok-posting/n8n-nodes-tiktok-posting#which-authentication-should-i-use';

	properties: INodeProperties[] = [
		{
			displayName:
				// No raw authorize URL here: it cannot wrap and the editor cuts it off (seen in the
				// screenshots); the README has the address to open.
				'For scheduled workflows: n8n refreshes the TikTok token itself and keeps the new refresh token TikTok issues each time. To start, open TikTok\'s authorize page in a browser with your client key, scopes and redirect URI (<a href="https://github.com/n8n-nodes-tiktok-posting/n8n-nodes-tiktok-posting#3-set-up-the-unattended-credential">the address to open</a>), approve, and copy the code parameter from the address TikTok sends you to. Paste it into Authorization Code within a few minutes: a code works only once.',
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Client Key',
			name: 'clientKey',
			type: 'string',
			default: '',
			required: true,
			description: 'The Client key of your TikTok app',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The Client secret of your TikTok app',
		},
		{
			displayName: 'Authorization Code',
			name: 'authorizationCode',
			type: 'string',
			default: '',
			description:
				'The code from the address TikTok redirected to after you approved the app. Used once, then cleared. Paste a new one to re-authorize.',
		},
		{
			displayName: 'Redirect URI',
			name: 'redirectUri',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/tiktok/callback',
			description:
				'Exactly the redirect_uri used in the authorize URL (registered in your TikTok app). Needed with an authorization code.',
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional instead of a code: a refresh token of your app. n8n replaces it with the new one TikTok issues on every refresh.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: 'https://open.tiktokapis.com/v2/oauth/token/',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'hidden',
			default: 'https://open.tiktokapis.com',
		},
	];

	/**
	 * Exchanges a fresh authorization code, otherwise refreshes; always with `client_key`,
	 * form-encoded. Throws (so n8n writes nothing) when TikTok refuses, including TikTok's
	 * HTTP 200 error bodies: an error body is never stored as a token.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const code = decodeCode(String(credentials.authorizationCode ?? '').trim());
		const refreshToken = String(credentials.refreshToken ?? '').trim();
		if (!String(credentials.clientKey ?? '').trim()) {
			throw tokenRefusalError(
				"the credential: it has no Client Key. Copy it from your app in TikTok's developer portal into the credential.",
			);
		}
		const form: Record<string, string> = {
			client_key: String(credentials.clientKey ?? ''),
			client_secret: String(credentials.clientSecret ?? ''),
		};
		if (code) {
			Object.assign(form, {
				grant_type: 'authorization_code',
				code,
				redirect_uri: String(credentials.redirectUri ?? ''),
			});
		} else if (refreshToken) {
			Object.assign(form, { grant_type: 'refresh_token', refresh_token: refreshToken });
		} else {
			throw tokenRefusalError(
				'the credential: it has no authorization code or refresh token. Re-authorize (see the steps in the credential) and paste the new code.',
			);
		}
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: String(credentials.accessTokenUrl),
			body: new URLSearchParams(form).toString(),
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Cache-Control': 'no-cache' },
			json: false,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: API_TIMEOUT_MS,
		})) as { statusCode: number; body: unknown };
		const token = parseJsonObject(response.body);
		if (typeof token.access_token !== 'string' || token.access_token === '' || token.error) {
			const detail = oauthErrorDetail(token, `HTTP ${response.statusCode}`, 'TikTok log_id: ');
			const what = code ? 'the authorization code' : 'the refresh token';
			throw tokenRefusalError(
				`${what} (${detail}). Re-authorize: open the authorize URL from the credential's instructions, approve, and paste the new code into Authorization Code. The stored credential was not changed.`,
			);
		}
		return {
			accessToken: token.access_token,
			refreshToken: typeof token.refresh_token === 'string' ? token.refresh_token : refreshToken,
			authorizationCode: '', // codes are single-use: never send this one again
		};
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};
}

/** Codes copied from the redirect address are still URL-encoded (`%2A`); TikTok wants them decoded. */
function decodeCode(code: string): string {
	if (!code.includes('%')) return code;
	try {
		return decodeURIComponent(code);
	} catch {
		return code;
	}
}
