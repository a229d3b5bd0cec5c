// `npm run bench`: memory and throughput of Upload Draft inside a real n8n, against curl (the
// transport limit here) and against a whole-file upload (what other TikTok nodes do), all in one
// run so the ratios are fair on a noisy machine. Not part of CI.
//   node bench/run.mjs [--sizes 64MB,512MB,1GiB] [--with-4gb] [--reps 3]
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSandbox } from '../sandbox/server.mjs';
import { ensureN8nEngine } from '../e2e/lib/engine.mjs';
import { sampleTreeRss, treeRss } from '../e2e/lib/memory.mjs';
import { startN8n } from '../e2e/lib/n8nInstance.mjs';
import { connectCredential, runWorkflow } from '../e2e/lib/scenario.mjs';
import { writeSampleVideo } from '../e2e/lib/videos.mjs';
import { readThenUploadWorkflow, tikTokNode } from '../e2e/lib/workflows.mjs';
import { linePlotPng } from './plot.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const MB = 1_000_000;
const CHUNK = 10_000_000;
const SIZES = {
	'64MB': 64_000_000,
	'512MB': 512 * 1024 ** 2,
	'1GiB': 1024 ** 3,
	'4GB': 4 * 1024 ** 3,
};
const { values } = parseArgs({
	options: {
		sizes: { type: 'string', default: '64MB,512MB,1GiB' },
		'with-4gb': { type: 'boolean', default: false },
		reps: { type: 'string', default: '3' },
	},
});
const sizes = values.sizes.split(',').concat(values['with-4gb'] ? ['4GB'] : []);
const reps = Number(values.reps);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const spread = (list) => `${Math.min(...list).toFixed(0)}–${Math.max(...list).toFixed(0)}`;

const engine = ensureN8nEngine();
const files = mkdtempSync(join(tmpdir(), 'tiktok-bench-'));
const sandbox = await startSandbox({
	processingMs: 50,
	maxPendingShares: 1e9,
	rateLimits: { inboxInit: 1e9, statusFetch: 1e9 },
});

/**
 * Runs Read Video → the upload node in a fresh n8n (memory an earlier run freed stays with the
 * process and would hide the next run's growth): RSS growth of the process tree over idle, and
 * the upload node's own time from n8n's execution data.
 */
async function measureInN8n(makeUploadNode, video) {
	const n8n = await startN8n({
		engine,
		sandbox,
		filesDir: files,
		extraPackages: [join(BENCH_DIR, 'whole-file-node')],
	});
	try {
		const { credential } = await connectCredential(n8n, sandbox);
		const upload = await makeUploadNode(credential);
		await sleep(2000);
		const idleSampler = sampleTreeRss(n8n.pid);
		await sleep(1000);
		const idle = idleSampler.stop().median;
		const started = Date.now();
		const sampler = sampleTreeRss(n8n.pid);
		const timeline = [];
		const tick = setInterval(
			() => timeline.push([(Date.now() - started) / 1000, (treeRss(n8n.pid) - idle) / MB]),
			100,
		);
		const run = await runWorkflow(
			n8n,
			engine,
			readThenUploadWorkflow(upload.name, video.path, upload),
		);
		clearInterval(tick);
		const { peak } = sampler.stop();
		if (run.result.status !== 'success') {
			throw new Error(`${upload.name} failed: ${JSON.stringify(run.result.error)}`);
		}
		const [json] = run.result.outputOf(upload.name);
		if (sandbox.state.uploads[json.publish_id].sha256 !== video.sha256) {
			throw new Error(`${upload.name}: the sandbox received other bytes`);
		}
		const seconds = run.result.runData[upload.name][0].executionTime / 1000;
		return { growthMb: (peak - idle) / MB, mbPerSecond: video.size / MB / seconds, timeline };
	} finally {
		await n8n.stop();
	}
}

const thisNode = (credential) =>
	tikTokNode(
		'Upload Draft',
		{ resource: 'video', operation: 'uploadDraft', binaryPropertyName: 'data', options: {} },
		credential,
		[440, 0],
	);
const wholeFileNode = async () => ({
	id: 'whole',
	name: 'Whole-File Upload',
	type: 'n8n-nodes-tiktok-bench-whole-file.wholeFileUpload',
	typeVersion: 1,
	position: [440, 0],
	parameters: {
		apiBaseUrl: sandbox.apiBaseUrl,
		accessToken: (await sandbox.mintToken({ scopes: ['video.upload'] })).access_token,
		binaryPropertyName: 'data',
		chunkSize: CHUNK,
	},
});

/** The same chunk plan PUT by curl, bytes streamed from the file into curl's stdin. */
async function measureCurl(video) {
	const token = await sandbox.mintToken({ scopes: ['video.upload'] });
	const chunkSize = video.size <= 64_000_000 ? video.size : CHUNK;
	const count = Math.floor(video.size / chunkSize);
	const init = await fetch(`${sandbox.apiBaseUrl}/v2/post/publish/inbox/video/init/`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({
			source_info: {
				source: 'FILE_UPLOAD',
				video_size: video.size,
				chunk_size: chunkSize,
				total_chunk_count: count,
			},
		}),
	}).then((r) => r.json());
	const started = Date.now();
	for (let k = 0; k < count; k++) {
		const start = k * chunkSize;
		const end = k === count - 1 ? video.size - 1 : start + chunkSize - 1;
		const curl = spawn('curl', [
			'-s',
			'-o',
			'/dev/null',
			'-w',
			'%{http_code}',
			'-X',
			'PUT',
			'-T',
			'-',
			'-H',
			'Content-Type: video/mp4',
			'-H',
			`Content-Length: ${end - start + 1}`,
			'-H',
			`Content-Range: bytes ${start}-${end}/${video.size}`,
			'-H',
			'Expect:',
			'-H',
			'Transfer-Encoding:', // curl would send chunked beside Content-Length; Node refuses both
			init.data.upload_url,
		]);
		curl.stdin.on('error', () => {}); // a refused chunk shows in the status below
		createReadStream(video.path, { start, end }).pipe(curl.stdin);
		let status = '';
		curl.stdout.on('data', (piece) => (status += piece));
		await new Promise((resolve) => curl.once('close', resolve));
		if (!['206', '201'].includes(status)) throw new Error(`curl chunk ${k + 1}: HTTP ${status}`);
	}
	const seconds = (Date.now() - started) / 1000;
	if (sandbox.state.uploads[init.data.publish_id].sha256 !== video.sha256)
		throw new Error('curl: other bytes');
	return { mbPerSecond: video.size / MB / seconds };
}

