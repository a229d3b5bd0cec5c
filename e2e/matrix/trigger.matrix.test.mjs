// The TikTok Trigger on this n8n version (see smoke.matrix.test.mjs): the example workflow
// activated, an Upload Draft's signed inbox_delivered event starting it, a forged one refused.
import { parseExecution } from '../lib/execution.mjs';
import { connectCredential } from '../lib/scenario.mjs';
import {
	activateNotifyExample,
	finishedTriggerExecution,
	startNotifyReceiver,
	until,
	webhookExecutions,
} from '../lib/triggerScenario.mjs';
import { writeSampleVideo } from '../lib/videos.mjs';
import { engine, useSmokeInstance } from './instance.mjs';

const smoke = useSmokeInstance();
let receiver;
let workflow;

beforeAll(async () => {
	receiver = await startNotifyReceiver();
	const { credential } = await connectCredential(smoke.n8n, smoke.sandbox);
	const video = writeSampleVideo(smoke.files, 'clip.mp4', 6_000_000);
	({ workflow } = await activateNotifyExample(smoke.n8n, smoke.sandbox, {
		credential,
		videoPath: video.path,
		notifyUrl: receiver.url,
	}));
});

afterAll(async () => {
	await receiver?.close();
});

test('TikTok Trigger started by a signed event: inbox_delivered after Upload Draft starts the active workflow once', async () => {
	const { n8n } = smoke;
	const executionId = await n8n.rest.runWorkflow(workflow, 'Manual Trigger');
	const upload = await parseExecution(
		engine,
		await n8n.rest.waitForExecution(workflow.id, executionId),
	);
	expect(upload.status).toBe('success');
	const [{ publish_id: publishId }] = upload.outputOf('Upload Draft');
	await until(() => receiver.received.length > 0, 'the notification');
	const run = await parseExecution(engine, await finishedTriggerExecution(n8n, workflow));
	expect(run.outputOf('TikTok Trigger')).toEqual([
		expect.objectContaining({ event: 'post.publish.inbox_delivered', publish_id: publishId }),
	]);
	expect(receiver.received).toEqual([expect.objectContaining({ publish_id: publishId })]);
});

test('TikTok Trigger refuses a forged signature: signed with another secret, 401, no execution', async () => {
	const before = (await webhookExecutions(smoke.n8n, workflow)).length;
	const records = await smoke.sandbox.sendWebhookEvent({
		event: 'post.publish.inbox_delivered',
		content: { publish_id: 'v_inbox_file~v2.forged', publish_type: 'INBOX_SHARE' },
		signature: 'wrongSecret',
	});
	expect(new Set(records.map((r) => r.status))).toEqual(new Set([401]));
	await new Promise((resolve) => setTimeout(resolve, 1500));
	expect((await webhookExecutions(smoke.n8n, workflow)).length).toBe(before);
	expect(receiver.received).toHaveLength(1);
});
