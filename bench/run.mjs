// `npm run bench`: memory, throughput and CPU per GiB of Upload Draft inside a real n8n, against
// the limit (a plain Node.js streaming PUT loop, bench/raw-put.mjs), curl and a whole-file upload
// (what other TikTok nodes do), all in one run so the ratios are fair on a noisy machine; then
// the node and the limit for several chunk sizes at 1 GiB. Not part of CI.
//   node bench/run.mjs [--sizes 64MB,512MB,1GiB] [--with-4gb] [--reps 3]
//                      [--chunk-sizes 5.3,10,32,64 | none] [--no-whole-file]
//   node bench/run.mjs --profile before|after [--sizes 1GiB]
//     one upload in n8n started with --cpu-prof; writes bench/profile-<label>.md, the top
//     self-time entries while the TikTok node ran (BENCHMARKS.md quotes both files).
// The sandbox runs in a process of its own (sandbox/cli.mjs), so its hashing is charged to
// nobody measured here.
import { spawn } from 'node:child_process';
import {
	createReadStream,
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureN8nEngine } from '../e2e/lib/engine.mjs';
import { processTree, sampleTreeRss, treeRss } from '../e2e/lib/memory.mjs';
import { startN8n } from '../e2e/lib/n8nInstance.mjs';
import { connectCredential, runWorkflow } from '../e2e/lib/scenario.mjs';
import { writeSampleVideo } from '../e2e/lib/videos.mjs';
import { readThenUploadWorkflow, tikTokNode } from '../e2e/lib/workflows.mjs';
import { linePlotPng } from './plot.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH_DIR, '..');
const { planChunks, DEFAULT_CHUNK_BYTES } = createRequire(import.meta.url)(
	'../dist/nodes/TikTok/helpers/chunkPlan.js',
);
const MB = 1_000_000;
const GiB = 1024 ** 3;
const CLOCK_TICKS = 100; // USER_HZ of /proc/<pid>/stat on Linux
const SIZES = {
	'64MB': 64_000_000,
	'512MB': 512 * 1024 ** 2,
	'1GiB': GiB,
	'4GB': 4 * GiB,
};
const { values } = parseArgs({
	options: {
		sizes: { type: 'string', default: '64MB,512MB,1GiB' },
		'with-4gb': { type: 'boolean', default: false },
		reps: { type: 'string', default: '3' },
		'chunk-sizes': { type: 'string', default: '5.3,10,32,64' },
		'no-whole-file': { type: 'boolean', default: false },
		profile: { type: 'string' },
	},
});
const sizes = values.sizes.split(',').concat(values['with-4gb'] ? ['4GB'] : []);
const reps = Number(values.reps);
const chunkSizesMb =
	values['chunk-sizes'] === 'none' ? [] : values['chunk-sizes'].split(',').map(Number);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (list) => {
	const sorted = [...list].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const spread = (list, digits = 0) =>
	`${Math.min(...list).toFixed(digits)}–${Math.max(...list).toFixed(digits)}`;
const withRange = (list, digits = 0) =>
	list.length ? `${median(list).toFixed(digits)} (${spread(list, digits)})` : '–';

/** user + sys clock ticks of a process: its own, or with its waited-for children. */
function cpuTicks(pid, withChildren = false) {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const own = Number(fields[11]) + Number(fields[12]);
		return withChildren ? own + Number(fields[13]) + Number(fields[14]) : own;
	} catch {
		return 0; // ended
	}
}
const treeCpuTicks = (pids) => pids.reduce((sum, pid) => sum + cpuTicks(pid), 0);

