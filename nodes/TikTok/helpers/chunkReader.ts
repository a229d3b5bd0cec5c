import type { ChunkPlan } from './chunkPlan';
import { chunkRange } from './chunkPlan';

/**
 * Re-cuts a byte stream into exactly the chunks of `plan`. Stream pieces can have any size
 * (filesystem, S3 and database binary modes all differ), so sizes are never taken from them.
 *
 * One buffer of the final chunk's size is reused for every chunk: a yielded chunk is only valid
 * until the consumer asks for the next one, which the sequential upload loop guarantees. Peak
 * memory is that buffer plus one stream piece. A chunk that lies inside one piece is yielded as
 * a view into it instead, and then no buffer is needed: videoSource.ts reads a one-chunk video
 * (up to 64,000,000 bytes) in one piece, which spares a 64 MB buffer and its copy (about a fifth
 * of the node's time for a 64 MB video).
 *
 * The copy into that buffer is deliberate (BENCHMARKS.md, Profile): every stream piece is a fresh
 * buffer that n8n's binary-data stream allocated, and one dropped at once dies young. Sending views
 * into chunk-sized pieces instead kept 10-20 MB of pieces alive across collections, and V8 then
 * ran back-to-back major collections of n8n's whole heap (external memory pressure) through the
 * whole upload: 13-15 per GiB in every profiled run and 5.4-5.5 CPU s/GiB, against 0-8 and
 * 1.8-4.1 with this copy, which itself costs about 0.15 s per GiB. A second buffer, to read the
 * next chunk while one is sent, was measured too (issue 22) and left out: no clear gain in
 * throughput on this machine, and more major collections in the runs with it.
 */
export async function* rechunkStream(
	source: AsyncIterable<Uint8Array>,
	plan: ChunkPlan,
): AsyncGenerator<Buffer> {
	let buffer: Buffer | undefined; // allocated when the first piece has to be copied
	let index = 0;
	let target = chunkRange(plan, 0).length;
	let filled = 0;
	let received = 0;

	for await (const piece of source) {
		received += piece.length;
		if (received > plan.videoSize) {
			throw new Error(
				`The binary data is longer than its recorded size of ${plan.videoSize} bytes`,
			);
		}
		let offset = 0;
		while (offset < piece.length) {
			const take = Math.min(target - filled, piece.length - offset);
			if (filled === 0 && take === target) {
				// The whole chunk inside one piece (a one-chunk video read in one piece): a view.
				const view = Buffer.from(piece.buffer, piece.byteOffset + offset, take);
				offset += take;
				yield view;
				index++;
				if (index < plan.totalChunkCount) target = chunkRange(plan, index).length;
				continue;
			}
			buffer ??= Buffer.allocUnsafe(plan.lastChunkSize);
			buffer.set(piece.subarray(offset, offset + take), filled);
			filled += take;
			offset += take;
			if (filled === target) {
				yield buffer.subarray(0, target);
				index++;
				filled = 0;
				if (index < plan.totalChunkCount) target = chunkRange(plan, index).length;
			}
		}
	}

	if (index !== plan.totalChunkCount) {
		throw new Error(
			`The binary data ended after ${received} of its recorded ${plan.videoSize} bytes`,
		);
	}
}

/** In-memory binary: the chunks are views into the decoded buffer, no copies. */
export function* sliceBuffer(data: Buffer, plan: ChunkPlan): Generator<Buffer> {
	for (let index = 0; index < plan.totalChunkCount; index++) {
		const { start, end } = chunkRange(plan, index);
		yield data.subarray(start, end + 1);
	}
}
