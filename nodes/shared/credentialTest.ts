import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

/**
 * The unattended credential's test. It does not call TikTok: n8n runs a credential's
 * preAuthentication hook on every test, which would spend the single-use authorization code (or
 * rotate the refresh token) outside a workflow. It checks what can be checked offline.
 */
export async function tikTokUnattendedApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const text = (name: string) => String(data[name] ?? '').trim();
	if (!text('clientKey') || !text('clientSecret')) {
		return {
			status: 'Error',
			message: 'Enter the Client Key and Client Secret of your TikTok app.',
		};
	}
	if (text('accessToken')) {
		return {
			status: 'OK',
			message: 'Connected: n8n holds a TikTok access token and refreshes it.',
		};
	}
	if (text('authorizationCode')) {
		if (!/^https?:\/\/[^\s?#]+$/.test(text('redirectUri'))) {
			return {
				status: 'Error',
				message: 'Enter the Redirect URI used in the authorize URL (absolute, no query string).',
			};
		}
		return {
			status: 'OK',
			message:
				'Ready: the code is exchanged on the first run of a workflow (a code works once and only for a few minutes).',
		};
	}
	if (text('refreshToken')) {
		return {
			status: 'OK',
			message: 'Ready: the refresh token is used on the first run of a workflow.',
		};
	}
	return {
		status: 'Error',
		message: 'Paste an authorization code (see the steps above) or a refresh token.',
	};
}
