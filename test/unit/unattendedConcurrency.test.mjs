// The unattended credential when executions hit the token expiry at the same moment (several
// workers in queue mode): TikTok, strict as the sandbox is by default, accepts one refresh and
// kills the refresh token the others hold. The others must still succeed with the tokens the
// winner saved. n8n's part is emulated as n8n 2.8.4 does it (n8n-core httpRequestWithAuthentication,
// cli CredentialsHelper.preAuthentication): the credential is read from the database for every
// request, the hook runs on an empty access token or after a thrown 401, its output is saved.
// The real thing, on two n8n workers, is in e2e/queue/.
import { NodeApiError } from '../helpers/dist.mjs';
import { sandboxAuthorizationCode } from '../../e2e/lib/tokens.mjs';
import { credentialStore, unattendedExecution as execution } from '../helpers/unattendedN8n.mjs';
import { useSandbox } from '../helpers/sandbox.mjs';
import { expectNoSecrets, nodeRunner } from '../helpers/sandboxRun.mjs';

const REDIRECT_URI = 'https://example.com/tiktok/callback';
const sandbox = useSandbox();

const userInfo = {
	authentication: 'unattended',
	resource: 'user',
	operation: 'getUserInfo',
	fields: ['open_id', 'display_name'],
};
const refreshes = (from) =>
	sandbox.state.tokenRequests.slice(from).filter((r) => r.grant_type === 'refresh_token');

const mintedCredential = () =>
	nodeRunner(() => sandbox).unattendedCredential(['user.info.basic', 'video.upload']);

test('3 concurrent expiries, 3 executions each: one refresh wins, the others use its tokens, all succeed', async () => {
	const store = credentialStore(mintedCredential());
	for (let round = 1; round <= 3; round++) {
		sandbox.expireAccessTokens();
		const before = sandbox.state.tokenRequests.length;
		const results = await Promise.allSettled(
			[1, 2, 3].map((n) => execution(store, userInfo, `round-${round}-${n}`)),
		);
		for (const result of results) {
			if (result.status === 'rejected') expectNoSecrets(result.reason);
			expect(result).toMatchObject({ status: 'fulfilled' });
			expect(result.value[0].json).toMatchObject({ display_name: 'Sandbox Creator' });
		}
		const attempts = refreshes(before);
		// The same dead refresh token was offered by the losers, never a re-authorize.
		expect(attempts.filter((r) => r.ok)).toHaveLength(1);
		expect(attempts.filter((r) => !r.ok).every((r) => r.error === 'invalid_grant')).toBe(true);
		expect(attempts.length).toBeGreaterThanOrEqual(2); // the race really happened
	}
	// The stored refresh token is the newest one: TikTok still accepts it.
	const stored = store.data.refreshToken;
	const form = new URLSearchParams({
		client_key: sandbox.clientKey,
		client_secret: sandbox.clientSecret,
		grant_type: 'refresh_token',
		refresh_token: stored,
	});
	const answer = await fetch(sandbox.accessTokenUrl, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: form.toString(),
	}).then((r) => r.json());
	expect(answer.access_token).toMatch(/^act\./);
});

test('two executions exchanging the same fresh authorization code: one exchange, both succeed', async () => {
	const code = await sandboxAuthorizationCode(sandbox, {
		scopes: 'user.info.basic',
		redirectUri: REDIRECT_URI,
	});
	const store = credentialStore({
		...mintedCredential(),
		authorizationCode: code,
		redirectUri: REDIRECT_URI,
		refreshToken: '',
		accessToken: '',
	});
	const before = sandbox.state.tokenRequests.length;
	const [a, b] = await Promise.all([
		execution(store, userInfo, 'code-a'),
		execution(store, userInfo, 'code-b'),
	]);
	expect(a[0].json).toMatchObject({ display_name: 'Sandbox Creator' });
	expect(b[0].json).toMatchObject({ display_name: 'Sandbox Creator' });
	const exchanges = sandbox.state.tokenRequests
		.slice(before)
		.filter((r) => r.grant_type === 'authorization_code');
	expect(exchanges.map((r) => r.ok).sort()).toEqual([false, true]);
	expect(store.saves).toBe(1);
	expect(store.data.authorizationCode).toBe('');
});

test('a revoked refresh token is still a re-authorize error (after waiting for a save that never comes)', async () => {
	const store = credentialStore(mintedCredential());
	const stored = structuredClone(store.data);
	sandbox.revokeRefreshTokens();
	sandbox.expireAccessTokens();
	const started = Date.now();
	const error = await execution(store, userInfo, 'revoked').catch((e) => e);
	expect(error).toBeInstanceOf(NodeApiError);
	expect(error.message).toMatch(/needs to be re-authorized/);
	expect(error.description).toMatch(/invalid_grant.*Re-authorize/s);
	expectNoSecrets(error);
	expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
	expect(refreshes(0).at(-1)).toMatchObject({ ok: false, error: 'invalid_grant' });
	expect(store.data).toEqual(stored);
	expect(store.saves).toBe(0);
});
