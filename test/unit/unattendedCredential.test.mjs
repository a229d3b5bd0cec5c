// The unattended credential's preAuthentication hook and offline test, against the sandbox.
// (n8n calling the hook and saving its output is covered in e2e/unattended.e2e.test.mjs.)
import { TikTok, TikTokUnattendedApi } from '../helpers/dist.mjs';
import { sandboxAuthorizationCode } from '../../e2e/lib/tokens.mjs';
import { httpRequest } from '../helpers/n8nContext.mjs';
import { useSandbox } from '../helpers/sandbox.mjs';

const REDIRECT_URI = 'https://example.com/tiktok/callback';
const sandbox = useSandbox();

const hookContext = { helpers: { httpRequest: (request) => httpRequest(request) } };
const preAuthenticate = (data) =>
	new TikTokUnattendedApi().preAuthentication.call(hookContext, {
		clientKey: sandbox.clientKey,
		clientSecret: sandbox.clientSecret,
		accessTokenUrl: sandbox.accessTokenUrl,
		apiBaseUrl: sandbox.apiBaseUrl,
		...data,
	});

const encodedCode = () =>
	sandboxAuthorizationCode(sandbox, { scopes: 'user.info.basic', redirectUri: REDIRECT_URI });

test('a URL-encoded code is decoded and exchanged with client_key; the code is cleared', async () => {
	const output = await preAuthenticate({
		authorizationCode: await encodedCode(),
		redirectUri: REDIRECT_URI,
	});
	expect(output).toEqual({
		accessToken: expect.stringMatching(/^act\./),
		refreshToken: expect.stringMatching(/^rft\./),
		authorizationCode: '',
	});
	expect(sandbox.state.tokenRequests.at(-1)).toMatchObject({
		grant_type: 'authorization_code',
		hasClientKey: true,
		contentType: 'application/x-www-form-urlencoded',
		ok: true,
	});
});

test('a refresh returns the rotated refresh token; the old one is then refused with a re-authorize message', async () => {
	const first = await preAuthenticate({
		authorizationCode: await encodedCode(),
		redirectUri: REDIRECT_URI,
	});
	const second = await preAuthenticate({ refreshToken: first.refreshToken });
	expect(second.refreshToken).not.toBe(first.refreshToken);
	await expect(preAuthenticate({ refreshToken: first.refreshToken })).rejects.toThrow(
		/TikTok refused the refresh token \(invalid_grant, .*TikTok log_id: .*\)\. Re-authorize/,
	);
});

test("TikTok's HTTP 200 error body is never returned as a token", async () => {
	sandbox.addFault({ target: 'token', kind: 'errorBody' });
	await expect(preAuthenticate({ refreshToken: 'rft.whatever' })).rejects.toThrow(/TikTok refused/);
});

test('without a code or refresh token the hook says what to paste', async () => {
	await expect(preAuthenticate({})).rejects.toThrow(/no authorization code or refresh token/);
});

test.each([
	[{}, 'Error', /Client Key and Client Secret/],
	[{ clientKey: 'k', clientSecret: 's' }, 'Error', /authorization code .* or a refresh token/],
	[{ clientKey: 'k', clientSecret: 's', authorizationCode: 'c' }, 'Error', /Redirect URI/],
	[
		{ clientKey: 'k', clientSecret: 's', authorizationCode: 'c', redirectUri: REDIRECT_URI },
		'OK',
		/first run/,
	],
	[{ clientKey: 'k', clientSecret: 's', refreshToken: 'r' }, 'OK', /first run/],
	[{ clientKey: 'k', clientSecret: 's', accessToken: 'a' }, 'OK', /Connected/],
])('offline credential test %#', async (data, status, message) => {
	const test = new TikTok().methods.credentialTest.tikTokUnattendedApiTest;
	const result = await test.call({}, { id: '1', name: 'x', type: 'tikTokUnattendedApi', data });
	expect(result.status).toBe(status);
	expect(result.message).toMatch(message);
});
