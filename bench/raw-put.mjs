// The limit for bench/run.mjs, run in a process of its own so its CPU is measured alone: plain
// Node.js, the node's chunk plan, each chunk streamed with fs.createReadStream({ start, end })
// piped into an http.request PUT on a keep-alive connection, one chunk after another (TikTok
// forbids parallel chunks). No retries, no checks beyond the status: nothing a node could skip.
//   node bench/raw-put.mjs <video path> <upload URL> <chunk size in bytes>
// Prints one JSON line: { seconds, cpuSeconds, maxRssMb } for the PUT loop only (not startup).
import { createReadStream, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';

const [path, uploadUrl, preferred] = process.argv.slice(2);
const { planChunks, chunkRange } = createRequire(import.meta.url)(
	'../dist/nodes/TikTok/helpers/chunkPlan.js',
);
const size = statSync(path).size;
const plan = planChunks(size, Number(preferred));
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function put(range) {
	return new Promise((resolve, reject) => {
		const req = request(uploadUrl, {
			method: 'PUT',
			agent,
			headers: {
				'Content-Type': 'video/mp4',
				'Content-Length': range.length,
				'Content-Range': `bytes ${range.start}-${range.end}/${size}`,
			},
		});
		req.once('error', reject);
		req.once('response', (res) => {
			res.resume();
			res.once('end', () => resolve(res.statusCode));
		});
		createReadStream(path, { start: range.start, end: range.end }).once('error', reject).pipe(req);
	});
}

const cpu = process.cpuUsage();
const started = performance.now();
for (let index = 0; index < plan.totalChunkCount; index++) {
	const status = await put(chunkRange(plan, index));
	if (status !== 206 && status !== 201) throw new Error(`raw chunk ${index + 1}: HTTP ${status}`);
}
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
agent.destroy();
console.log(
	JSON.stringify({
		seconds,
		cpuSeconds: (used.user + used.system) / 1e6,
		maxRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
	}),
);