const results = [];
let plot;
try {
	for (const name of sizes) {
		const video = writeSampleVideo(files, `bench-${name}.mp4`, SIZES[name]);
		const rows = { node: [], curl: [], whole: [] };
		for (let rep = 0; rep < reps; rep++) {
			process.stderr.write(`${name} run ${rep + 1}/${reps}\n`);
			rows.node.push(await measureInN8n(thisNode, video));
			rows.curl.push(await measureCurl(video));
			// A whole-file upload can fail outright (Node reads at most 2 GiB into one buffer).
			rows.whole.push(
				await measureInN8n(wholeFileNode, video).catch((error) => ({
					failed: (/"message":"([^"]+)"/.exec(error.message)?.[1] ?? error.message).slice(0, 100),
				})),
			);
		}
		rmSync(video.path);
		if (name === '1GiB') plot = { node: rows.node[0].timeline, whole: rows.whole[0].timeline };
		results.push({ name, rows });
	}
} finally {
	await sandbox.close();
	rmSync(files, { recursive: true, force: true });
}

const lines = [
	`| video | node RSS growth MB, median (range) | whole-file RSS growth MB, median (range) | memory whole-file / node | node MB/s | curl MB/s | throughput node / curl |`,
	'| --- | --- | --- | --- | --- | --- | --- |',
];
for (const { name, rows } of results) {
	const growth = rows.node.map((r) => r.growthMb);
	const whole = rows.whole.filter((r) => !r.failed).map((r) => r.growthMb);
	const wholeFailure = rows.whole.find((r) => r.failed)?.failed;
	const nodeRate = median(rows.node.map((r) => r.mbPerSecond));
	const curlRate = median(rows.curl.map((r) => r.mbPerSecond));
	lines.push(
		`| ${name} | ${median(growth).toFixed(1)} (${spread(growth)}) | ${whole.length ? `${median(whole).toFixed(1)} (${spread(whole)})` : `failed: ${wholeFailure}`} | ${whole.length ? `${(median(whole) / Math.max(median(growth), 1)).toFixed(1)}×` : '–'} | ${nodeRate.toFixed(0)} (${spread(rows.node.map((r) => r.mbPerSecond))}) | ${curlRate.toFixed(0)} (${spread(rows.curl.map((r) => r.mbPerSecond))}) | ${(nodeRate / curlRate).toFixed(2)} |`,
	);
}
const machine = `${cpus().length} × ${cpus()[0].model}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.version}, n8n ${engine.version}, chunk size ${CHUNK / MB} MB, ${reps} runs per size`;
console.log(`\n${machine}\n\n${lines.join('\n')}`);
if (plot) {
	const png = linePlotPng(
		[
			{ color: [220, 40, 40], points: plot.whole },
			{ color: [20, 110, 220], points: plot.node },
		],
		{ gridY: 100 },
	);
	writeFileSync(join(BENCH_DIR, 'rss-1gib.png'), png);
	console.log(
		`\nbench/rss-1gib.png: RSS growth over idle (MB, grid every 100 MB) against seconds; blue = this node, red = whole-file upload, 1 GiB.`,
	);
}
writeFileSync(
	join(BENCH_DIR, '..', 'BENCHMARKS.md'),
	`# Benchmarks

Written by \`npm run bench\` (\`bench/run.mjs\`; \`--with-4gb\` adds 4 GB, \`--reps N\`,
\`--sizes\`). Everything runs in one go on one machine, so compare the ratios, not the absolute
numbers. Each measurement uses a fresh n8n ${engine.version} (filesystem binary mode) and the
local sandbox; the video is random bytes written to the OS temp dir and deleted afterwards.

- **node**: Read/Write Files from Disk → TikTok Upload Draft. RSS growth = peak RSS of n8n's whole
  process tree (sampled 20×/s) minus its idle RSS just before; MB/s = video size / the TikTok
  node's execution time from n8n's execution data.
- **curl**: the same chunk plan PUT by \`curl -T -\` to the same sandbox, bytes streamed from the
  file (the transport limit here; curl's own process is started per chunk).
- **whole-file**: \`bench/whole-file-node\`, a comparison node kept out of the package that loads
  the video with \`getBinaryDataBuffer\` and then PUTs the same chunks, as other TikTok nodes do.

Machine: ${machine}.

${lines.join('\n')}

![RSS growth over time at 1 GiB](bench/rss-1gib.png)

RSS growth over idle (MB; grid every 100 MB) against time in seconds for the 1 GiB run: blue is
this node, red the whole-file upload. The long flat start is Read/Write Files copying the video
into n8n's binary-data folder.
`,
);
