// Smoke tests for one n8n version (N8N_VERSION, default e2e/n8n-version; `npm run test:matrix`),
// the subset of the default suite that proves the package works on that version: it loads, the
// Connect button, a multi-chunk upload from a previous node in filesystem binary mode, refresh on
// expiry, Check Status with a 19-digit post id, Get User Info, and the unattended credential. In
// this order: the Connect credential cannot store a rotated refresh token (README), so the expiry
// test is its last use.
// Each title's part before the first ':' is what the README's Compatibility table lists as proven.
import { rmSync } from 'node:fs';
import { expectByteExact, expectConnectedWithClientKey } from '../lib/checks.mjs';
import { exportCredentialData, NODE_TYPE } from '../lib/n8nInstance.mjs';
import {
	connectCredential,
	createUnattendedCredential,
	runExample,
	runExampleThroughExpiry,
	runWorkflow,
	userInfoWorkflow,
} from '../lib/scenario.mjs';
import { findSecrets } from '../lib/secrets.mjs';
import { writeSampleVideo } from '../lib/videos.mjs';
import { manualWorkflow } from '../lib/workflows.mjs';
import {
	declaredTypes,
	engine,
	loadedTypes,
	loadReport,
	packageProblemsInLog,
	useSmokeInstance,
} from './instance.mjs';

const smoke = useSmokeInstance();
let credential;
let draft; // the multi-chunk upload's publish_id

beforeAll(() => console.log(`n8n ${engine.version} on Node ${engine.nodeVersion}`));

test('loads with no errors: every node and credential of the package, nothing failing in the log', async () => {
	const declared = declaredTypes();
	expect(declared.nodes).toContain(NODE_TYPE);
	const loaded = await loadedTypes(smoke.n8n);
	expect(loaded.nodes).toEqual(expect.arrayContaining(declared.nodes));
	expect(loaded.credentials).toEqual(expect.arrayContaining(declared.credentials));
	expect(loadReport(smoke.n8n)).toEqual({
		loaded: { nodes: declared.nodes.length, credentials: declared.credentials.length },
		errors: [],
	});
	expect(packageProblemsInLog(smoke.n8n)).toEqual([]);
});

test('Connect button (OAuth2): client_key on authorize and code exchange, the scopes field honoured, token stored', async () => {
	const { sandbox, n8n } = smoke;
	// Not the default scopes: n8n <= 1.123 drops a stored `scope` of unknown OAuth2 credential types;
	// the credential's own Scopes field (`tikTokScopes`) must reach the authorize URL on every version.
	const scopes = 'user.info.basic,video.upload,video.publish';
	const connected = await connectCredential(n8n, sandbox, { scopes });
	credential = connected.credential;
	expectConnectedWithClientKey(n8n, sandbox, connected.connection);
	expect(sandbox.state.authorizeRequests[0].query.scope).toBe(scopes);
	const stored = await exportCredentialData(n8n, credential.id);
	expect(stored.oauthTokenData.access_token).toMatch(/^act\./);
});

test('Get User Info: the creator through the Connect credential', async () => {
	const run = await runWorkflow(smoke.n8n, engine, userInfoWorkflow('user info', credential));
	expect(run.result.status).toBe('success');
	expect(run.result.outputOf('Get User Info')).toEqual([
		expect.objectContaining({ display_name: 'Sandbox Creator' }),
	]);
});

test('multi-chunk upload from a previous node, byte-exact, filesystem binary mode: Read/Write Files from Disk → Upload Draft, 7 chunks', async () => {
	const { sandbox, n8n, files } = smoke;
	const video = writeSampleVideo(files, 'smoke.mp4', 70_000_123); // > 64 MB: chunked
	const run = await runExample(n8n, engine, sandbox, { video, credential });
	expectByteExact(run, video, 7);
	draft = run.uploaded.publish_id;
	// The video reached the node through n8n's filesystem binary store, as a reference, not in memory.
	const [read] = run.result.runData['Read Video'][0].data.main[0];
	console.log(`Read Video's binary: ${read.binary.data.id}`);
	expect(read.binary.data.id).toMatch(/^filesystem(-v2)?:/);
	expect(read.binary.data.data).not.toMatch(/^AAAA/); // no base64 video inline
	expect(findSecrets(JSON.stringify(run.execution), sandbox)).toEqual([]);
	rmSync(video.path);
});

test('Check Status with an exact 19-digit post id: a string equal to the id TikTok reported', async () => {
	expect(draft).toBeDefined();
	const [postId] = smoke.sandbox.publishDraft(draft, 1);
	expect(postId).toMatch(/^\d{19}$/);
	const run = await runWorkflow(
		smoke.n8n,
		engine,
		manualWorkflow('status', credential, [
			['Check Status', { resource: 'video', operation: 'checkStatus', publishId: draft }],
		]),
	);
	expect(run.result.status).toBe('success');
	expect(run.result.outputOf('Check Status')).toEqual([
		expect.objectContaining({ status: 'PUBLISH_COMPLETE', publicaly_available_post_id: [postId] }),
	]);
});

test('refresh on expiry with client_key: mid-workflow, the run succeeds', async () => {
	const { sandbox, n8n, files } = smoke;
	const video = writeSampleVideo(files, 'expiry.mp4', 3_000_000);
	const run = await runExampleThroughExpiry(n8n, engine, sandbox, { video, credential });
	expect(run.result.status).toBe('success');
	expect(run.result.outputOf('Check Status')[0]).toMatchObject({ status: 'SEND_TO_USER_INBOX' });
	expect(run.result.outputOf('Get User Info')[0]).toMatchObject({
		display_name: 'Sandbox Creator',
	});
	expect(run.refreshes).toEqual([
		expect.objectContaining({ hasClientKey: true, clientKey: sandbox.clientKey, ok: true }),
	]);
	rmSync(video.path);
});

test('unattended credential code exchange and refresh, rotated token saved: both with client_key', async () => {
	const { sandbox, n8n } = smoke;
	const unattended = await createUnattendedCredential(n8n, sandbox, 'TikTok unattended');
	const workflow = userInfoWorkflow('unattended', unattended, 'unattended');
	const before = sandbox.state.tokenRequests.length;
	const first = await runWorkflow(n8n, engine, workflow);
	expect(first.result.status).toBe('success');
	const afterExchange = await exportCredentialData(n8n, unattended.id);
	expect(afterExchange.authorizationCode).toBe('');
	expect(afterExchange.refreshToken).toMatch(/^rft\./);

	sandbox.expireAccessTokens();
	const second = await runWorkflow(n8n, engine, workflow);
	expect(second.result.status).toBe('success');
	expect(second.result.outputOf('Get User Info')[0]).toMatchObject({
		display_name: 'Sandbox Creator',
	});
	const afterRefresh = await exportCredentialData(n8n, unattended.id);
	expect(afterRefresh.refreshToken).toMatch(/^rft\./);
	expect(afterRefresh.refreshToken).not.toBe(afterExchange.refreshToken);
	const requests = sandbox.state.tokenRequests.slice(before);
	expect(requests.map((r) => [r.grant_type, r.hasClientKey, r.ok])).toEqual([
		['authorization_code', true, true],
		['refresh_token', true, true],
	]);
});

test('no package errors or secrets in the debug log: after every run above', () => {
	expect(packageProblemsInLog(smoke.n8n)).toEqual([]);
	expect(findSecrets(smoke.n8n.readLog(), smoke.sandbox)).toEqual([]);
});
