// Fault-matrix rows again, inside a real n8n: the sandbox injects the faults, n8n runs the node.
import { ensureN8nEngine } from './lib/engine.mjs';
import { runExample } from './lib/scenario.mjs';
import { findSecrets } from './lib/secrets.mjs';
import { useN8n } from './lib/useN8n.mjs';
import { writeSampleVideo } from './lib/videos.mjs';

const engine = ensureN8nEngine();
const { files, sandbox, n8n, credential } = useN8n({ engine, sandbox: { processingMs: 500 } });
const video = writeSampleVideo(files, 'faults.mp4', 70_000_123);

const initCalls = () => sandbox.state.apiCalls.filter((call) => call.endpoint === 'inboxInit');

test('429 on init, 503 on chunk 2, a reset in chunk 5: the draft arrives byte-exact with one publish id', async () => {
	sandbox.addFault({ target: 'inboxInit', kind: 'status', status: 429, retryAfterSeconds: 1 });
	sandbox.addFault({ target: 'chunk', chunkIndex: 1, kind: 'status', status: 503 });
	sandbox.addFault({ target: 'chunk', chunkIndex: 4, kind: 'reset' });
	const inits = initCalls().length;
	const run = await runExample(n8n, engine, sandbox, { video, credential });
	expect(run.result.status).toBe('success');
	expect(run.received).toMatchObject({
		complete: true,
		sha256: video.sha256,
		bytesReceived: video.size,
	});
	expect(run.received.puts.map((put) => put.status)).toEqual([
		206,
		503,
		206,
		206,
		206,
		'reset',
		206,
		206,
		201,
	]);
	expect(
		initCalls()
			.slice(inits)
			.map((call) => call.status),
	).toEqual([429, 200]);
	expect(
		Object.values(sandbox.state.uploads).filter((u) => u.videoSize === video.size),
	).toHaveLength(1);
	expect(findSecrets(JSON.stringify(run.execution), sandbox)).toEqual([]);
});

test('5xx on every try of chunk 3: the run fails naming chunk 3 of 7 and the publish id, no second init', async () => {
	sandbox.addFault({ target: 'chunk', chunkIndex: 2, kind: 'status', status: 500, times: 3 });
	const inits = initCalls().length;
	const run = await runExample(n8n, engine, sandbox, { video, credential });
	expect(run.result.status).toBe('error');
	const error = run.result.errorOf('Upload Draft');
	expect(error.message).toMatch(/Uploading chunk 3 of 7 failed after 3 tries: HTTP 500/);
	expect(error.description).toMatch(/Publish ID v_inbox_file~\S+ was not completed/);
	expect(initCalls().length - inits).toBe(1);
	expect(findSecrets(JSON.stringify(run.execution), sandbox)).toEqual([]);
	expect(findSecrets(n8n.readLog(), sandbox)).toEqual([]);
});
