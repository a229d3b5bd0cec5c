// Steps the suite and the demo share: connect a credential with the Connect button flow, run the
// example workflow (Read Video → Upload Draft → Wait → Check Status → Get User Info) and read back
// what n8n stored and what the sandbox received.
import { parseExecution } from './execution.mjs';
import { CREDENTIAL_TYPE } from './n8nInstance.mjs';
import { exampleWorkflow, TRIGGER } from './workflows.mjs';

export async function connectCredential(
	n8n,
	sandbox,
	{ name = 'TikTok account', scopes = 'user.info.basic,video.upload' } = {},
) {
	const credential = await n8n.rest.createCredential(name, CREDENTIAL_TYPE, {
		clientId: sandbox.clientKey,
		clientSecret: sandbox.clientSecret,
		scopes,
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
