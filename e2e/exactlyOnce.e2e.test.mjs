// Exactly one post per item, inside a real n8n, with the TikTok node's Retry On Fail switched on
// (3 tries, 1 s apart): the sandbox fails *after* TikTok acted, and each case must end with one
// task and an item that says what really happened. Each case logs one row of the table in the
// README's "Errors and retries" section.
import { ensureN8nEngine } from './lib/engine.mjs';
import { runWorkflow } from './lib/scenario.mjs';
import { findSecrets } from './lib/secrets.mjs';
import { useN8n } from './lib/useN8n.mjs';
import { writeSampleVideo } from './lib/videos.mjs';
import { manualWorkflow, readThenUploadWorkflow, tikTokNode } from './lib/workflows.mjs';

const engine = ensureN8nEngine();
const RETRY_ON_FAIL = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 };
const { files, sandbox, media, n8n, credential } = useN8n({
	engine,
	media: 'https',
	sandbox: { processingMs: 300, maxPendingShares: 1000 },
	connect: { scopes: 'user.info.basic,video.upload,video.publish' },
});
for (const name of ['1.jpg', '2.jpg']) writeSampleVideo(files, name, 60_000);

/** The workflow with Retry On Fail switched on for the TikTok node `nodeName`. */
function retrying(workflow, nodeName) {
	for (const node of workflow.nodes) if (node.name === nodeName) Object.assign(node, RETRY_ON_FAIL);
	return workflow;
}

/** Manual Trigger → one TikTok node with Retry On Fail. */
const oneNode = (name, nodeName, parameters) =>
	retrying(manualWorkflow(name, credential, [[nodeName, parameters]]), nodeName);

/** Manual Trigger → Read Video → one TikTok node with Retry On Fail. */
const readThen = (name, videoPath, nodeName, parameters) =>
	retrying(
		readThenUploadWorkflow(name, videoPath, tikTokNode(nodeName, parameters, credential, [440, 0])),
		nodeName,
	);

/** Runs the workflow; returns the node's item or error, and one row of the results table. */
async function runCase(label, workflow, nodeName, { mediaKey, endpoint }) {
	const callsBefore = sandbox.state.apiCalls.length;
	const run = await runWorkflow(n8n, engine, workflow);
	const calls = sandbox.state.apiCalls.slice(callsBefore);
	const [item] = run.result.outputOf(nodeName);
	const error = run.result.errorOf(nodeName);
	const row = {
		case: label,
		tasks: sandbox.state.tasksPerVideo[mediaKey] ?? 0,
		initRequests: calls.filter((call) => call.endpoint === endpoint).length,
		statusChecks: calls.filter((call) => call.endpoint === 'statusFetch').length,
		execution: run.result.status,
		outcome: item ? summary(item) : `error: ${error?.message}`,
	};
	console.log(`exactly-once | ${JSON.stringify(row)}`);
	expect(findSecrets(JSON.stringify(run.execution), sandbox)).toEqual([]);
	expect(findSecrets(n8n.readLog(), sandbox)).toEqual([]);
	return { item, error, row };
}

const SUMMARY_FIELDS = ['publish_id', 'status', 'chunk_answers_confirmed_by_status', 'wait_error'];
const summary = (item) =>
	SUMMARY_FIELDS.filter((key) => item[key] !== undefined)
		.map((key) => `${key}=${item[key]}`)
		.join(' ');

const draftFromBinary = (options = {}) => ({
	resource: 'video',
	operation: 'uploadDraft',
	videoSource: 'binary',
	binaryPropertyName: 'data',
	options: { chunkSize: 10, ...options },
});

test('(a) Upload Draft from a URL, 503 after TikTok created the task: one task; the error says it may be posted', async () => {
	writeSampleVideo(files, 'a.mp4', 3_000_101);
	sandbox.addFault({ target: 'inboxInit', kind: 'status', status: 503, when: 'afterEffect' });
	const { error, row } = await runCase(
		'(a) Upload Draft from URL, init answered 503 after the task was created',
		oneNode('exactly once (a)', 'Upload Draft', {
			resource: 'video',
			operation: 'uploadDraft',
			videoSource: 'url',
			videoUrl: media.urlOf('a.mp4'),
			options: {},
		}),
		'Upload Draft',
		{ mediaKey: `url:${media.urlOf('a.mp4')}`, endpoint: 'inboxInit' },
	);
	expect(row).toMatchObject({ tasks: 1, initRequests: 1, execution: 'error' });
	expect(error.message).toMatch(
		/TikTok may have accepted the draft, but its answer was lost \(HTTP 503\)/,
	);
	expect(error.description).toMatch(
		/Do not run this item again before checking: it could post twice/,
	);
});

