// The sandbox's Login Kit v2: authorize redirect and the strict token endpoint (docs/tiktok-api.md#oauth).
import { createHash } from 'node:crypto';
import { useSandbox } from '../helpers/sandbox.mjs';
import {
	LOG_ID,
	REDIRECT_URI,
	api,
	authorizationCode,
	authorize,
	postToken,
} from './sandboxClient.mjs';

const sandbox = useSandbox({ reset: 'state' });

const credentials = () => ({
	client_key: sandbox.clientKey,
	client_secret: sandbox.clientSecret,
});

const exchange = (code, extra = {}) =>
	postToken(sandbox, {
		...credentials(),
		code,
		grant_type: 'authorization_code',
		redirect_uri: REDIRECT_URI,
		...extra,
	});

const userInfo = (token) =>
	api(sandbox, 'GET', '/v2/user/info/?fields=open_id,display_name', { token });

describe('sandbox servers', () => {
	test('listen on 127.0.0.1 with separate API and upload ports', () => {
		const apiUrl = new URL(sandbox.apiBaseUrl);
		const uploadUrl = new URL(sandbox.uploadBaseUrl);
		expect(apiUrl.hostname).toBe('127.0.0.1');
		expect(uploadUrl.hostname).toBe('127.0.0.1');
		expect(Number(apiUrl.port)).toBeGreaterThan(0);
		expect(Number(uploadUrl.port)).toBeGreaterThan(0);
		expect(uploadUrl.port).not.toBe(apiUrl.port);
		expect(sandbox.authUrl).toBe(`${sandbox.apiBaseUrl}/v2/auth/authorize/`);
		expect(sandbox.accessTokenUrl).toBe(`${sandbox.apiBaseUrl}/v2/oauth/token/`);
	});
});

describe('GET /v2/auth/authorize/', () => {
	test('redirects to redirect_uri with a code, the granted scopes and the same state', async () => {
		const { status, location } = await authorize(sandbox, {
			client_key: sandbox.clientKey,
			response_type: 'code',
			scope: 'user.info.basic,video.upload',
			redirect_uri: REDIRECT_URI,
			state: 'csrf-state 42/ü',
		});
		expect(status).toBe(302);
		expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
		expect(location.searchParams.get('code')).toMatch(/^code\.[0-9a-f]+$/);
		expect(location.searchParams.get('state')).toBe('csrf-state 42/ü');
		expect(location.searchParams.get('scopes')).toBe('user.info.basic,video.upload');
		expect(location.searchParams.has('error')).toBe(false);
	});

	test('records the request, including client_key, in state.authorizeRequests', async () => {
		await authorize(sandbox, {
			client_key: sandbox.clientKey,
			response_type: 'code',
			scope: 'user.info.basic',
			redirect_uri: REDIRECT_URI,
			state: 's1',
		});
		const { authorizeRequests } = sandbox.state;
		expect(authorizeRequests).toHaveLength(1);
		expect(authorizeRequests[0].query).toMatchObject({
			client_key: sandbox.clientKey,
			scope: 'user.info.basic',
			redirect_uri: REDIRECT_URI,
			state: 's1',
		});
	});

	test('the trailing slash is optional', async () => {
		const url = new URL(`${sandbox.apiBaseUrl}/v2/auth/authorize`);
		url.searchParams.set('client_key', sandbox.clientKey);
		url.searchParams.set('response_type', 'code');
		url.searchParams.set('scope', 'user.info.basic');
		url.searchParams.set('redirect_uri', REDIRECT_URI);
		const res = await fetch(url, { redirect: 'manual' });
		expect(res.status).toBe(302);
		expect(new URL(res.headers.get('location')).searchParams.get('code')).toBeTruthy();
	});

	test('client_id instead of client_key is refused and no code is issued', async () => {
		const { status, location, text } = await authorize(sandbox, {
			client_id: sandbox.clientKey,
			response_type: 'code',
			scope: 'user.info.basic',
			redirect_uri: REDIRECT_URI,
		});
		expect(status).toBe(400);
		expect(location).toBeUndefined();
		expect(text).toMatch(/client_key/);
		expect(sandbox.state.authorizeRequests[0].query.client_id).toBe(sandbox.clientKey);
	});

	test('an unknown client_key is refused', async () => {
		const { status, location } = await authorize(sandbox, {
			client_key: 'someone-else',
			response_type: 'code',
			scope: 'user.info.basic',
			redirect_uri: REDIRECT_URI,
		});
		expect(status).toBe(400);
		expect(location).toBeUndefined();
	});

	test('a redirect_uri with a query string or fragment is refused', async () => {
		for (const redirectUri of [`${REDIRECT_URI}?x=1`, `${REDIRECT_URI}#frag`, 'not a url']) {
			const { status, location } = await authorize(sandbox, {
				client_key: sandbox.clientKey,
				response_type: 'code',
				scope: 'user.info.basic',
				redirect_uri: redirectUri,
			});
			expect(status).toBe(400);
			expect(location).toBeUndefined();
		}
	});

	test('a scope the app does not have redirects back with error=invalid_scope', async () => {
		const { status, location } = await authorize(sandbox, {
			client_key: sandbox.clientKey,
			response_type: 'code',
			scope: 'user.info.basic,ads.management',
			redirect_uri: REDIRECT_URI,
			state: 'st',
		});
		expect(status).toBe(302);
		expect(location.searchParams.get('error')).toBe('invalid_scope');
		expect(location.searchParams.get('state')).toBe('st');
		expect(location.searchParams.has('code')).toBe(false);
	});
});

