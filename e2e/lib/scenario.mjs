// Steps the suite and the demo share: connect a credential with the Connect button flow, run the
// example workflow (Read Video → Upload Draft → Wait → Check Status → Get User Info) and read back
// what n8n stored and what the sandbox received.
import { parseExecution } from './execution.mjs';
import { CREDENTIAL_TYPE, UNATTENDED_CREDENTIAL_TYPE } from './n8nInstance.mjs';
import { sandboxAuthorizationCode } from './tokens.mjs';
import { exampleWorkflow, manualWorkflow, TRIGGER } from './workflows.mjs';

export async function connectCredential(
	n8n,
	sandbox,
	{ name = 'TikTok account', scopes = 'user.info.basic,video.upload' } = {},
) {
	const credential = await n8n.rest.createCredential(name, CREDENTIAL_TYPE, {
		clientId: sandbox.clientKey,
		clientSecret: sandbox.clientSecret,
		tikTokScopes: scopes,
	});
	const connection = await n8n.rest.connectOAuth2(credential.id);
	return { credential, connection };
}

export async function runWorkflow(n8n, engine, workflowData, trigger = TRIGGER) {
	const workflow = await n8n.rest.createWorkflow(workflowData);
	const executionId = await n8n.rest.runWorkflow(workflow, trigger);
	const execution = await n8n.rest.waitForExecution(workflow.id, executionId);
	return { workflow, executionId, execution, result: await parseExecution(engine, execution) };
}

export async function runExample(n8n, engine, sandbox, { video, credential, chunkSizeMb }) {
	const run = await runWorkflow(
		n8n,
		engine,
		exampleWorkflow({ videoPath: video.path, credential, chunkSizeMb }),
	);
	const [uploaded] = run.result.outputOf('Upload Draft');
	const received = uploaded ? sandbox.state.uploads[uploaded.publish_id] : undefined;
	return { ...run, uploaded, received };
}

/**
 * The example workflow with every access token expired while it waits between Upload Draft and
 * Check Status, so Check Status and Get User Info run into a 401 and n8n refreshes. Returns the
 * run and the refresh-token requests the sandbox received meanwhile.
 */
export async function runExampleThroughExpiry(n8n, engine, sandbox, { video, credential }) {
	const refreshesBefore = refreshRequests(sandbox).length;
	const running = runExample(n8n, engine, sandbox, { video, credential });
	while (
		!Object.values(sandbox.state.uploads).some((u) => u.sha256 === video.sha256 && u.complete)
	) {
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	sandbox.expireAccessTokens();
	const run = await running;
	return { ...run, refreshes: refreshRequests(sandbox).slice(refreshesBefore) };
}

const refreshRequests = (sandbox) =>
	sandbox.state.tokenRequests.filter((r) => r.grant_type === 'refresh_token');

export const UNATTENDED_REDIRECT_URI = 'https://example.com/tiktok/callback';

/** An unattended credential holding a fresh authorization code, as a user pastes it once. */
export async function createUnattendedCredential(n8n, sandbox, name) {
	return n8n.rest.createCredential(name, UNATTENDED_CREDENTIAL_TYPE, {
		clientKey: sandbox.clientKey,
		clientSecret: sandbox.clientSecret,
		authorizationCode: await sandboxAuthorizationCode(sandbox, {
			scopes: 'user.info.basic,video.upload',
			redirectUri: UNATTENDED_REDIRECT_URI,
		}),
		redirectUri: UNATTENDED_REDIRECT_URI,
	});
}

/** Manual Trigger → Get User Info, with either authentication. */
export const userInfoWorkflow = (name, credential, authentication = 'oAuth2') =>
	manualWorkflow(
		name,
		credential,
		[['Get User Info', { resource: 'user', operation: 'getUserInfo' }]],
		authentication,
	);