test('(b) Upload Draft, the final chunk stored but its answer lost: one task, the item succeeds after a status check', async () => {
	const video = writeSampleVideo(files, 'b.mp4', 70_000_202); // 7 chunks of 10 MB
	sandbox.addFault({ target: 'chunk', chunkIndex: 6, kind: 'reset', when: 'afterEffect' });
	const { item, row } = await runCase(
		'(b) Upload Draft from binary, final chunk stored, connection reset before the answer',
		readThen('exactly once (b)', video.path, 'Upload Draft', draftFromBinary()),
		'Upload Draft',
		{ mediaKey: `size:${video.size}`, endpoint: 'inboxInit' },
	);
	expect(row).toMatchObject({ tasks: 1, initRequests: 1, execution: 'success' });
	expect(item).toMatchObject({ total_chunk_count: 7, chunk_answers_confirmed_by_status: 1 });
	expect(sandbox.state.uploads[item.publish_id]).toMatchObject({
		complete: true,
		sha256: video.sha256,
	});
});

test('(c) Upload Draft waiting, every status check fails: one task, the item returns the upload with wait_error', async () => {
	const video = writeSampleVideo(files, 'c.mp4', 3_000_303);
	sandbox.addFault({ target: 'statusFetch', kind: 'status', status: 500, times: 1000 });
	try {
		const { item, row } = await runCase(
			'(c) Upload Draft waiting for completion, every status check answered 500',
			readThen(
				'exactly once (c)',
				video.path,
				'Upload Draft',
				draftFromBinary({ waitForCompletion: true, pollIntervalSeconds: 2, waitTimeoutSeconds: 6 }),
			),
			'Upload Draft',
			{ mediaKey: `size:${video.size}`, endpoint: 'inboxInit' },
		);
		expect(row).toMatchObject({ tasks: 1, initRequests: 1, execution: 'success' });
		expect(item.wait_error).toMatch(/internal_error/);
		expect(item.status_hint).toMatch(/do not upload it again/);
		expect(sandbox.state.uploads[item.publish_id]).toMatchObject({ complete: true });
	} finally {
		sandbox.clearFaults();
	}
});

test('(d) Photo post, connection reset after TikTok created the task: one task; the error says it may be posted', async () => {
	const photos = ['1.jpg', '2.jpg'].map(media.urlOf);
	sandbox.addFault({ target: 'contentInit', kind: 'reset', when: 'afterEffect' });
	const { error, row } = await runCase(
		'(d) Photo draft, init connection reset after the task was created',
		oneNode('exactly once (d)', 'Photo Post', {
			resource: 'photo',
			operation: 'post',
			postMode: 'draft',
			photoUrls: photos.join('\n'),
			options: {},
		}),
		'Photo Post',
		{ mediaKey: `photos:${photos.join(',')}`, endpoint: 'contentInit' },
	);
	expect(row).toMatchObject({ tasks: 1, initRequests: 1, execution: 'error' });
	expect(error.message).toMatch(/TikTok may have accepted the photo post, but its answer was lost/);
	expect(error.description).toMatch(/look in the TikTok app/);
});

test('(e) Direct Post from a binary, the final chunk answered 503 after it was stored: one post, the item succeeds', async () => {
	const video = writeSampleVideo(files, 'e.mp4', 21_000_505); // one chunk: it is the final one
	sandbox.addFault({
		target: 'chunk',
		chunkIndex: 0,
		kind: 'status',
		status: 503,
		when: 'afterEffect',
	});
	const { item, row } = await runCase(
		'(e) Direct Post from binary, final chunk stored, answered 503',
		readThen('exactly once (e)', video.path, 'Direct Post', {
			resource: 'video',
			operation: 'directPost',
			videoSource: 'binary',
			binaryPropertyName: 'data',
			privacyLevel: 'SELF_ONLY',
			title: 'exactly once',
			options: { chunkSize: 10 },
		}),
		'Direct Post',
		{ mediaKey: `size:${video.size}`, endpoint: 'directPostInit' },
	);
	expect(row).toMatchObject({ tasks: 1, initRequests: 1, execution: 'success' });
	expect(item).toMatchObject({ total_chunk_count: 1, chunk_answers_confirmed_by_status: 1 });
	expect(sandbox.state.uploads[item.publish_id]).toMatchObject({
		complete: true,
		sha256: video.sha256,
	});
});

test('control: a definite refusal before TikTok acted (unverified URL, 403) is retried by Retry On Fail, 3 inits, no task', async () => {
	const { error, row } = await runCase(
		'control: Upload Draft from an unverified URL (403 url_ownership_unverified)',
		oneNode('exactly once (control)', 'Upload Draft', {
			resource: 'video',
			operation: 'uploadDraft',
			videoSource: 'url',
			videoUrl: 'https://unverified.example.com/clip.mp4',
			options: {},
		}),
		'Upload Draft',
		{ mediaKey: 'url:https://unverified.example.com/clip.mp4', endpoint: 'inboxInit' },
	);
	// Proves n8n's Retry On Fail ran the node 3 times in this setup, so the single init of the
	// cases above is the node's doing, not a retry that never happened.
	expect(row).toMatchObject({ tasks: 0, initRequests: 3, execution: 'error' });
	expect(error.message).toMatch(/url_ownership_unverified/);
});
