import { chunkPlan } from '../helpers/dist.mjs';

const { planChunks, chunkRange, MAX_VIDEO_BYTES } = chunkPlan;
const ranges = (plan) =>
	Array.from({ length: plan.totalChunkCount }, (_, i) => chunkRange(plan, i)).map(
		(r) => `${r.start}-${r.end}`,
	);

describe('planChunks', () => {
	test.each([
		// [video size, preferred chunk, chunk_size, total_chunk_count, last chunk]
		['doc example', 50_000_123, 10_000_000, 50_000_123, 1, 50_000_123],
		['1 byte', 1, 10_000_000, 1, 1, 1],
		['doc single chunk 4,194,304', 4_194_304, 10_000_000, 4_194_304, 1, 4_194_304],
		['exactly 64,000,000', 64_000_000, 10_000_000, 64_000_000, 1, 64_000_000],
		['64,000,001 must be multi-chunk', 64_000_001, 10_000_000, 10_000_000, 6, 14_000_001],
		['64,000,001 with 64 MB preferred halves', 64_000_001, 64_000_000, 32_000_000, 2, 32_000_001],
		['150 MB', 150_000_000, 10_000_000, 10_000_000, 15, 10_000_000],
		['1 GiB', 1_073_741_824, 10_000_000, 10_000_000, 107, 13_741_824],
		['4 GiB', MAX_VIDEO_BYTES, 10_000_000, 10_000_000, 429, 14_967_296],
		['4 GiB, 64 MB chunks', MAX_VIDEO_BYTES, 64_000_000, 64_000_000, 67, 70_967_296],
	])('%s', (_name, size, preferred, chunkSize, count, last) => {
		const plan = planChunks(size, preferred);
		expect(plan).toEqual({
			videoSize: size,
			chunkSize,
			totalChunkCount: count,
			lastChunkSize: last,
		});
		// TikTok's rules (docs/tiktok-api.md#chunk-rules): floor count, last chunk carries the remainder.
		expect(count).toBe(Math.floor(size / chunkSize));
		expect(last).toBeGreaterThanOrEqual(chunkSize);
		expect(last).toBeLessThanOrEqual(128_000_000);
		expect(count).toBeLessThanOrEqual(1000);
		const r = ranges(plan);
		expect(r[0].startsWith('0-')).toBe(true);
		expect(r.at(-1).endsWith(`-${size - 1}`)).toBe(true);
	});

	test('the doc example with its own 10,000,000 chunks gives the documented ranges', () => {
		// Sizes above 64,000,000 only; the doc's 50,000,123 example uses the same arithmetic.
		const plan = {
			videoSize: 50_000_123,
			chunkSize: 10_000_000,
			totalChunkCount: 5,
			lastChunkSize: 10_000_123,
		};
		expect(ranges(plan)).toEqual([
			'0-9999999',
			'10000000-19999999',
			'20000000-29999999',
			'30000000-39999999',
			'40000000-50000122',
		]);
	});

	test.each([
		['0 bytes', 0, /empty/],
		['over 4 GB', MAX_VIDEO_BYTES + 1, /at most 4 GB/],
		['negative', -5, /empty/],
		['not an integer', 1.5, /empty/],
	])('rejects %s', (_name, size, message) => {
		expect(() => planChunks(size)).toThrow(message);
	});

	test.each([5_000_000, 64_000_001])('rejects a chunk size of %d', (chunk) => {
		expect(() => planChunks(100_000_000, chunk)).toThrow(/chunk size/);
	});
});
