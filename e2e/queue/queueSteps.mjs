// Steps of the queue-mode suite: the webhook-triggered upload workflow, activating it, starting
// runs through the webhook process, and reading executions back from main's REST API.
import { randomUUID } from 'node:crypto';
import { parseExecution } from '../lib/execution.mjs';
import { PACKAGE_NAME, UNATTENDED_CREDENTIAL_TYPE } from '../lib/n8nInstance.mjs';
import { sandboxAuthorizationCode } from '../lib/tokens.mjs';
import { chain, readVideoNode, tikTokNode } from '../lib/workflows.mjs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const REDIRECT_URI = 'https://example.com/tiktok/callback';

/** An unattended credential holding a fresh authorization code (exchanged on first use). */
export async function unattendedCredential(rest, sandbox, name) {
	return rest.createCredential(name, UNATTENDED_CREDENTIAL_TYPE, {
		clientKey: sandbox.clientKey,
		clientSecret: sandbox.clientSecret,
		authorizationCode: await sandboxAuthorizationCode(sandbox, {
			scopes: 'user.info.basic,video.upload',
			redirectUri: REDIRECT_URI,
		}),
		redirectUri: REDIRECT_URI,
	});
}

/** Webhook trigger: POST /webhook/<path>, answered at once, the run goes to the queue. */
function webhookNode(path) {
	return {
		id: 'webhook',
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	};
}

/** Nodes that run one after another, laid out left to right. */
function workflowOf(name, nodes) {
	return {
		name,
		nodes: nodes.map((node, i) => ({ ...node, position: [220 * i, 0] })),
		connections: chain(...nodes.map((node) => node.name)),
		settings: { executionOrder: 'v1' },
	};
}

/** Read Video on the path in the webhook's body (database binary mode: stored in PostgreSQL). */
const readPostedPath = () => readVideoNode('={{ $json.body.path }}');

const unattendedSteps = (credential, steps) =>
	steps.map(([stepName, parameters]) =>
		tikTokNode(stepName, parameters, credential, [0, 0], 'unattended'),
	);

/** Webhook → Read Video → Upload Draft (unattended credential). */
export function webhookUploadWorkflow(name, path, credential) {
	const upload = tikTokNode(
		'Upload Draft',
		{ resource: 'video', operation: 'uploadDraft', binaryPropertyName: 'data', options: {} },
		credential,
		[0, 0],
		'unattended',
	);
	return workflowOf(name, [webhookNode(path), readPostedPath(), upload]);
}

/**
 * The baseline for memory: the same Webhook → Read Video, then n8n's own Crypto node hashing the
 * binary (it reads it through getBinaryStream, as the TikTok node does, and keeps nothing).
 */
export function webhookHashWorkflow(name, path) {
	const hash = {
		id: 'hash',
		name: 'Hash Video',
		type: 'n8n-nodes-base.crypto',
		typeVersion: 2,
		parameters: {
			action: 'hash',
			type: 'SHA256',
			binaryData: true,
			binaryPropertyName: 'data',
			dataPropertyName: 'sha256',
			encoding: 'hex',
		},
	};
	return workflowOf(name, [webhookNode(path), readPostedPath(), hash]);
}

/** Webhook → TikTok nodes (e.g. Get User Info) with the unattended credential. */
export function webhookWorkflow(name, path, credential, steps) {
	return workflowOf(name, [webhookNode(path), ...unattendedSteps(credential, steps)]);
}

/**
 * TikTok Trigger alone (unattended credential: its client secret checks the signatures). In queue
 * mode the webhook process answers TikTok and verifies; a worker runs the execution.
 */
export function triggerWorkflow(name, credential) {
	const trigger = {
		id: 'tiktok-trigger',
		name: 'TikTok Trigger',
		type: `${PACKAGE_NAME}.tikTokTrigger`,
		typeVersion: 1,
		webhookId: randomUUID(),
		parameters: { authentication: 'unattended', events: ['*'], options: {} },
		credentials: { tikTokUnattendedApi: { id: credential.id, name: credential.name } },
	};
	return workflowOf(name, [trigger]);
}

/** Saves and activates (publishes) a workflow; its production webhook is then live. */
export async function activeWorkflow(rest, workflowData) {
	const workflow = await rest.createWorkflow(workflowData);
	await rest.request('POST', `/rest/workflows/${workflow.id}/activate`, {
		versionId: workflow.versionId,
	});
	return workflow;
}

/** What a caller does: POST the body to the production webhook (the webhook process). */
export async function callWebhook(cluster, path, body) {
	const response = await fetch(`${cluster.webhookUrl}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`webhook ${path}: HTTP ${response.status} ${text}`);
	return text;
}

export async function listExecutions(rest, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const { results = [] } = await rest.request('GET', `/rest/executions?filter=${filter}&limit=100`);
	return results;
}

const FINISHED = (status) => !['new', 'running', 'waiting', 'unknown'].includes(status);

/** Waits until the workflow has `count` executions (optionally matching `which`), all finished. */
export async function waitForExecutions(
	rest,
	workflowId,
	count,
	{ which = () => true, timeoutMs = 1_800_000 } = {},
) {
	const deadline = Date.now() + timeoutMs;
	let last = [];
	while (Date.now() < deadline) {
		last = (await listExecutions(rest, workflowId)).filter(which);
		if (last.length >= count && last.every((e) => FINISHED(e.status))) return last;
		await sleep(1000);
	}
	throw new Error(
		`${count} executions did not finish in ${timeoutMs / 1000} s: ${JSON.stringify(last.map((e) => [e.id, e.status]))}`,
	);
}

/** n8n's stored record of one execution, parsed (see e2e/lib/execution.mjs). */
export async function readExecution(rest, engine, id) {
	const execution = await rest.request('GET', `/rest/executions/${id}`);
	return { execution, result: await parseExecution(engine, execution) };
}