describe('POST /v2/oauth/token/ (authorization_code)', () => {
	test('exchanges a code for the flat token JSON', async () => {
		const code = await authorizationCode(sandbox);
		const { status, body } = await exchange(code);
		expect(status).toBe(200);
		expect(body).toEqual({
			access_token: expect.stringMatching(/^act\./),
			expires_in: 86400,
			open_id: sandbox.config.user.open_id,
			refresh_expires_in: 31536000,
			refresh_token: expect.stringMatching(/^rft\./),
			scope: 'user.info.basic,video.upload',
			token_type: 'Bearer',
		});
		expect(body).not.toHaveProperty('data');
		const info = await userInfo(body.access_token);
		expect(info.status).toBe(200);
		expect(info.body.data.user.open_id).toBe(sandbox.config.user.open_id);
	});

	test('a JSON body is rejected (form encoding only)', async () => {
		const code = await authorizationCode(sandbox);
		const res = await fetch(sandbox.accessTokenUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({
				...credentials(),
				code,
				grant_type: 'authorization_code',
				redirect_uri: REDIRECT_URI,
			}),
		});
		const body = await res.json();
		expect(res.status).toBe(200);
		expect(body.error).toBe('invalid_request');
		expect(body.log_id).toMatch(LOG_ID);
		expect(body).not.toHaveProperty('access_token');
		// The code was not consumed by the malformed request.
		expect((await exchange(code)).body.access_token).toMatch(/^act\./);
	});

	test('client_id without client_key is rejected with HTTP 200 and an error body', async () => {
		const code = await authorizationCode(sandbox);
		const { status, body } = await postToken(sandbox, {
			client_id: sandbox.clientKey,
			client_secret: sandbox.clientSecret,
			code,
			grant_type: 'authorization_code',
			redirect_uri: REDIRECT_URI,
		});
		expect(status).toBe(200);
		expect(body).toEqual({
			error: 'invalid_client',
			error_description: expect.any(String),
			log_id: expect.stringMatching(LOG_ID),
		});
		const record = sandbox.state.tokenRequests.at(-1);
		expect(record).toMatchObject({ hasClientId: true, hasClientKey: false, ok: false });
	});

	test('HTTP Basic client authentication does not replace client_key in the body', async () => {
		const code = await authorizationCode(sandbox);
		const basic = Buffer.from(`${sandbox.clientKey}:${sandbox.clientSecret}`).toString('base64');
		const { body } = await postToken(
			sandbox,
			{ code, grant_type: 'authorization_code', redirect_uri: REDIRECT_URI },
			{ headers: { Authorization: `Basic ${basic}` } },
		);
		expect(body.error).toBe('invalid_client');
		expect(sandbox.state.tokenRequests.at(-1).basicAuth).toBe(true);
	});

	test('a wrong client secret is rejected', async () => {
		const code = await authorizationCode(sandbox);
		const { status, body } = await exchange(code, { client_secret: 'not-the-secret' });
		expect(status).toBe(200);
		expect(body.error).toBe('invalid_client');
		expect(body).not.toHaveProperty('access_token');
	});

	test('an authorization code is single-use', async () => {
		const code = await authorizationCode(sandbox);
		const first = await exchange(code);
		expect(first.body.access_token).toMatch(/^act\./);
		const second = await exchange(code);
		expect(second.status).toBe(200);
		expect(second.body.error).toBe('invalid_grant');
		expect(second.body).not.toHaveProperty('access_token');
	});

	test('an unknown code is rejected', async () => {
		const { body } = await exchange('code.does-not-exist');
		expect(body.error).toBe('invalid_grant');
	});

	test('redirect_uri must exactly match the one used on authorize', async () => {
		for (const other of [`${REDIRECT_URI}/`, REDIRECT_URI.replace('https:', 'http:'), undefined]) {
			const code = await authorizationCode(sandbox);
			const fields = { ...credentials(), code, grant_type: 'authorization_code' };
			if (other !== undefined) fields.redirect_uri = other;
			const { status, body } = await postToken(sandbox, fields);
			expect(status).toBe(200);
			expect(body.error).toBe('invalid_request');
			expect(body.error_description).toMatch(/redirect_uri/i);
			expect(body).not.toHaveProperty('access_token');
		}
	});

	test('PKCE: the hex SHA-256 challenge must match the code_verifier', async () => {
		const verifier = 'a'.repeat(20) + '-._~' + 'Z9'.repeat(12);
		const challenge = createHash('sha256').update(verifier).digest('hex');
		const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };

		const missing = await exchange(await authorizationCode(sandbox, pkce));
		expect(missing.body.error).toBe('invalid_request');
		const wrong = await exchange(await authorizationCode(sandbox, pkce), {
			code_verifier: `${verifier}x`,
		});
		expect(wrong.body.error).toBe('invalid_request');
		const right = await exchange(await authorizationCode(sandbox, pkce), {
			code_verifier: verifier,
		});
		expect(right.body.access_token).toMatch(/^act\./);
	});

	test('an unsupported grant_type is rejected', async () => {
		const { body } = await postToken(sandbox, { ...credentials(), grant_type: 'password' });
		expect(body.error).toBe('unsupported_grant_type');
	});

	test('tokenErrorStatus makes OAuth errors use another HTTP status', async () => {
		sandbox.configure({ tokenErrorStatus: 400 });
		try {
			const { status, body } = await exchange('code.nope');
			expect(status).toBe(400);
			expect(body.error).toBe('invalid_grant');
		} finally {
			sandbox.configure({ tokenErrorStatus: 200 });
		}
	});
});

