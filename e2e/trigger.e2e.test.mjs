// The TikTok Trigger in a real n8n: an active workflow receives the sandbox's signed
// post.publish.inbox_delivered after an Upload Draft, and forged, stale or repeated deliveries
// start nothing. The workflow is examples/notify-when-draft-reaches-inbox.json, imported as is.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/server.mjs';
import { ensureN8nEngine } from './lib/engine.mjs';
import { parseExecution } from './lib/execution.mjs';
import { startN8n } from './lib/n8nInstance.mjs';
import { connectCredential } from './lib/scenario.mjs';
import { findSecrets } from './lib/secrets.mjs';
import {
	activateNotifyExample,
	finishedTriggerExecution,
	startNotifyReceiver,
	until,
	webhookExecutions,
} from './lib/triggerScenario.mjs';
import { writeSampleVideo } from './lib/videos.mjs';

const engine = ensureN8nEngine();
let sandbox;
let n8n;
let files;
let receiver;
let workflow;

const triggerRuns = async () => (await webhookExecutions(n8n, workflow)).length;

beforeAll(async () => {
	files = mkdtempSync(join(tmpdir(), 'tiktok-e2e-files-'));
	receiver = await startNotifyReceiver();
	sandbox = await startSandbox({ processingMs: 500 });
	n8n = await startN8n({ engine, sandbox, filesDir: files });
	const { credential } = await connectCredential(n8n, sandbox);
	const video = writeSampleVideo(files, 'clip.mp4', 12_000_000);
	({ workflow } = await activateNotifyExample(n8n, sandbox, {
		credential,
		videoPath: video.path,
		notifyUrl: receiver.url,
	}));
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

	const run = await parseExecution(engine, await finishedTriggerExecution(n8n, workflow));
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
		const before = await triggerRuns();
		const notified = receiver.received.length;
		const records = await sandbox.sendWebhookEvent({
			event: 'post.publish.inbox_delivered',
			content: { publish_id: `v_inbox_file~v2.forged-${signature}`, publish_type: 'INBOX_SHARE' },
			signature,
		});
		// The sandbox re-delivers refused events as TikTok does (1 + webhookRetries attempts).
		expect(records.map((r) => r.status)).toEqual([401, 401, 401]);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(await triggerRuns()).toBe(before);
		expect(receiver.received.length).toBe(notified);
	},
);

test('a repeated delivery starts one execution; an unselected event is answered 200 and dropped', async () => {
	const before = await triggerRuns();
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
	expect(await triggerRuns()).toBe(before + 1);
});
