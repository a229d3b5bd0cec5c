// The unattended credential (tikTokUnattendedApi) in a real n8n: the preAuthentication hook
// refreshes with client_key and n8n saves each rotated refresh token, across real expiries.
import { ensureN8nEngine } from './lib/engine.mjs';
import { exportCredentialData, UNATTENDED_CREDENTIAL_TYPE } from './lib/n8nInstance.mjs';
import {
	createUnattendedCredential,
	runWorkflow,
	UNATTENDED_REDIRECT_URI as REDIRECT_URI,
	userInfoWorkflow as sharedUserInfoWorkflow,
} from './lib/scenario.mjs';
import { findSecrets } from './lib/secrets.mjs';
import { useN8n } from './lib/useN8n.mjs';

const engine = ensureN8nEngine();
const ACCESS_TOKEN_TTL_SECONDS = 2;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Strict rotation (the default) and access tokens that live 2 seconds.
const { sandbox, n8n } = useN8n({
	engine,
	sandbox: { accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS },
	connect: false,
});

const unattendedCredential = (name) => createUnattendedCredential(n8n, sandbox, name);
const userInfoWorkflow = (name, credential) =>
	sharedUserInfoWorkflow(name, credential, 'unattended');

const tokenRequestsSince = (count) => sandbox.state.tokenRequests.slice(count);

test('one workflow through 4 consecutive expiries: each rotated refresh token is saved by n8n', async () => {
	const credential = await unattendedCredential('TikTok unattended');
	const workflow = userInfoWorkflow('unattended cycles', credential);
	const before = sandbox.state.tokenRequests.length;
	const refreshTokens = [];
	for (let cycle = 0; cycle <= 4; cycle++) {
		if (cycle > 0) await sleep(ACCESS_TOKEN_TTL_SECONDS * 1000 + 500); // the access token expires
		const run = await runWorkflow(n8n, engine, workflow);
		expect(run.result.status).toBe('success');
		expect(run.result.outputOf('Get User Info')[0]).toMatchObject({
			display_name: 'Sandbox Creator',
		});
		expect(findSecrets(JSON.stringify(run.execution), sandbox)).toEqual([]);
		const stored = await exportCredentialData(n8n, credential.id);
		expect(stored.authorizationCode).toBe(''); // used once, cleared
		expect(stored.refreshToken).toMatch(/^rft\./);
		expect(refreshTokens).not.toContain(stored.refreshToken); // a new one after every expiry
		refreshTokens.push(stored.refreshToken);
	}
	const requests = tokenRequestsSince(before);
	expect(requests.map((r) => r.grant_type)).toEqual([
		'authorization_code',
		'refresh_token',
		'refresh_token',
		'refresh_token',
		'refresh_token',
	]);
	expect(requests.every((r) => r.hasClientKey && r.clientKey === sandbox.clientKey && r.ok)).toBe(
		true,
	);
	expect(requests.every((r) => r.contentType === 'application/x-www-form-urlencoded')).toBe(true);
	console.log(`unattended credential: ${requests.length - 1} refresh-token rotations saved by n8n`);
});

test('two workflows sharing the credential, back to back across expiries, both succeed', async () => {
	const credential = await unattendedCredential('TikTok shared');
	const first = userInfoWorkflow('shared A', credential);
	const second = userInfoWorkflow('shared B', credential);
	expect((await runWorkflow(n8n, engine, first)).result.status).toBe('success');
	const before = sandbox.state.tokenRequests.length;
	for (const workflow of [first, second, first, second]) {
		sandbox.expireAccessTokens();
		const run = await runWorkflow(n8n, engine, workflow);
		expect(run.result.status).toBe('success');
	}
	// Each run refreshed once with the token the run before saved: none was lost or reused.
	const refreshes = tokenRequestsSince(before);
	expect(refreshes.map((r) => [r.grant_type, r.ok])).toEqual(
		Array(4).fill(['refresh_token', true]),
	);
	expect(n8n.readLog()).not.toMatch(/act\.[0-9a-f]{8}|rft\.[0-9a-f]{8}/);
});

test('a revoked refresh token ends in a re-authorize error and the stored credential is untouched', async () => {
	const credential = await unattendedCredential('TikTok revoked');
	const workflow = userInfoWorkflow('revoked', credential);
	expect((await runWorkflow(n8n, engine, workflow)).result.status).toBe('success');
	const stored = await exportCredentialData(n8n, credential.id);

	sandbox.revokeRefreshTokens();
	sandbox.expireAccessTokens();
	const run = await runWorkflow(n8n, engine, workflow);
	expect(run.result.status).toBe('error');
	const error = run.result.errorOf('Get User Info');
	expect(error.message).toMatch(/re-authorized/);
	expect(error.description).toMatch(/invalid_grant.*Re-authorize.*paste the new code/s);
	expect(findSecrets(JSON.stringify(run.execution), sandbox)).toEqual([]);
	expect(await exportCredentialData(n8n, credential.id)).toEqual(stored);
});

test('a wrong authorization code says what to do and stores nothing', async () => {
	const credential = await n8n.rest.createCredential(
		'TikTok wrong code',
		UNATTENDED_CREDENTIAL_TYPE,
		{
			clientKey: sandbox.clientKey,
			clientSecret: sandbox.clientSecret,
			authorizationCode: 'not-a-real-code',
			redirectUri: REDIRECT_URI,
		},
	);
	const stored = await exportCredentialData(n8n, credential.id);
	const run = await runWorkflow(n8n, engine, userInfoWorkflow('wrong code', credential));
	expect(run.result.status).toBe('error');
	expect(run.result.errorOf('Get User Info').description).toMatch(
		/refused the authorization code.*Re-authorize/s,
	);
	expect(await exportCredentialData(n8n, credential.id)).toEqual(stored);
});