describe('POST /v2/oauth/token/ (refresh_token)', () => {
	const refresh = (refreshToken, extra = {}) =>
		postToken(sandbox, {
			...credentials(),
			grant_type: 'refresh_token',
			refresh_token: refreshToken,
			...extra,
		});

	test('rotates: the new refresh token works, the old one is rejected afterwards', async () => {
		const first = sandbox.mintToken({ scopes: ['user.info.basic'] });

		const second = await refresh(first.refresh_token);
		expect(second.status).toBe(200);
		expect(second.body.access_token).toMatch(/^act\./);
		expect(second.body.access_token).not.toBe(first.access_token);
		expect(second.body.refresh_token).toMatch(/^rft\./);
		expect(second.body.refresh_token).not.toBe(first.refresh_token);
		expect(second.body.scope).toBe('user.info.basic');
		expect((await userInfo(second.body.access_token)).status).toBe(200);

		const reused = await refresh(first.refresh_token);
		expect(reused.status).toBe(200);
		expect(reused.body.error).toBe('invalid_grant');
		expect(reused.body).not.toHaveProperty('access_token');

		const third = await refresh(second.body.refresh_token);
		expect(third.body.access_token).toMatch(/^act\./);
		expect(third.body.refresh_token).not.toBe(second.body.refresh_token);
	});

	test('with rotateRefreshTokens off the same refresh token stays valid', async () => {
		sandbox.configure({ rotateRefreshTokens: false });
		try {
			const first = sandbox.mintToken();
			const second = await refresh(first.refresh_token);
			expect(second.body.refresh_token).toBe(first.refresh_token);
			const third = await refresh(first.refresh_token);
			expect(third.body.access_token).toMatch(/^act\./);
		} finally {
			sandbox.configure({ rotateRefreshTokens: true });
		}
	});

	test('refresh also needs the client secret', async () => {
		const first = sandbox.mintToken();
		const { body } = await refresh(first.refresh_token, { client_secret: 'wrong' });
		expect(body.error).toBe('invalid_client');
		// A rejected request does not burn the refresh token.
		expect((await refresh(first.refresh_token)).body.access_token).toMatch(/^act\./);
	});

	test('an unknown refresh token is rejected', async () => {
		const { body } = await refresh('rft.unknown');
		expect(body.error).toBe('invalid_grant');
	});
});

