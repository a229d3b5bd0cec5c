// The cost of reading a video's facts in a pass of its own (issue 19): a 1 GiB MP4 with its moov
// at the end is read to the end (mdat counted, not kept), a faststart one stops after the moov.
// Plain node, no deps; needs the build (`npm run build`). Not part of CI.
//   node bench/video-facts-pass.mjs [--reps 3]
// The file is freshly written, so it is read from the page cache: the numbers are the parser's
// and the stream's cost, not the disk's.
import {
	closeSync,
	createReadStream,
	mkdtempSync,
	openSync,
	readFileSync,
	rmSync,
	writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { topBoxes } from '../e2e/lib/videos.mjs';

const require = createRequire(import.meta.url);
const { readVideoFacts } = require('../dist/nodes/TikTok/helpers/videoFacts.js');

const { values } = parseArgs({ options: { reps: { type: 'string', default: '3' } } });
const reps = Number(values.reps);
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const MB = 1_000_000;

const fixture = readFileSync(
	new URL('../test/fixtures/video/h264-moov-at-end.mp4', import.meta.url),
);
const { ftyp, moov } = topBoxes(fixture);

/** ftyp + a 1 GiB mdat of zeros (64-bit largesize header) + moov, or moov first. */
function writeMp4(path, { faststart }) {
	const fd = openSync(path, 'w');
	const mdatHeader = Buffer.alloc(16);
	mdatHeader.writeUInt32BE(1, 0);
	mdatHeader.write('mdat', 4, 'latin1');
	mdatHeader.writeUInt32BE(Math.floor((16 + GiB) / 2 ** 32), 8);
	mdatHeader.writeUInt32BE((16 + GiB) % 2 ** 32, 12);
	writeSync(fd, ftyp);
	if (faststart) writeSync(fd, moov);
	writeSync(fd, mdatHeader);
	const zeros = Buffer.alloc(16 * MiB);
	for (let left = GiB; left > 0; left -= zeros.length) writeSync(fd, zeros);
	if (!faststart) writeSync(fd, moov);
	closeSync(fd);
	return ftyp.length + 16 + GiB + moov.length;
}

/** One pass, with the process's RSS sampled every 10 ms. */
async function pass(path) {
	global.gc?.();
	const rssBefore = process.memoryUsage().rss;
	let rssPeak = rssBefore;
	const sampler = setInterval(() => {
		rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
	}, 10);
	const start = process.hrtime.bigint();
	const facts = await readVideoFacts(createReadStream(path, { highWaterMark: MiB }));
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	clearInterval(sampler);
	rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
	return { facts, ms, rssGrowth: rssPeak - rssBefore };
}

const dir = mkdtempSync(join(tmpdir(), 'video-facts-'));
try {
	const atEnd = join(dir, 'moov-at-end.mp4');
	const size = writeMp4(atEnd, { faststart: false });
	console.log(`moov at the end: ${size} bytes (1 GiB mdat), highWaterMark 1 MiB, ${reps} runs`);
	for (let i = 1; i <= reps; i++) {
		const { facts, ms, rssGrowth } = await pass(atEnd);
		console.log(
			`  run ${i}: ${(ms / 1000).toFixed(2)} s, ${(facts.bytesRead / MB / (ms / 1000)).toFixed(0)} MB/s, ` +
				`bytesRead ${facts.bytesRead}, RSS growth ${(rssGrowth / MB).toFixed(1)} MB, ` +
				`facts ${JSON.stringify({ ...facts, bytesRead: undefined })}`,
		);
	}
	rmSync(atEnd);

	const faststart = join(dir, 'faststart.mp4');
	writeMp4(faststart, { faststart: true });
	console.log(`faststart: ${size} bytes, moov first`);
	for (let i = 1; i <= reps; i++) {
		const { facts, ms, rssGrowth } = await pass(faststart);
		console.log(
			`  run ${i}: ${ms.toFixed(1)} ms, bytesRead ${facts.bytesRead}, ` +
				`RSS growth ${(rssGrowth / MB).toFixed(1)} MB, facts ${JSON.stringify({ ...facts, bytesRead: undefined })}`,
		);
	}
} finally {
	rmSync(dir, { recursive: true, force: true });
}
