// The TikTok Trigger in a real n8n: an active workflow receives the sandbox's signed
// post.publish.inbox_delivered after an Upload Draft, and forged, stale or repeated deliveries
// start nothing. The workflow is examples/notify-when-draft-reaches-inbox.json, imported as is.
// Then the dedupe under concurrency, on examples/tiktok-events-to-chat-once.json (TikTok Trigger
// → Remove Duplicates on event_key → chat): bursts of identical and of different deliveries at
// the same instant, on the trigger's Production URL of the active workflow.
import { ensureN8nEngine } from './lib/engine.mjs';
import { parseExecution } from './lib/execution.mjs';
import { findSecrets } from './lib/secrets.mjs';
import {
	activateNotifyExample,
	activateOnceExample,
	finishedTriggerExecution,
	settledExecutions,
	startNotifyReceiver,
	until,
	webhookExecutions,
} from './lib/triggerScenario.mjs';
import { useN8n } from './lib/useN8n.mjs';
import { writeSampleVideo } from './lib/videos.mjs';

const engine = ensureN8nEngine();
const { files, sandbox, n8n, credential } = useN8n({ engine, sandbox: { processingMs: 500 } });
let receiver;
let workflow;

const triggerRuns = async () => (await webhookExecutions(n8n, workflow)).length;

beforeAll(async () => {
	receiver = await startNotifyReceiver();
	const video = writeSampleVideo(files, 'clip.mp4', 12_000_000);
	({ workflow } = await activateNotifyExample(n8n, sandbox, {
		credential,
		videoPath: video.path,
		notifyUrl: receiver.url,
	}));
});

afterAll(async () => {
	await receiver?.close();
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

describe('dedupe under concurrency, one n8n process (tiktok-events-to-chat-once.json)', () => {
	let chat;
	let once;
	const CREATE_TIME = Math.floor(Date.now() / 1000) - 60; // fixed: re-sends are the same events
	const inbox = (publishId) => ({
		event: 'post.publish.inbox_delivered',
		content: { publish_id: publishId, publish_type: 'INBOX_SHARE' },
		createTime: CREATE_TIME,
	});
	const burstIds = [1, 2, 3, 4, 5].map((n) => `v_inbox_file~v2.burst-${n}`);
	const measured = {};

	/** Each execution's trigger item and what Remove Duplicates let through, oldest first. */
	async function outputs(executions) {
		const runs = [];
		for (const { id } of [...executions].reverse()) {
			const run = await parseExecution(
				engine,
				await n8n.rest.request('GET', `/rest/executions/${id}`),
			);
			if (run.status !== 'success') throw new Error(`execution ${id}: ${run.error?.message}`);
			runs.push({
				event: run.outputOf('TikTok Trigger')[0],
				passed: run.outputOf('Once per Event'),
			});
		}
		return runs;
	}

	beforeAll(async () => {
		chat = await startNotifyReceiver();
		once = await activateOnceExample(n8n, { credential, notifyUrl: chat.url });
	});

	afterAll(async () => {
		await chat?.close();
		// The numbers asked for by issue 18, printed for the record.
		console.log(`TikTok Trigger dedupe, measured executions: ${JSON.stringify(measured)}`);
	});

	test('the same delivery 5 times at the same instant starts exactly 1 execution', async () => {
		const records = await sandbox.sendWebhookEvent({
			...inbox('v_inbox_file~v2.burst-same'),
			url: once.webhookUrl,
			concurrentCopies: 5,
		});
		expect(records.map((r) => [r.copy, r.status])).toEqual(
			[0, 1, 2, 3, 4].map((copy) => [copy, 200]),
		);
		const executions = await settledExecutions(n8n, once.workflow);
		measured.identicalTimes5 = executions.length;
		expect(executions).toHaveLength(1);
		const [run] = await outputs(executions);
		expect(run.event).toMatchObject({
			publish_id: 'v_inbox_file~v2.burst-same',
			event_key: expect.stringMatching(/^[0-9a-f]{32}$/),
		});
		expect(run.passed).toEqual([expect.objectContaining({ event_key: run.event.event_key })]);
		await until(() => chat.received.length >= 1, 'the chat message');
		expect(chat.received).toEqual([
			expect.objectContaining({
				event_key: run.event.event_key,
				text: expect.stringContaining('v_inbox_file~v2.burst-same'),
			}),
		]);
	});

	/** The 5 burst events, all accepted; the executions they started, newest first. */
	async function sendBurst() {
		const before = (await settledExecutions(n8n, once.workflow)).length;
		// All five leave in one tick: send() posts before its first await.
		const records = (
			await Promise.all(
				burstIds.map((id) => sandbox.sendWebhookEvent({ ...inbox(id), url: once.webhookUrl })),
			)
		).flat();
		expect(records.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
		const executions = await settledExecutions(n8n, once.workflow);
		return { started: executions.length - before, executions };
	}

	test('5 different events at the same instant start 5 executions, one each', async () => {
		const { started, executions } = await sendBurst();
		measured.differentTimes5 = started;
		expect(started).toBe(5);
		const runs = await outputs(executions.slice(0, 5));
		expect(runs.map((run) => run.event.publish_id).sort()).toEqual([...burstIds].sort());
		expect(new Set(runs.map((run) => run.event.event_key)).size).toBe(5);
		for (const run of runs) expect(run.passed).toHaveLength(1);
	});

	test('those 5 events re-sent (again at once) start 0 executions; the stored keys hold all 6', async () => {
		const { started } = await sendBurst();
		measured.resentTimes5 = started;
		expect(started).toBe(0);
		expect(chat.received).toHaveLength(6);

		// What n8n saved: every key, although each request wrote back its own copy.
		const stored = await n8n.rest.request('GET', `/rest/workflows/${once.workflow.id}`);
		const keys = stored.staticData?.['node:TikTok Trigger']?.recentEventKeys;
		expect(new Set(keys)).toEqual(new Set(chat.received.map((message) => message.event_key)));
		expect(findSecrets(n8n.readLog(), sandbox)).toEqual([]);
	});

	test('Remove Duplicates on event_key stops a repeat that reaches the workflow (trigger dedupe off)', async () => {
		const chatOff = await startNotifyReceiver();
		try {
			const off = await activateOnceExample(n8n, {
				credential,
				notifyUrl: chatOff.url,
				edit(node) {
					if (node.name !== 'TikTok Trigger') return;
					node.webhookId = '7d1e5a40-00ff-4c1b-9f3e-5b6c7d8e00ff';
					node.parameters.options = { dropDuplicates: false };
				},
			});
			const event = inbox('v_inbox_file~v2.repeat');
			for (let i = 0; i < 2; i++) {
				const records = await sandbox.sendWebhookEvent({ ...event, url: off.webhookUrl });
				expect(records.map((r) => r.status)).toEqual([200]);
				await settledExecutions(n8n, off.workflow);
			}
			const executions = await settledExecutions(n8n, off.workflow);
			measured.triggerDedupeOffSequentialTimes2 = executions.length;
			expect(executions).toHaveLength(2);
			const [first, second] = await outputs(executions);
			expect(second.event.event_key).toBe(first.event.event_key);
			expect(first.passed).toHaveLength(1);
			expect(second.passed).toEqual([]);
			expect(chatOff.received).toEqual([
				expect.objectContaining({ event_key: first.event.event_key }),
			]);
		} finally {
			await chatOff.close();
		}
	});
});