describe('access token lifetime and revoke', () => {
	test('an expired access token answers access_token_invalid on /v2/user/info/', async () => {
		const token = sandbox.mintToken({ accessTokenTtlSeconds: -1 });
		expect(token.expires_in).toBe(-1);
		const { status, body } = await userInfo(token.access_token);
		expect(status).toBe(401);
		expect(body.data).toEqual({});
		expect(body.error).toEqual({
			code: 'access_token_invalid',
			message: expect.any(String),
			log_id: expect.stringMatching(LOG_ID),
		});
	});

	test('expireAccessTokens() expires tokens that were valid', async () => {
		const token = sandbox.mintToken();
		expect((await userInfo(token.access_token)).status).toBe(200);
		expect(sandbox.expireAccessTokens()).toBe(1);
		const { status, body } = await userInfo(token.access_token);
		expect(status).toBe(401);
		expect(body.error.code).toBe('access_token_invalid');
	});

	test('a missing or unknown bearer token answers access_token_invalid', async () => {
		for (const token of [undefined, 'act.unknown']) {
			const { status, body } = await userInfo(token);
			expect(status).toBe(401);
			expect(body.error.code).toBe('access_token_invalid');
		}
	});

	test('revoke invalidates the access token', async () => {
		const token = sandbox.mintToken();
		const res = await fetch(`${sandbox.apiBaseUrl}/v2/oauth/revoke/`, {
			method: 'POST',
			body: new URLSearchParams({ ...credentials(), token: token.access_token }),
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({});
		const { status, body } = await userInfo(token.access_token);
		expect(status).toBe(401);
		expect(body.error.code).toBe('access_token_invalid');
	});

	test('revoke with a wrong secret is refused and the token keeps working', async () => {
		const token = sandbox.mintToken();
		const res = await fetch(`${sandbox.apiBaseUrl}/v2/oauth/revoke/`, {
			method: 'POST',
			body: new URLSearchParams({
				client_key: sandbox.clientKey,
				client_secret: 'wrong',
				token: token.access_token,
			}),
		});
		expect((await res.json()).error).toBe('invalid_client');
		expect((await userInfo(token.access_token)).status).toBe(200);
	});
});
