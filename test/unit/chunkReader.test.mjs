import { createHash } from 'node:crypto';
import { chunkPlan, chunkReader } from '../helpers/dist.mjs';

const { planChunks } = chunkPlan;
const { rechunkStream, sliceBuffer } = chunkReader;

function bytes(size) {
	const data = Buffer.allocUnsafe(size);
	for (let i = 0; i < size; i++) data[i] = (i * 7 + (i >> 11)) & 0xff;
	return data;
}

async function* pieces(data, sizes) {
	let offset = 0;
	let i = 0;
	while (offset < data.length) {
		const size = sizes[i++ % sizes.length];
		yield data.subarray(offset, offset + size);
		offset += size;
	}
}

async function collect(iterable) {
	const out = [];
	// The re-chunker reuses one buffer, so copy each chunk before asking for the next.
	for await (const chunk of iterable) out.push(Buffer.from(chunk));
	return out;
}

const sha = (b) => createHash('sha256').update(b).digest('hex');

describe('rechunkStream', () => {
	const data = bytes(70_000_123);
	const plan = planChunks(data.length, 10_000_000);

	test.each([
		['irregular small pieces', [1, 16_384, 7, 65_536, 999_999, 3]],
		['pieces larger than a chunk', [25_000_000]],
		['pieces equal to the chunk size', [10_000_000]],
	])('cuts %s into the exact plan', async (_name, sizes) => {
		const chunks = await collect(rechunkStream(pieces(data, sizes), plan));
		expect(chunks.map((c) => c.length)).toEqual([...Array(6).fill(10_000_000), 10_000_123]);
		expect(sha(Buffer.concat(chunks))).toBe(sha(data));
	});

	test('a one-chunk video read in one piece is sent as a view into that piece, no copy', async () => {
		const small = bytes(3_000_001);
		const chunks = [];
		for await (const chunk of rechunkStream(
			pieces(small, [small.length]),
			planChunks(small.length),
		))
			chunks.push(chunk);
		expect(chunks).toHaveLength(1);
		expect(chunks[0].buffer).toBe(small.buffer);
		expect(chunks[0].equals(small)).toBe(true);
	});

	test('fails when the stream is shorter than the recorded size', async () => {
		await expect(
			collect(rechunkStream(pieces(data.subarray(0, 1000), [100]), plan)),
		).rejects.toThrow(/ended after 1000 of its recorded 70000123 bytes/);
	});

	test('fails when the stream is longer than the recorded size', async () => {
		const longer = Buffer.concat([data, Buffer.alloc(10)]);
		await expect(collect(rechunkStream(pieces(longer, [4_000_000]), plan))).rejects.toThrow(
			/longer/,
		);
	});
});

describe('sliceBuffer', () => {
	test('returns views into the decoded buffer, no copies', () => {
		const data = bytes(64_000_001);
		const plan = planChunks(data.length, 10_000_000);
		const chunks = [...sliceBuffer(data, plan)];
		expect(chunks.map((c) => c.length)).toEqual([...Array(5).fill(10_000_000), 14_000_001]);
		expect(chunks.every((c) => c.buffer === data.buffer)).toBe(true);
	});
});
