// The TikTok Trigger's real-n8n scenario, shared by the default suite and the version matrix:
// examples/notify-when-draft-reaches-inbox.json imported and activated, its Production URL set as
// the sandbox app's callback URL, and a local receiver standing in for the chat webhook it notifies.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { PACKAGE_DIR } from './engine.mjs';

export const NOTIFY_EXAMPLE = 'notify-when-draft-reaches-inbox.json';
export const ONCE_EXAMPLE = 'tiktok-events-to-chat-once.json';

/** Records every JSON body POSTed to it. */
export async function startNotifyReceiver() {
	const received = [];
	const server = createServer((req, res) => {
		let text = '';
		req.on('data', (chunk) => (text += chunk));
		req.on('end', () => {
			received.push(JSON.parse(text || '{}'));
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		received,
		url: `http://127.0.0.1:${server.address().port}/notify`,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

/**
 * Imports the example as a user would (credential picked, video path and chat URL replaced),
 * activates it and "pastes" the trigger's Production URL into the sandbox app.
 */
export async function activateNotifyExample(n8n, sandbox, { credential, videoPath, notifyUrl }) {
	const data = JSON.parse(readFileSync(join(PACKAGE_DIR, 'examples', NOTIFY_EXAMPLE), 'utf8'));
	for (const node of data.nodes) {
		if (node.credentials?.tikTokOAuth2Api) {
			node.credentials.tikTokOAuth2Api = { id: credential.id, name: credential.name };
		}
		if (node.name === 'Read Video') node.parameters.fileSelector = videoPath;
		if (node.name === 'Notify') node.parameters.url = notifyUrl;
	}
	const workflow = await n8n.rest.createWorkflow(data);
	await n8n.rest.activateWorkflow(workflow);
	const trigger = data.nodes.find((node) => node.name === 'TikTok Trigger');
	const webhookUrl = `${n8n.baseUrl}/webhook/${trigger.webhookId}/webhook`;
	sandbox.configure({ webhookUrl });
	return { workflow, webhookUrl };
}

/**
 * Imports examples/tiktok-events-to-chat-once.json (credential picked, chat URL replaced, `edit`
 * applied to each node) and activates it. Returns the trigger's Production URL, which tests pass
 * to sendWebhookEvent as `url`: the sandbox app's callback URL stays the other workflow's.
 */
export async function activateOnceExample(n8n, { credential, notifyUrl, edit = () => {} }) {
	const data = JSON.parse(readFileSync(join(PACKAGE_DIR, 'examples', ONCE_EXAMPLE), 'utf8'));
	for (const node of data.nodes) {
		if (node.credentials?.tikTokOAuth2Api) {
			node.credentials.tikTokOAuth2Api = { id: credential.id, name: credential.name };
		}
		if (node.name === 'Notify') node.parameters.url = notifyUrl;
		edit(node);
	}
	const workflow = await n8n.rest.createWorkflow(data);
	await n8n.rest.activateWorkflow(workflow);
	const trigger = data.nodes.find((node) => node.name === 'TikTok Trigger');
	return { workflow, webhookUrl: `${n8n.baseUrl}/webhook/${trigger.webhookId}/webhook` };
}

/**
 * Waits until the workflow's trigger executions stop coming and none is running (no change for
 * `quietMs`), then returns them, newest first.
 */
export async function settledExecutions(n8n, workflow, quietMs = 2500) {
	let last = '';
	let since = Date.now();
	return until(async () => {
		const list = await webhookExecutions(n8n, workflow);
		const now = JSON.stringify(list.map((execution) => [execution.id, execution.status]));
		if (now !== last) {
			last = now;
			since = Date.now();
			return false;
		}
		const busy = list.some((execution) => ['new', 'running'].includes(execution.status));
		return !busy && Date.now() - since >= quietMs && list;
	}, 'the trigger executions to settle');
}

/** The workflow's executions that a webhook (the trigger) started, newest first. */
export async function webhookExecutions(n8n, workflow) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId: workflow.id }));
	const { results = [] } = await n8n.rest.request(
		'GET',
		`/rest/executions?filter=${filter}&limit=100`,
	);
	return results.filter((execution) => execution.mode === 'webhook');
}

export async function until(condition, what, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const value = await condition();
		if (value) return value;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`timed out waiting for ${what}`);
}

/** Waits for the first finished trigger execution and returns n8n's stored record. */
export async function finishedTriggerExecution(n8n, workflow) {
	const [execution] = await until(async () => {
		const list = await webhookExecutions(n8n, workflow);
		return list.length > 0 && !['new', 'running'].includes(list[0].status) && list;
	}, 'the trigger execution');
	return n8n.rest.request('GET', `/rest/executions/${execution.id}`);
}