/** sandbox/cli.mjs in a child process, driven through its /__sandbox control endpoints. */
async function startSandboxProcess() {
	const child = spawn(
		process.execPath,
		[join(ROOT, 'sandbox', 'cli.mjs'), '--port', '0', '--upload-port', '0'],
		{ stdio: ['ignore', 'pipe', 'inherit'] },
	);
	let banner = '';
	await new Promise((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
		child.stdout.on('data', (piece) => {
			banner += piece;
			if (banner.includes('Press Ctrl-C')) resolve();
		});
	});
	const field = (label) => new RegExp(`${label}\\s+(\\S+)`).exec(banner)[1];
	const apiBaseUrl = field('API base URL');
	const control = async (action, body) => {
		const response = await fetch(`${apiBaseUrl}/__sandbox/${action}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`sandbox ${action}: HTTP ${response.status}`);
		return response.json();
	};
	await control('config', {
		processingMs: 50,
		maxPendingShares: 1e9,
		rateLimits: { inboxInit: 1e9, statusFetch: 1e9 },
	});
	return {
		pid: child.pid,
		apiBaseUrl,
		authUrl: field('Authorization URL'),
		accessTokenUrl: field('Access token URL'),
		clientKey: field('Client key'),
		clientSecret: field('Client secret'),
		mintToken: (body) => control('tokens', body),
		upload: async (publishId) => (await control('state')).uploads[publishId],
		close: () =>
			new Promise((resolve) => {
				child.removeAllListeners('exit');
				child.once('exit', resolve);
				child.kill('SIGTERM');
			}),
	};
}

/** A FILE_UPLOAD init as the node makes it, for the loops outside n8n. */
async function initUpload(video, chunkBytes) {
	const token = await sandbox.mintToken({ scopes: ['video.upload'] });
	const plan = planChunks(video.size, chunkBytes);
	const init = await fetch(`${sandbox.apiBaseUrl}/v2/post/publish/inbox/video/init/`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({
			source_info: {
				source: 'FILE_UPLOAD',
				video_size: video.size,
				chunk_size: plan.chunkSize,
				total_chunk_count: plan.totalChunkCount,
			},
		}),
	}).then((r) => r.json());
	return { plan, publishId: init.data.publish_id, uploadUrl: init.data.upload_url };
}

async function expectBytes(label, publishId, video) {
	if ((await sandbox.upload(publishId))?.sha256 !== video.sha256)
		throw new Error(`${label}: the sandbox received other bytes`);
}

const engine = ensureN8nEngine();
const files = mkdtempSync(join(tmpdir(), 'tiktok-bench-'));
const sandbox = await startSandboxProcess();
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		process.kill(sandbox.pid, 'SIGTERM'); // n8n is ended by e2e/lib/reaper.mjs
		rmSync(files, { recursive: true, force: true });
		process.exit(1);
	});
}

/**
 * Runs Read Video → the upload node in a fresh n8n (memory an earlier run freed stays with the
 * process and would hide the next run's growth): RSS growth of the process tree over idle, the
 * upload node's own time from n8n's execution data, and the CPU time (user + sys) of n8n's whole
 * process tree during that node's execution (sampled from /proc every 20 ms, interpolated).
 */
async function measureInN8n(makeUploadNode, video, options = {}) {
	const preloadDir = mkdtempSync(join(tmpdir(), 'tiktok-bench-preload-'));
	try {
		return await measureWithPreload(preloadDir, makeUploadNode, video, options);
	} finally {
		rmSync(preloadDir, { recursive: true, force: true }); // also when the run failed
	}
}

async function measureWithPreload(
	preloadDir,
	makeUploadNode,
	video,
	{ profile = false, traceGc = false },
) {
	const n8n = await startN8n({
		engine,
		sandbox,
		filesDir: files,
		extraPackages: [join(BENCH_DIR, 'whole-file-node')],
		env: {
			NODE_OPTIONS: `--require ${join(BENCH_DIR, 'n8n-preload.cjs')}`,
			BENCH_PRELOAD_DIR: preloadDir,
			...(profile ? { BENCH_CPU_PROFILE: '1' } : {}),
			...(traceGc ? { BENCH_TRACE_GC: '1' } : {}),
		},
	});
	const keepFiles = traceGc;
	let result;
	try {
		const { credential } = await connectCredential(n8n, sandbox);
		const upload = await makeUploadNode(credential);
		await sleep(2000);
		const idleSampler = sampleTreeRss(n8n.pid);
		await sleep(1000);
		const idle = idleSampler.stop().median;
		const pids = processTree(n8n.pid);
		const started = Date.now();
		const sampler = sampleTreeRss(n8n.pid);
		const timeline = [];
		const tick = setInterval(
			() => timeline.push([(Date.now() - started) / 1000, (treeRss(n8n.pid) - idle) / MB]),
			100,
		);
		const cpuSamples = [[Date.now(), treeCpuTicks(pids)]];
		const cpuTick = setInterval(() => cpuSamples.push([Date.now(), treeCpuTicks(pids)]), 20);
		const run = await runWorkflow(
			n8n,
			engine,
			readThenUploadWorkflow(upload.name, video.path, upload),
		);
		clearInterval(tick);
		clearInterval(cpuTick);
		const { peak } = sampler.stop();
		if (run.result.status !== 'success') {
			throw new Error(`${upload.name} failed: ${JSON.stringify(run.result.error)}`);
		}
		const [json] = run.result.outputOf(upload.name);
		await expectBytes(upload.name, json.publish_id, video);
		const { startTime, executionTime } = run.result.runData[upload.name][0];
		const ticks = ticksAt(cpuSamples, startTime + executionTime) - ticksAt(cpuSamples, startTime);
		result = {
			growthMb: (peak - idle) / MB,
			mbPerSecond: video.size / MB / (executionTime / 1000),
			cpuPerGiB: ticks / CLOCK_TICKS / (video.size / GiB),
			timeline,
			startTime,
			executionTime,
		};
	} finally {
		await n8n.stop({ keepFiles });
	}
	// n8n's main process (the one n8n.pid names) wrote its collections when it exited.
	const gc = JSON.parse(readFileSync(join(preloadDir, `${n8n.pid}.gc.json`), 'utf8'));
	const end = result.startTime + result.executionTime;
	const during = gc.gcs.filter(
		(entry) => entry.epochMs >= result.startTime && entry.epochMs <= end,
	);
	result.majorGcs = during.filter((entry) => entry.kind === 'major').length;
	if (profile) result.profile = profileTop(preloadDir, result);
	return { ...result, root: n8n.root };
}

/** Tree CPU ticks at time t, linearly between the samples around it. */
function ticksAt(samples, t) {
	let i = samples.findIndex(([time]) => time >= t);
	if (i === -1) return samples.at(-1)[1];
	if (i === 0) return samples[0][1];
	const [t0, c0] = samples[i - 1];
	const [t1, c1] = samples[i];
	return t1 === t0 ? c1 : c0 + ((c1 - c0) * (t - t0)) / (t1 - t0);
}

const thisNode = (chunkSizeMb) => (credential) =>
	tikTokNode(
		'Upload Draft',
		{
			resource: 'video',
			operation: 'uploadDraft',
			binaryPropertyName: 'data',
			options: chunkSizeMb === undefined ? {} : { chunkSize: chunkSizeMb },
		},
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
		chunkSize: DEFAULT_CHUNK_BYTES,
	},
});

/** The limit: bench/raw-put.mjs in its own process; time and CPU of its PUT loop alone. */
async function measureRaw(video, chunkBytes = DEFAULT_CHUNK_BYTES) {
	const { publishId, uploadUrl } = await initUpload(video, chunkBytes);
	const child = spawn(
		process.execPath,
		[join(BENCH_DIR, 'raw-put.mjs'), video.path, uploadUrl, String(chunkBytes)],
		{ stdio: ['ignore', 'pipe', 'inherit'] },
	);
	let output = '';
	child.stdout.on('data', (piece) => (output += piece));
	const code = await new Promise((resolve) => child.once('close', resolve));
	if (code !== 0) throw new Error(`raw-put.mjs exited ${code}`);
	const { seconds, cpuSeconds } = JSON.parse(output);
	await expectBytes('raw loop', publishId, video);
	return {
		mbPerSecond: video.size / MB / seconds,
		cpuPerGiB: cpuSeconds / (video.size / GiB),
	};
}

/**
 * The same chunk plan PUT by curl, one curl process per chunk, bytes streamed from the file into
 * curl's stdin by this process. CPU: this process plus its ended children (the curls), /proc.
 */
async function measureCurl(video) {
	const { plan, publishId, uploadUrl } = await initUpload(video, DEFAULT_CHUNK_BYTES);
	const cpuBefore = cpuTicks(process.pid, true);
	const started = Date.now();
	for (let k = 0; k < plan.totalChunkCount; k++) {
		const start = k * plan.chunkSize;
		const end = k === plan.totalChunkCount - 1 ? video.size - 1 : start + plan.chunkSize - 1;
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
			uploadUrl,
		]);
		curl.stdin.on('error', () => {}); // a refused chunk shows in the status below
		createReadStream(video.path, { start, end }).pipe(curl.stdin);
		let status = '';
		curl.stdout.on('data', (piece) => (status += piece));
		await new Promise((resolve) => curl.once('close', resolve));
		if (!['206', '201'].includes(status)) throw new Error(`curl chunk ${k + 1}: HTTP ${status}`);
	}
	const seconds = (Date.now() - started) / 1000;
	const cpuSeconds = (cpuTicks(process.pid, true) - cpuBefore) / CLOCK_TICKS;
	await expectBytes('curl', publishId, video);
	return { mbPerSecond: video.size / MB / seconds, cpuPerGiB: cpuSeconds / (video.size / GiB) };
}

/**
 * Self time per function from the n8n main process' .cpuprofile, counted only while the TikTok
 * node executed (its start and execution time from n8n's execution data), idle excluded.
 */
function profileTop(profileDir, window, limit = 15) {
	const candidates = existsSync(profileDir)
		? readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'))
		: [];
	for (const name of candidates) {
		const profile = JSON.parse(readFileSync(join(profileDir, name), 'utf8'));
		const clock = JSON.parse(
			readFileSync(join(profileDir, name.replace('.cpuprofile', '.gc.json')), 'utf8'),
		);
		const toMono = (epochMs) => clock.monoUs + (epochMs - clock.epochMs) * 1000;
		const [from, to] = [toMono(window.startTime), toMono(window.startTime + window.executionTime)];
		const byId = new Map(profile.nodes.map((node) => [node.id, node]));
		const self = new Map();
		let total = 0;
		let ours = false;
		let time = profile.startTime;
		for (let i = 0; i < profile.samples.length; i++) {
			time += profile.timeDeltas[i];
			if (time < from || time > to) continue;
			const { callFrame } = byId.get(profile.samples[i]);
			const micros = profile.timeDeltas[i + 1] ?? 0;
			if (callFrame.functionName === '(idle)') continue;
			if (callFrame.url.includes('n8n-nodes-tiktok-posting')) ours = true;
			const file = callFrame.url
				? callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\//, '')
				: '(native)';
			const key = `${callFrame.functionName || '(anonymous)'} | ${file}:${callFrame.lineNumber + 1}`;
			self.set(key, (self.get(key) ?? 0) + micros);
			total += micros;
		}
		if (!ours) continue; // a task runner's profile
		const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, limit);
		const gcs = {};
		for (const gc of clock.gcs) {
			if (gc.epochMs < window.startTime || gc.epochMs > window.startTime + window.executionTime)
				continue;
			gcs[gc.kind] ??= { count: 0, ms: 0 };
			gcs[gc.kind].count++;
			gcs[gc.kind].ms += gc.ms;
		}
		return {
			gcs,
			file: name,
			busyMs: total / 1000,
			windowMs: window.executionTime,
			rows: top.map(([key, micros]) => {
				const [fn, where] = key.split(' | ');
				return { fn, where, ms: micros / 1000, percent: (100 * micros) / total };
			}),
		};
	}
	throw new Error(`no profile with this package's code in ${profileDir}`);
}

/** BENCHMARKS.md's last section, from the bench/profile-<label>.md files `--profile` writes. */
function profileSection() {
	const part = (label, title) => {
		const path = join(BENCH_DIR, `profile-${label}.md`);
		return existsSync(path) ? `${title}\n\n${readFileSync(path, 'utf8').trim()}\n` : '';
	};
	return `## Profile

Where n8n's main process spends its time while the TikTok node uploads 1 GiB: a CPU profile
(\`node bench/run.mjs --profile <label>\`, \`bench/n8n-preload.cjs\` preloaded into n8n; self time
of the functions sampled during the node's execution, idle excluded; profiling slows the run,
and n8n's other threads, such as the file reads in libuv's pool and concurrent marking, are not
in it). \`before\`: the upload code at the start of issue 22, which reads n8n's binary stream in
1 MiB pieces and copies them into one reused chunk buffer (a one-chunk video too). \`views\`: the zero-copy variant tried
then (pieces of the chunk size, chunks sent as views into them), rejected: it kept pieces alive
across collections and V8 collected n8n's whole heap again and again. A second buffer, to read
the next chunk while one is sent, was measured too and left out (no clear gain, more major
collections). \`after\`: the code at the end of issue 22: \`before\`'s path for several chunks; a
one-chunk video read in one piece and sent without a copy. How
many major collections a run meets varies from run to run with the same code (see the tables
above); compare the node's own entries (\`n8n-nodes-tiktok-posting/\`), not the totals.

${[part('before', '### before'), part('views', '### views (rejected)'), part('after', '### after'), part('before-64mb', '### before, 64 MB'), part('after-64mb', '### after, 64 MB')].filter(Boolean).join('\n')}
### Where the node stays behind the raw loop, and whose cost it is

- **Major garbage collections (n8n's and V8's).** n8n's binary-data stream allocates a fresh
  buffer for every piece it reads. In n8n's heap (about 145 MB after start) V8's external-memory
  heuristics then sometimes collect the whole heap again and again for the whole upload (column
  *major GCs*): the runs with none come close to the raw loop's CPU per GiB, the runs with many
  do not. The raw loop allocates the same buffers in a heap of a few MB. The node's share is to
  drop every piece at once (it copies it into its one chunk buffer); keeping pieces as views, or
  a second chunk buffer, made such runs more frequent.
- **Per chunk (n8n's).** n8n's \`httpRequest\` builds a new \`http.Agent\` for every request, so
  every chunk opens a new connection (\`internalConnect\`, \`afterConnect\` in the profiles; on
  TikTok's real link a TLS handshake each), plus axios' request handling; the raw loop keeps one
  connection. A node cannot pass an agent through \`IHttpRequestOptions\`.
- **Per upload (the node's and n8n's; at 64 MB beside the one major collection that allocating the 64 MB piece sets off in n8n's heap, the top entry of \`after, 64 MB\`).** The node's execution time also
  holds what the raw loop leaves out: the init call through n8n's OAuth2 credential helper, the
  binary metadata and the video check's header read, with n8n's own work meanwhile (the benchmark
  polls \`/rest/executions\` every 300 ms: the \`sqlite3\` and \`typeorm\` entries).
- **Memory at 64 MB (the node's choice).** Read in one piece, a one-chunk video is one fresh
  allocation of n8n's stream, so RSS grows by about the video's size (within the target), where
  1 MiB pieces copied into a buffer could reuse memory n8n had freed before.
- **The node's own code** in the profiles is \`rechunkStream\`, the copy into the chunk buffer
  (about 0.15 s per GiB). A one-chunk video (up to 64,000,000 bytes) no longer has it: it is
  read in one piece and sent as it is (\`after, 64 MB\`; at the start of issue 22 that copy into a
  fresh 64 MB buffer was the top entry, about a quarter of the node's busy time).
`;
}

if (values.profile) {
	const label = values.profile;
	const name = sizes.at(-1);
	const video = writeSampleVideo(files, `profile-${name}.mp4`, SIZES[name]);
	try {
		const run = await measureInN8n(thisNode(undefined), video, {
			profile: true,
			traceGc: Boolean(process.env.TRACE_GC),
		});
		if (process.env.TRACE_GC) console.log(`n8n's folder (log with --trace-gc): ${run.root}`);
		const top = run.profile;
		const text = [
			`CPU profile (\`node bench/run.mjs --profile ${label}\`), ${name}, n8n ${engine.version}, chunk size ${DEFAULT_CHUNK_BYTES / MB} MB: n8n's main process while the TikTok node ran (${top.windowMs} ms, ${top.busyMs.toFixed(0)} ms of it busy); node ${run.mbPerSecond.toFixed(0)} MB/s, ${run.cpuPerGiB.toFixed(2)} CPU s/GiB in this run (profiling slows it).`,
			'',
			`Garbage collections meanwhile (perf_hooks): ${
				Object.entries(top.gcs)
					.map(([kind, { count, ms }]) => `${count} ${kind} (${ms.toFixed(0)} ms)`)
					.join(', ') || 'none'
			}.`,
			'',
			'| self time % | ms | function | file:line |',
			'| --- | --- | --- | --- |',
			...top.rows.map(
				(row) =>
					`| ${row.percent.toFixed(1)} | ${row.ms.toFixed(0)} | \`${row.fn}\` | ${row.where.replace(/^.*\/n8n-nodes-tiktok-posting\//, 'package: ')} |`,
			),
		].join('\n');
		console.log(text);
		writeFileSync(join(BENCH_DIR, `profile-${label}.md`), `${text}\n`);
		const benchmarks = join(ROOT, 'BENCHMARKS.md');
		const current = existsSync(benchmarks) ? readFileSync(benchmarks, 'utf8') : '';
		if (current.includes('\n## Profile\n')) {
			writeFileSync(
				benchmarks,
				`${current.slice(0, current.indexOf('## Profile\n'))}${profileSection()}`,
			);
		}
	} finally {
		await sandbox.close();
		rmSync(files, { recursive: true, force: true });
	}
	process.exit(0);
}

const results = [];
const chunkResults = [];
let plot;
try {
	for (const name of sizes) {
		const video = writeSampleVideo(files, `bench-${name}.mp4`, SIZES[name]);
		const rows = { node: [], raw: [], curl: [], whole: [] };
		for (let rep = 0; rep < reps; rep++) {
			process.stderr.write(`${name} run ${rep + 1}/${reps}\n`);
			rows.node.push(await measureInN8n(thisNode(undefined), video));
			rows.raw.push(await measureRaw(video));
			rows.curl.push(await measureCurl(video));
			if (values['no-whole-file']) continue;
			// A whole-file upload can fail outright (Node reads at most 2 GiB into one buffer).
			rows.whole.push(
				await measureInN8n(wholeFileNode, video).catch((error) => ({
					failed: (/"message":"([^"]+)"/.exec(error.message)?.[1] ?? error.message).slice(0, 100),
				})),
			);
		}
		if (name === '1GiB') {
			if (rows.whole[0]?.timeline)
				plot = { node: rows.node[0].timeline, whole: rows.whole[0].timeline };
			for (const chunkMb of chunkSizesMb) {
				const chunkRows = { node: [], raw: [] };
				for (let rep = 0; rep < reps; rep++) {
					process.stderr.write(`1GiB, ${chunkMb} MB chunks, run ${rep + 1}/${reps}\n`);
					chunkRows.node.push(await measureInN8n(thisNode(chunkMb), video));
					chunkRows.raw.push(await measureRaw(video, Math.round(chunkMb * MB)));
				}
				chunkResults.push({
					chunkMb,
					plan: planChunks(video.size, Math.round(chunkMb * MB)),
					rows: chunkRows,
				});
			}
		}
		rmSync(video.path);
		results.push({ name, rows });
	}
} finally {
	await sandbox.close();
	rmSync(files, { recursive: true, force: true });
}

const ok = (rows) => rows.filter((r) => !r.failed);
const ratio = (a, b) => (a / b).toFixed(2);
const memoryLines = [
	'| video | node RSS growth MB, median (range) | whole-file RSS growth MB, median (range) | memory whole-file / node |',
	'| --- | --- | --- | --- |',
];
const speedLines = [
	'| video | node MB/s | raw loop MB/s | curl MB/s | whole-file MB/s | **throughput node / raw** | node CPU s/GiB | raw loop CPU s/GiB | curl CPU s/GiB | whole-file CPU s/GiB | **CPU node / raw** | major GCs in n8n during the node, per run |',
	'| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
const verdicts = [];
for (const { name, rows } of results) {
	const growth = rows.node.map((r) => r.growthMb);
	const whole = ok(rows.whole);
	const wholeFailure = rows.whole.find((r) => r.failed)?.failed;
	memoryLines.push(
		`| ${name} | ${withRange(growth, 1)} | ${
			whole.length
				? withRange(
						whole.map((r) => r.growthMb),
						1,
					)
				: wholeFailure
					? `failed: ${wholeFailure}`
					: 'not run'
		} | ${whole.length ? `${(median(whole.map((r) => r.growthMb)) / Math.max(median(growth), 1)).toFixed(1)}×` : '–'} |`,
	);
	const pick = (list, key) => list.map((r) => r[key]);
	const nodeRate = median(pick(rows.node, 'mbPerSecond'));
	const rawRate = median(pick(rows.raw, 'mbPerSecond'));
	const nodeCpu = median(pick(rows.node, 'cpuPerGiB'));
	const rawCpu = median(pick(rows.raw, 'cpuPerGiB'));
	speedLines.push(
		`| ${name} | ${withRange(pick(rows.node, 'mbPerSecond'))} | ${withRange(pick(rows.raw, 'mbPerSecond'))} | ${withRange(pick(rows.curl, 'mbPerSecond'))} | ${withRange(pick(whole, 'mbPerSecond'))} | **${ratio(nodeRate, rawRate)}** | ${withRange(pick(rows.node, 'cpuPerGiB'), 2)} | ${withRange(pick(rows.raw, 'cpuPerGiB'), 2)} | ${withRange(pick(rows.curl, 'cpuPerGiB'), 2)} | ${withRange(pick(whole, 'cpuPerGiB'), 2)} | **${ratio(nodeCpu, rawCpu)}** | ${pick(rows.node, 'majorGcs').join(', ')} |`,
	);
	const throughputTarget = name === '64MB' ? 0.7 : 0.9;
	verdicts.push(
		`${name}: throughput node / raw ${ratio(nodeRate, rawRate)} (target ≥ ${throughputTarget}: ${nodeRate / rawRate >= throughputTarget ? 'met' : 'missed'}), CPU node / raw ${ratio(nodeCpu, rawCpu)} (target ≤ 1.5: ${nodeCpu / rawCpu <= 1.5 ? 'met' : 'missed'}), RSS growth ${median(growth).toFixed(0)} MB (target ≤ 2 × ${(planChunks(SIZES[name], DEFAULT_CHUNK_BYTES).lastChunkSize / MB).toFixed(1)} MB + 64 MB: ${median(growth) <= (2 * planChunks(SIZES[name], DEFAULT_CHUNK_BYTES).lastChunkSize) / MB + 64 ? 'met' : 'missed'})`,
	);
}
const chunkLines = [
	'| chunk size MB | chunks (final chunk MB) | node MB/s | raw loop MB/s | throughput node / raw | node CPU s/GiB | raw loop CPU s/GiB | CPU node / raw | node RSS growth MB | RSS limit 2 × final chunk + 64 MB | major GCs per run |',
	'| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const { chunkMb, plan, rows } of chunkResults) {
	const pick = (list, key) => list.map((r) => r[key]);
	chunkLines.push(
		`| ${chunkMb}${Math.round(chunkMb * MB) === DEFAULT_CHUNK_BYTES ? ' (default)' : ''} | ${plan.totalChunkCount} (${(plan.lastChunkSize / MB).toFixed(1)}) | ${withRange(pick(rows.node, 'mbPerSecond'))} | ${withRange(pick(rows.raw, 'mbPerSecond'))} | ${ratio(median(pick(rows.node, 'mbPerSecond')), median(pick(rows.raw, 'mbPerSecond')))} | ${withRange(pick(rows.node, 'cpuPerGiB'), 2)} | ${withRange(pick(rows.raw, 'cpuPerGiB'), 2)} | ${ratio(median(pick(rows.node, 'cpuPerGiB')), median(pick(rows.raw, 'cpuPerGiB')))} | ${withRange(pick(rows.node, 'growthMb'), 1)} | ${((2 * plan.lastChunkSize) / MB + 64).toFixed(0)} | ${pick(rows.node, 'majorGcs').join(', ')} |`,
	);
}
const machine = `${cpus().length} × ${cpus()[0].model}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.version}, n8n ${engine.version}, default chunk size ${DEFAULT_CHUNK_BYTES / MB} MB, ${reps} runs per size`;
const chunkTable = chunkResults.length ? `\n\n${chunkLines.join('\n')}` : '';
const summary = `${machine}\n\n${memoryLines.join('\n')}\n\n${speedLines.join('\n')}${chunkTable}\n\n${verdicts.join('\n')}`;
console.log(`\n${summary}`);
writeFileSync(join(BENCH_DIR, 'latest.md'), `${summary}\n`);
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
const profileFile = (label) => {
	const path = join(BENCH_DIR, `profile-${label}.md`);
	return existsSync(path) ? readFileSync(path, 'utf8').trim() : `(no bench/profile-${label}.md)`;
};
writeFileSync(
	join(ROOT, 'BENCHMARKS.md'),
	`# Benchmarks

Written by \`npm run bench\` (\`bench/run.mjs\`; \`--with-4gb\` adds 4 GB, \`--reps N\`,
\`--sizes\`, \`--chunk-sizes\`). Everything runs in one go on one machine, so compare the ratios,
not the absolute numbers. Each n8n measurement uses a fresh n8n ${engine.version} (filesystem
binary mode); every method uploads to the same local sandbox, which runs in a process of its own
(\`sandbox/cli.mjs\`: it checks TikTok's Content-Range and chunk rules and hashes every byte, and
that CPU is charged to no method). The video is random bytes written to the OS temp dir (so read
from the page cache) and deleted afterwards.

- **node**: Read/Write Files from Disk → TikTok Upload Draft. RSS growth = peak RSS of n8n's whole
  process tree (sampled 20×/s) minus its idle RSS just before; MB/s = video size / the TikTok
  node's execution time from n8n's execution data; CPU s/GiB = user + sys time of n8n's whole
  process tree (from \`/proc\`, sampled every 20 ms) during that execution, per GiB. This is what
  the upload costs inside n8n: the node's code and n8n's (binary-data stream, HTTP helper).
  Major GCs: full collections of n8n's heap during the node's execution, counted in n8n's main
  process (\`bench/n8n-preload.cjs\`, preloaded through \`NODE_OPTIONS=--require\`).
- **raw loop**: the limit. \`bench/raw-put.mjs\`, plain Node.js in a process of its own: the same
  chunk plan, each chunk \`fs.createReadStream({ start, end })\` piped into an \`http.request\` PUT
  on a keep-alive connection, one after another; time and user + sys CPU of its PUT loop alone
  (\`process.cpuUsage\`). No retries, no binary-data layer, no n8n: nothing the node could skip.
- **curl**: the same chunk plan PUT by \`curl -T -\`, one curl process per chunk, bytes streamed
  from the file through the benchmark process into curl's stdin (CPU: the curls plus the
  benchmark process); kept for comparison with earlier versions of this file.
- **whole-file**: \`bench/whole-file-node\`, a comparison node kept out of the package that loads
  the video with \`getBinaryDataBuffer\` and then PUTs the same chunks, as other TikTok nodes do.

Machine: ${machine}.

## Memory

${memoryLines.join('\n')}

![RSS growth over time at 1 GiB](bench/rss-1gib.png)

RSS growth over idle (MB; grid every 100 MB) against time in seconds for the 1 GiB run: blue is
this node, red the whole-file upload. The long flat start is Read/Write Files copying the video
into n8n's binary-data folder.

## Throughput and CPU against the limit

${speedLines.join('\n')}

Targets: node ≥ 0.9 × the raw loop's throughput at 1 GiB and above, ≥ 0.7 × at 64 MB; node CPU
per GiB ≤ 1.5 × the raw loop's; RSS growth ≤ 2 × the final chunk + 64 MB. In this run:

${verdicts.map((line) => `- ${line}`).join('\n')}
${
	chunkResults.length
		? `
## Chunk size (1 GiB)

The node with Options → Chunk Size set to each size, and the raw loop with the same plan, in the
same run (${reps} runs each). A plan of 1 GiB has a final chunk that carries the remainder, so the
node's one reusable buffer is the final chunk's size.

${chunkLines.join('\n')}
`
		: ''
}
${profileSection()}`,
);
