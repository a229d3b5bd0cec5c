// Getting a first token pair for a credential that is imported with n8n's CLI (no editor, so no
// Connect button): the authorization-code flow against the sandbox, acting as the user's browser,
// or a refresh at TikTok for a real app. Both send client_key, as TikTok requires.

const form = (fields) => ({
	method: 'POST',
	headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
	body: new URLSearchParams(fields).toString(),
});

async function tokenResponse(response) {
	const body = await response.json();
	if (!body.access_token) {
		throw new Error(
			`TikTok token endpoint: ${body.error ?? response.status} ${body.error_description ?? ''} (log_id ${body.log_id ?? '-'})`,
		);
	}
	return body;
}

/**
 * What a user does once in a browser: open the authorize URL, approve (the sandbox approves at
 * once) and copy `code` from the address TikTok redirects to, still URL-encoded as it stands there.
 */
export async function sandboxAuthorizationCode(sandbox, { scopes, redirectUri, state = 'n8n' }) {
	const authorize = new URL(sandbox.authUrl);
	authorize.search = new URLSearchParams({
		client_key: sandbox.clientKey,
		response_type: 'code',
		scope: scopes,
		redirect_uri: redirectUri,
		state,
	}).toString();
	const approval = await fetch(authorize, { redirect: 'manual' });
	const code = /[?&]code=([^&]+)/.exec(approval.headers.get('location') ?? '')?.[1];
	if (!code) throw new Error(`sandbox authorize answered HTTP ${approval.status}`);
	return code;
}

export async function authorizeWithSandbox(sandbox, scopes) {
	const redirectUri = 'http://127.0.0.1/demo-callback';
	const code = decodeURIComponent(
		await sandboxAuthorizationCode(sandbox, { scopes, redirectUri, state: 'demo' }),
	);
	return tokenResponse(
		await fetch(
			sandbox.accessTokenUrl,
			form({
				client_key: sandbox.clientKey,
				client_secret: sandbox.clientSecret,
				code,
				grant_type: 'authorization_code',
				redirect_uri: redirectUri,
			}),
		),
	);
}

export async function refreshAtTikTok({ tokenUrl, clientKey, clientSecret, refreshToken }) {
	return tokenResponse(
		await fetch(
			tokenUrl,
			form({
				client_key: clientKey,
				client_secret: clientSecret,
				grant_type: 'refresh_token',
				refresh_token: refreshToken,
			}),
		),
	);
}
