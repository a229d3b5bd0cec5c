// The package inside a real n8n (version in e2e/n8n-version), against the local TikTok sandbox.
// n8n is started with `n8n start`, driven through its REST API like the editor drives it.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expectByteExact, expectConnectedWithClientKey } from './lib/checks.mjs';
import { ensureN8nEngine } from './lib/engine.mjs';
import { formatMb, MB, sampleTreeRss } from './lib/memory.mjs';
import { exportCredentialData } from './lib/n8nInstance.mjs';
import {
	connectCredential,
	runExample,
	runExampleThroughExpiry,
	runWorkflow,
	userInfoWorkflow,
} from './lib/scenario.mjs';
import { findSecrets } from './lib/secrets.mjs';
import { useN8n } from './lib/useN8n.mjs';
import { writeSampleVideo } from './lib/videos.mjs';

const engine = ensureN8nEngine();
const CHUNK_SIZE = 10_000_000;

function listFiles(dir) {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { recursive: true })
		.map((entry) => join(dir, entry))
		.filter((path) => statSync(path, { throwIfNoEntry: false })?.isFile())
		.map((path) => relative(dir, path));
}

describe('filesystem binary mode', () => {
	const { files, sandbox, n8n } = useN8n({
		engine,
		sandbox: {
			processingMs: 500,
			rateLimits: { inboxInit: 100, statusFetch: 100 },
			maxPendingShares: 100,
		},
		// Debug logs on: the secret scan at the end reads them too.
		n8n: { binaryMode: 'filesystem', env: { N8N_LOG_LEVEL: 'debug' } },
		connect: false, // the first test connects with the Connect button
	});
	let credential;
	let tmpBefore;
	const executions = [];

	beforeAll(() => {
		tmpBefore = listFiles(n8n.tmpDir);
	});

	test('Connect button: client_key on authorize and code exchange, then a workflow succeeds', async () => {
		const { credential: created, connection } = await connectCredential(n8n, sandbox);
		credential = created;
		expectConnectedWithClientKey(n8n, sandbox, connection);

		const run = await runWorkflow(n8n, engine, userInfoWorkflow('user info', credential));
		executions.push(run.execution);
		expect(run.result.status).toBe('success');
		expect(run.result.outputOf('Get User Info')).toEqual([
			expect.objectContaining({ display_name: 'Sandbox Creator' }),
		]);
	});

	test.each([
		['3 MB, one chunk', 3_000_000, 1],
		['150 MB, several chunks', 150_000_123, 15],
	])(
		'Read/Write Files from Disk → Upload Draft, %s: byte-exact at the sandbox',
		async (_name, size, chunks) => {
			const video = writeSampleVideo(files, `clip-${size}.mp4`, size);
			const run = await runExample(n8n, engine, sandbox, { video, credential });
			executions.push(run.execution);
			expectByteExact(run, video, chunks);
			rmSync(video.path);
		},
	);

	test('1 GiB upload: n8n process tree RSS growth stays under 2 × chunk size + 64 MB', async () => {
		const video = writeSampleVideo(files, 'big.mp4', 1024 ** 3);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const idle = sampleTreeRss(n8n.pid);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const idleRss = idle.stop().median;
		const sampler = sampleTreeRss(n8n.pid);
		const run = await runExample(n8n, engine, sandbox, { video, credential });
		const { peak, count } = sampler.stop();
		executions.push(run.execution);
		rmSync(video.path);
		const growth = peak - idleRss;
		const bound = 2 * CHUNK_SIZE + 64 * MB;
		console.log(
			`1 GiB upload: chunk ${formatMb(CHUNK_SIZE)} × ${run.uploaded?.total_chunk_count}, idle RSS ${formatMb(idleRss)}, ` +
				`peak ${formatMb(peak)} (${count} samples at 20 Hz), growth ${formatMb(growth)}, bound ${formatMb(bound)}`,
		);
		expectByteExact(run, video, 107);
		expect(growth).toBeLessThanOrEqual(bound);
	});

	test('expired access token: refreshed with client_key mid-workflow; after rotation, a reconnect error and an intact credential', async () => {
		const { credential: own } = await connectCredential(n8n, sandbox, { name: 'TikTok expiring' });
		const stored = await exportCredentialData(n8n, own.id);

		// Expire every token while the workflow waits between Upload Draft and Check Status.
		const video = writeSampleVideo(files, 'expiry.mp4', 3_000_000);
		const run = await runExampleThroughExpiry(n8n, engine, sandbox, { video, credential: own });
		executions.push(run.execution);
		expect(run.result.status).toBe('success');
		expect(run.result.outputOf('Check Status')[0]).toMatchObject({ status: 'SEND_TO_USER_INBOX' });
		expect(run.result.outputOf('Get User Info')[0]).toMatchObject({
			display_name: 'Sandbox Creator',
		});
		expect(run.refreshes).toEqual([
			expect.objectContaining({ hasClientKey: true, clientKey: sandbox.clientKey, ok: true }),
		]);

		// The Connect credential cannot store the rotated refresh token: the next expiry needs a reconnect.
		sandbox.expireAccessTokens();
		const second = await runWorkflow(n8n, engine, userInfoWorkflow('after rotation', own));
		executions.push(second.execution);
		expect(second.result.status).toBe('error');
		expect(second.result.errorOf('Get User Info').message).toMatch(/reconnect/i);
		const after = await exportCredentialData(n8n, own.id);
		expect(after.oauthTokenData).toEqual(stored.oauthTokenData);
		expect(after.oauthTokenData.error).toBeUndefined();
	});

	test("no secrets in execution data or n8n's debug log; no files left behind by the node", async () => {
		expect(executions.length).toBeGreaterThanOrEqual(5);
		for (const execution of executions)
			expect(findSecrets(JSON.stringify(execution), sandbox)).toEqual([]);
		expect(findSecrets(n8n.readLog(), sandbox)).toEqual([]);
		expect(listFiles(n8n.tmpDir).filter((f) => !tmpBefore.includes(f))).toEqual([]);
		// n8n keeps each execution's binary data under workflows/<id>/executions/<id>/; nothing else.
		const stray = listFiles(n8n.binaryDataDir).filter(
			(f) => !/^workflows\/[^/]+\/executions\/[^/]+\/binary_data\//.test(f),
		);
		expect(stray).toEqual([]);
	});
});

describe('in-memory binary mode (N8N_DEFAULT_BINARY_DATA_MODE=default)', () => {
	const { files, sandbox, n8n, credential } = useN8n({
		engine,
		sandbox: { processingMs: 500 },
		n8n: { binaryMode: 'default' },
	});

	test.each([
		['3 MB, one chunk', 3_000_000, 1],
		// 70 MB, not 150: in this mode n8n keeps the video as base64 inside the execution record, and
		// reading that record back (not the upload, under a second) takes minutes at 150 MB.
		['70 MB, several chunks', 70_000_123, 7],
	])(
		'Read/Write Files from Disk → Upload Draft, %s: byte-exact at the sandbox',
		async (_name, size, chunks) => {
			const video = writeSampleVideo(files, `clip-${size}.mp4`, size);
			const run = await runExample(n8n, engine, sandbox, { video, credential });
			expectByteExact(run, video, chunks);
			expect(findSecrets(JSON.stringify(run.execution), sandbox)).toEqual([]);
			expect(listFiles(n8n.binaryDataDir)).toEqual([]); // in-memory mode: nothing on disk
		},
	);
});
