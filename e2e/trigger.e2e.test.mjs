// The TikTok Trigger in a real n8n: an active workflow receives the sandbox's signed
// post.publish.inbox_delivered after an Upload Draft, and forged, stale or repeated deliveries
// start nothing. The workflow is examples/notify-when-draft-reaches-inbox.json, imported as is.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/server.mjs';
import { ensureN8nEngine, PACKAGE_DIR } from './lib/engine.mjs';
import { parseExecution } from './lib/execution.mjs';
import { startN8n } from './lib/n8nInstance.mjs';
import { connectCredential } from './lib/scenario.mjs';
import { findSecrets } from './lib/secrets.mjs';
import { writeSampleVideo } from './lib/videos.mjs';

const engine = ensureN8nEngine();
const EXAMPLE = 'notify-when-draft-reaches-inbox.json';
let sandbox;
let n8n;
let files;
let receiver;
let workflow;
let webhookUrl;

/** Stands in for the chat webhook the example notifies: records every POSTed JSON body. */
async function startReceiver() {
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

async function until(condition, what, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const value = await condition();
		if (value) return value;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`timed out waiting for ${what}`);
}

async function executions(mode) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId: workflow.id }));
	const { results = [] } = await n8n.rest.request('GET', `/rest/executions?filter=${filter}`);
	return results.filter((execution) => !mode || execution.mode === mode);
}

beforeAll(async () => {
	files = mkdtempSync(join(tmpdir(), 'tiktok-e2e-files-'));
	receiver = await startReceiver();
	sandbox = await startSandbox({ processingMs: 500 });
	n8n = await startN8n({ engine, sandbox, filesDir: files });
	const { credential } = await connectCredential(n8n, sandbox);
	const video = writeSampleVideo(files, 'clip.mp4', 12_000_000);
	const data = JSON.parse(readFileSync(join(PACKAGE_DIR, 'examples', EXAMPLE), 'utf8'));
	for (const node of data.nodes) {
		if (node.credentials?.tikTokOAuth2Api) {
			node.credentials.tikTokOAuth2Api = { id: credential.id, name: credential.name };
		}
		if (node.name === 'Read Video') node.parameters.fileSelector = video.path;
		if (node.name === 'Notify') node.parameters.url = receiver.url;
	}
	workflow = await n8n.rest.createWorkflow(data);
	await n8n.rest.activateWorkflow(workflow);
	const trigger = data.nodes.find((node) => node.name === 'TikTok Trigger');
	// The Production URL the node shows; pasted as the app's callback URL "in the TikTok portal".
	webhookUrl = `${n8n.baseUrl}/webhook/${trigger.webhookId}/webhook`;
	sandbox.configure({ webhookUrl });
});

afterAll(async () => {
	await n8n?.stop();
	await sandbox?.close();
	await receiver?.close();
	if (files) rmSync(files, { recursive: true, force: true });
});

test('Upload Draft → the signed inbox_delivered event starts the trigger → one notification', async () => {
	const executionId = await n8n.rest.runWorkflow(workflow, 'Manual Trigger');
	const upload = await parseExecution(
		engine,
		await n8n.rest.waitForExecution(workflow.id, executionId),
	);
	expect(upload.status).toBe('success');
	const [{ publish_id: publishId }] = upload.outputOf('Upload Draft');

	const [notification] = await until(
		() => receiver.received.length > 0 && receiver.received,
		'the notification',
	);
	expect(notification).toEqual({
		text: expect.stringContaining(`Your TikTok draft ${publishId} is in the inbox`),
		publish_id: publishId,
	});
	const delivery = sandbox.state.webhookDeliveries.find(
		(d) => d.event === 'post.publish.inbox_delivered' && d.publishId === publishId,
	);
	expect(delivery).toMatchObject({ status: 200, signature: 'valid' });

	const [triggered] = await until(async () => {
		const list = await executions('webhook');
		return list.length > 0 && !['new', 'running'].includes(list[0].status) && list;
	}, 'the trigger execution');
	const run = await parseExecution(
		engine,
		await n8n.rest.request('GET', `/rest/executions/${triggered.id}`),
	);
	expect(run.status).toBe('success');
	const [event] = run.outputOf('TikTok Trigger');
	expect(event).toMatchObject({
		event: 'post.publish.inbox_delivered',
		open_id: sandbox.config.user.open_id,
		publish_id: publishId,
		publish_type: 'INBOX_SHARE',
		time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
	});
	expect(findSecrets(JSON.stringify(run.runData), sandbox)).toEqual([]);
	expect(findSecrets(n8n.readLog(), sandbox)).toEqual([]);
});

test.each(['wrongSecret', 'tampered', 'missing', 'malformed', 'stale', 'future'])(
	'a %s signature gets 401 and starts nothing',
	async (signature) => {
		const before = (await executions('webhook')).length;
		const notified = receiver.received.length;
		const records = await sandbox.sendWebhookEvent({
			event: 'post.publish.inbox_delivered',
			content: { publish_id: `v_inbox_file~v2.forged-${signature}`, publish_type: 'INBOX_SHARE' },
			signature,
		});
		// The sandbox re-delivers refused events as TikTok does (1 + webhookRetries attempts).
		expect(records.map((r) => r.status)).toEqual([401, 401, 401]);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect((await executions('webhook')).length).toBe(before);
		expect(receiver.received.length).toBe(notified);
	},
);

test('a repeated delivery starts one execution; an unselected event is answered 200 and dropped', async () => {
	const before = (await executions('webhook')).length;
	const notified = receiver.received.length;
	const records = await sandbox.sendWebhookEvent({
		event: 'post.publish.inbox_delivered',
		content: { publish_id: 'v_inbox_file~v2.1795600000000000042', publish_type: 'INBOX_SHARE' },
		duplicates: 2,
	});
	expect(records.map((r) => r.status)).toEqual([200, 200, 200]);
	const other = await sandbox.sendWebhookEvent({
		event: 'post.publish.publicly_available',
		content: { publish_id: 'v_pub_file~v2-1.1', post_id: '7434567890123456789' },
	});
	expect(other.map((r) => r.status)).toEqual([200]);
	await until(() => receiver.received.length > notified, 'the notification');
	await new Promise((resolve) => setTimeout(resolve, 2000));
	expect(receiver.received.length).toBe(notified + 1);
	expect(receiver.received.at(-1).publish_id).toBe('v_inbox_file~v2.1795600000000000042');
	expect((await executions('webhook')).length).toBe(before + 1);
});
