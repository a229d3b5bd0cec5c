// The streaming video-header parser (issue 19) over real ffmpeg files (test/fixtures/video, see its
// README) fed whole and in pieces of every size, synthetic headers for what ffmpeg does not write,
// and a 50 MB mdat that must be counted through, not kept.
import { readFileSync, createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { topBoxes } from '../../e2e/lib/videos.mjs';

const require = createRequire(import.meta.url);
const {
	VideoFactsReader,
	readVideoFacts,
} = require('../../dist/nodes/TikTok/helpers/videoFacts.js');

const fixture = (name) => readFileSync(new URL(`../fixtures/video/${name}`, import.meta.url));
const fixturePath = (name) => new URL(`../fixtures/video/${name}`, import.meta.url);

// [file, container, durationSec, width, height, frameRate, codec, problem]
const FIXTURES = [
	['h264-faststart.mp4', 'mp4', 2, 640, 360, 30, 'h264', undefined],
	['h264-moov-at-end.mp4', 'mp4', 2, 640, 360, 30, 'h264', undefined],
	['h264.mov', 'mov', 2, 640, 360, 30, 'h264', undefined],
	[
		'h264-fragmented.mp4',
		'mp4',
		undefined,
		640,
		360,
		undefined,
		'h264',
		/does not state the duration/,
	],
	['h264.mkv', 'webm', 2, 640, 360, 30, 'h264', undefined],
	['h264-rotated-90.mp4', 'mp4', 2, 360, 640, 30, 'h264', undefined],
	['h264-audio-first-29.97fps.mp4', 'mp4', 2.002, 640, 360, 29.97, 'h264', undefined],
	['h264-15fps.mp4', 'mp4', 2, 640, 360, 15, 'h264', undefined],
	['h264-320x240.mp4', 'mp4', 2, 320, 240, 30, 'h264', undefined],
	['h265.mp4', 'mp4', 2, 640, 360, 24, 'h265', undefined],
	['av1.mp4', 'mp4', 1, 640, 360, 30, 'av1', undefined],
	['vp9.webm', 'webm', 2, 640, 360, 30, 'vp9', undefined],
	['vp9-live.webm', 'webm', undefined, 640, 360, 30, 'vp9', /no Duration/],
	['vp8.webm', 'webm', 2, 640, 360, 25, 'vp8', undefined],
	[
		'truncated-1k.mp4',
		'mp4',
		undefined,
		undefined,
		undefined,
		undefined,
		undefined,
		/ended inside its header \(moov box, 984 of 1410 bytes\)/,
	],
	[
		'random.bin',
		'unknown',
		undefined,
		undefined,
		undefined,
		undefined,
		undefined,
		/not an MP4, MOV or WebM/,
	],
];

function expectFacts(facts, [, container, durationSec, width, height, frameRate, codec, problem]) {
	expect(facts.container).toBe(container);
	if (durationSec === undefined) expect(facts.durationSec).toBeUndefined();
	else expect(Math.abs(facts.durationSec - durationSec)).toBeLessThanOrEqual(0.05);
	expect(facts.width).toBe(width);
	expect(facts.height).toBe(height);
	if (frameRate === undefined) expect(facts.frameRate).toBeUndefined();
	else expect(Math.abs(facts.frameRate - frameRate)).toBeLessThanOrEqual(0.01);
	expect(facts.codec).toBe(codec);
	if (problem === undefined) expect(facts.problem).toBeUndefined();
	else expect(facts.problem).toMatch(problem);
}

/** Feeds `data` in pieces of the given sizes (cycled), stopping when done, like a caller would. */
function feed(data, sizes, options) {
	const reader = new VideoFactsReader(options);
	let offset = 0;
	for (let i = 0; offset < data.length && !reader.done; i++) {
		const size = sizes[i % sizes.length];
		reader.push(data.subarray(offset, offset + size));
		offset += size;
	}
	return { reader, facts: reader.result() };
}

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const SPLITS = [
	['whole', [Infinity]],
	['1-byte pieces', [1]],
	['7-byte pieces', [7]],
	['4096-byte pieces', [4096]],
	['65536-byte pieces', [65536]],
	['mixed 1/3/1000/2/65537', [1, 3, 1000, 2, 65537]],
];

describe('fixtures', () => {
	describe.each(FIXTURES)('%s', (...row) => {
		const data = fixture(row[0]);

		test.each(SPLITS)('%s', (_name, sizes) => {
			const { reader, facts } = feed(data, sizes);
			expectFacts(facts, row);
			// What it keeps is header: these headers are all under 4 KB.
			expect(reader.peakKeptBytes).toBeLessThanOrEqual(4096);
		});

		test('random piece sizes give the same facts', () => {
			const next = random(row[0].length);
			const sizes = Array.from({ length: 50 }, () => 1 + Math.floor(next() * 3000));
			expect(feed(data, sizes).facts).toEqual(feed(data, [Infinity]).facts);
		});

		test('readVideoFacts over a Node.js stream', async () => {
			const facts = await readVideoFacts(
				createReadStream(fixturePath(row[0]), { highWaterMark: 1024 }),
			);
			expectFacts(facts, row);
			expect(facts.bytesRead).toBeLessThanOrEqual(data.length);
		});
	});
});

describe('stops early', () => {
	test.each([
		// [file, most bytes a 512-byte-piece reader pulls, problem]
		['h264-faststart.mp4', 1536, undefined],
		['h265.mp4', 4096, undefined],
		['vp9.webm', 512, undefined],
		['vp9-live.webm', 512, /no Duration/],
		['h264.mkv', 512, undefined],
	])('%s: done right after the header, the source is left', async (name, most, problem) => {
		const data = fixture(name);
		let pulled = 0;
		let closed = false;
		function* pieces() {
			try {
				for (let offset = 0; offset < data.length; offset += 512) {
					pulled++;
					yield data.subarray(offset, offset + 512);
				}
			} finally {
				closed = true;
			}
		}
		const facts = await readVideoFacts(pieces());
		expect(facts.bytesRead).toBeLessThanOrEqual(most);
		expect(facts.bytesRead).toBeLessThan(data.length / 3);
		expect(pulled * 512).toBe(facts.bytesRead);
		expect(closed).toBe(true);
		if (problem) expect(facts.problem).toMatch(problem);
		else expect(facts.problem).toBeUndefined();
	});

	test('a Node.js stream is destroyed once the facts are read', async () => {
		const stream = createReadStream(fixturePath('h264-faststart.mp4'), { highWaterMark: 512 });
		const facts = await readVideoFacts(stream);
		expect(facts.bytesRead).toBe(1536);
		expect(stream.destroyed).toBe(true);
	});

	test('pushes after done are ignored', () => {
		const data = fixture('h264-faststart.mp4');
		const reader = new VideoFactsReader();
		reader.push(data.subarray(0, 2000));
		expect(reader.done).toBe(true);
		const before = reader.result();
		reader.push(Buffer.alloc(1000, 0xff));
		expect(reader.result()).toEqual(before);
		expect(reader.bytesConsumed).toBe(1450);
	});

	test('moov at the end: done only at its end', () => {
		const data = fixture('h264-moov-at-end.mp4');
		const reader = new VideoFactsReader();
		reader.push(data.subarray(0, data.length - 1));
		expect(reader.done).toBe(false);
		expect(reader.result().problem).toMatch(/ended inside its header/);
		reader.push(data.subarray(data.length - 1));
		expect(reader.done).toBe(true);
		expect(reader.result().problem).toBeUndefined();
	});
});

// ---- MP4 built by hand ----------------------------------------------------------------------------

const u32 = (n) => {
	const b = Buffer.alloc(4);
	b.writeUInt32BE(n);
	return b;
};
const u64 = (n) => Buffer.concat([u32(Math.floor(n / 2 ** 32)), u32(n % 2 ** 32)]);
const box = (type, ...body) => {
	const content = Buffer.concat(body);
	return Buffer.concat([u32(8 + content.length), Buffer.from(type, 'latin1'), content]);
};
const full = (version, flags = 0) => u32(version * 2 ** 24 + flags);

/** A version-1 moov (64-bit times): 754.2 s, 1920×1080, 60 fps, hev1. */
function moovVersion1({ rotate = false } = {}) {
	const identity = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];
	const rotated = [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000];
	const matrix = Buffer.concat(
		(rotate ? rotated : identity).map((n) => {
			const b = Buffer.alloc(4);
			b.writeInt32BE(n);
			return b;
		}),
	);
	const mvhd = box('mvhd', full(1), u64(0), u64(0), u32(1000), u64(754_200), Buffer.alloc(80));
	const tkhd = box(
		'tkhd',
		full(1, 3),
		u64(0),
		u64(0),
		u32(7), // track_ID
		u32(0),
		u64(754_200),
		Buffer.alloc(8),
		Buffer.alloc(8), // layer, group, volume, reserved
		matrix,
		u32(1920 * 65536),
		u32(1080 * 65536),
	);
	const mdhd = box('mdhd', full(1), u64(0), u64(0), u32(90_000), u64(754.2 * 90_000), u32(0));
	const hdlr = box(
		'hdlr',
		full(0),
		u32(0),
		Buffer.from('vide'),
		Buffer.alloc(12),
		Buffer.from('V\0'),
	);
	const entry = box('hev1', Buffer.alloc(78));
	const stsd = box('stsd', full(0), u32(1), entry);
	const stts = box('stts', full(0), u32(2), u32(45_000), u32(1500), u32(252), u32(1500));
	const stbl = box('stbl', stsd, stts);
	const soundTrak = box(
		'trak',
		box('mdia', box('hdlr', full(0), u32(0), Buffer.from('soun'), Buffer.alloc(12))),
	);
	const trak = box('trak', tkhd, box('mdia', mdhd, hdlr, box('minf', stbl)));
	return box('moov', mvhd, soundTrak, trak);
}

const FTYP_MP4 = box('ftyp', Buffer.from('isom'), u32(512), Buffer.from('isomavc1'));

describe('MP4 built by hand', () => {
	test.each([
		['version-1 boxes, sound track first', [FTYP_MP4, moovVersion1()], 1920, 1080],
		['rotated 90° by the tkhd matrix', [FTYP_MP4, moovVersion1({ rotate: true })], 1080, 1920],
		[
			'moov after a 64-bit largesize mdat',
			[FTYP_MP4, u32(1), Buffer.from('mdat'), u64(16 + 3), Buffer.from('abc'), moovVersion1()],
			1920,
			1080,
		],
		['no ftyp: old QuickTime', [box('wide'), moovVersion1()], 1920, 1080],
	])('%s', (_name, parts, width, height) => {
		const data = Buffer.concat(parts);
		for (const sizes of [[Infinity], [1], [5]]) {
			const { facts } = feed(data, sizes);
			expect(facts).toEqual({
				container: parts[0] === FTYP_MP4 ? 'mp4' : 'mov',
				durationSec: 754.2,
				width,
				height,
				frameRate: 60,
				codec: 'h265',
			});
		}
	});

	test.each([
		[
			'a box smaller than its header',
			Buffer.concat([FTYP_MP4, u32(3), Buffer.from('free')]),
			/damaged at byte 24: box "free" claims 3 bytes/,
		],
		[
			'a largesize smaller than its header',
			Buffer.concat([FTYP_MP4, u32(1), Buffer.from('mdat'), u64(9)]),
			/damaged at byte 24/,
		],
		[
			'garbage after ftyp',
			Buffer.concat([FTYP_MP4, Buffer.from([0, 0, 0, 16, 1, 2, 3, 4])]),
			/damaged at byte 24: "\?\?\?\?" is not a box type/,
		],
		[
			'mdat running to the end of the file',
			Buffer.concat([FTYP_MP4, u32(0), Buffer.from('mdat'), Buffer.alloc(100)]),
			/mdat box runs to the end of the file/,
		],
		[
			'cut inside mdat',
			Buffer.concat([FTYP_MP4, u32(1000), Buffer.from('mdat'), Buffer.alloc(100)]),
			/ended 892 bytes before the end of a box/,
		],
		[
			'cut after mdat',
			Buffer.concat([FTYP_MP4, box('mdat', Buffer.alloc(10))]),
			/No header \(moov box\) was found in the file's 42 bytes/,
		],
		['empty', Buffer.alloc(0), /The file is empty/],
		['3 bytes', Buffer.from('abc'), /too short \(3 bytes\)/],
		['text', Buffer.from('<html><body>Not found</body></html>'), /not an MP4, MOV or WebM/],
	])('%s', (_name, data, problem) => {
		for (const sizes of [[Infinity], [1], [7]]) {
			const { facts } = feed(data, sizes);
			expect(facts.problem).toMatch(problem);
			expect(facts.durationSec).toBeUndefined();
		}
	});

	test('a moov of size 0 runs to the end of the file', () => {
		const moov = moovVersion1();
		const data = Buffer.concat([FTYP_MP4, u32(0), moov.subarray(4)]);
		const reader = new VideoFactsReader();
		for (let offset = 0; offset < data.length; offset += 100)
			reader.push(data.subarray(offset, offset + 100));
		expect(reader.done).toBe(false); // it cannot know the end: the caller's stream says so
		const facts = reader.result(); // the end of the stream: parses what arrived
		expect(reader.done).toBe(true);
		expect(facts).toMatchObject({ durationSec: 754.2, codec: 'h265' });
		expect(facts.problem).toBeUndefined();
	});

	test('a moov larger than maxHeaderBytes is not kept', () => {
		const data = fixture('h264-faststart.mp4');
		const { reader, facts } = feed(data, [100], { maxHeaderBytes: 1000 });
		expect(reader.done).toBe(true);
		expect(reader.bytesConsumed).toBe(40);
		expect(reader.peakKeptBytes).toBe(24); // ftyp only
		expect(facts.problem).toMatch(
			/moov box\) is 1410 bytes, larger than the 1000 bytes this reader keeps/,
		);
	});

	test('pieces the caller reuses after push() do not change what was kept', () => {
		const data = fixture('h264-faststart.mp4');
		const reader = new VideoFactsReader();
		const scratch = Buffer.alloc(100);
		for (let offset = 0; offset < data.length && !reader.done; offset += 100) {
			const n = data.copy(scratch, 0, offset, offset + 100);
			reader.push(scratch.subarray(0, n));
			scratch.fill(0xee);
		}
		expectFacts(reader.result(), FIXTURES[0]);
	});

	test('plain Uint8Array pieces work too', () => {
		const data = new Uint8Array(fixture('vp9.webm'));
		const reader = new VideoFactsReader();
		for (let offset = 0; offset < data.length && !reader.done; offset += 33) {
			reader.push(data.subarray(offset, offset + 33));
		}
		expectFacts(
			reader.result(),
			FIXTURES.find((row) => row[0] === 'vp9.webm'),
		);
	});
});

// ---- a 50 MB mdat ----------------------------------------------------------------------------------

describe('a 50 MB mdat before the moov is counted, not kept', () => {
	const MDAT = 50 * 1024 * 1024;
	const real = topBoxes(fixture('h264-moov-at-end.mp4'));

	function* bigFile(pieceSize, { largesize = false } = {}) {
		yield real.ftyp;
		yield largesize
			? Buffer.concat([u32(1), Buffer.from('mdat'), u64(16 + MDAT)])
			: Buffer.concat([u32(8 + MDAT), Buffer.from('mdat')]);
		// One zero buffer, sent again and again: any copy the reader kept would show as growth.
		const zeros = Buffer.alloc(Math.min(pieceSize, MDAT));
		for (let left = MDAT; left > 0; left -= pieceSize)
			yield zeros.subarray(0, Math.min(pieceSize, left));
		yield real.moov;
	}

	test.each([
		['1 MiB pieces', 1024 * 1024, false],
		['65537-byte pieces, largesize mdat', 65537, true],
		['64 MB pieces', 64 * 1024 * 1024, false],
	])('%s', async (_name, pieceSize, largesize) => {
		const before = process.memoryUsage().arrayBuffers;
		let peakGrowth = 0;
		async function* measured() {
			for (const piece of bigFile(pieceSize, { largesize })) {
				yield piece;
				peakGrowth = Math.max(peakGrowth, process.memoryUsage().arrayBuffers - before);
			}
		}
		const facts = await readVideoFacts(measured());
		expectFacts(facts, FIXTURES[1]);
		expect(facts.bytesRead).toBe(real.ftyp.length + (largesize ? 16 : 8) + MDAT + real.moov.length);
		// The zero piece itself is the only big buffer; 50 MB kept would show far above this.
		expect(peakGrowth).toBeLessThan(Math.min(pieceSize, MDAT) + 8 * 1024 * 1024);

		const reader = new VideoFactsReader();
		for (const piece of bigFile(pieceSize, { largesize })) reader.push(piece);
		expect(reader.done).toBe(true);
		expect(reader.peakKeptBytes).toBe(real.moov.length - 8);
	});
});

// ---- WebM built by hand ---------------------------------------------------------------------------

/** An EBML element with an 8-byte size (or unknown size when `size` is 'unknown'). */
const el = (idHex, ...body) => {
	const content = Buffer.concat(body.map((b) => (typeof b === 'string' ? Buffer.from(b) : b)));
	const size = Buffer.alloc(8);
	size[0] = 0x01;
	size.writeUIntBE(content.length, 2, 6);
	return Buffer.concat([Buffer.from(idHex, 'hex'), size, content]);
};
const unknownSize = (idHex) =>
	Buffer.concat([Buffer.from(idHex, 'hex'), Buffer.from('01ffffffffffffff', 'hex')]);
const uint = (n, bytes = 4) => {
	const b = Buffer.alloc(bytes);
	b.writeUIntBE(n, 0, bytes);
	return b;
};
const float32 = (n) => {
	const b = Buffer.alloc(4);
	b.writeFloatBE(n);
	return b;
};

const header = (docType = 'webm') => el('1a45dfa3', el('4286', uint(1, 1)), el('4282', docType));
// Info: TimecodeScale 1 ms... as µs here (1000 ns), Duration as a 4-byte float.
const info = el(
	'1549a966',
	el('2ad7b1', uint(1000)),
	el('4489', float32(12_345_000)),
	el('4d80', 'test'),
);
const tracks = el(
	'1654ae6b',
	el('ae', el('d7', uint(1, 1)), el('83', uint(2, 1)), el('86', 'A_OPUS')),
	el(
		'ae',
		el('d7', uint(2, 1)),
		el('83', uint(1, 1)),
		el('86', 'V_MPEGH/ISO/HEVC'),
		el('23e383', uint(16_683_333)),
		el(
			'e0',
			el('b0', uint(1080, 2)),
			el('ba', uint(1920, 2)),
			el('54b0', uint(9, 1)),
			el('54ba', uint(16, 1)),
		),
	),
);
const cluster = el('1f43b675', el('e7', uint(0, 1)), el('a3', Buffer.alloc(50)));
const seekHead = el('114d9b74', el('4dbb', el('53ab', uint(0x1549a966)), el('53ac', uint(0))));
const voidEl = el('ec', Buffer.alloc(30));

describe('WebM built by hand', () => {
	test.each([
		['known-size Segment', [header(), el('18538067', seekHead, voidEl, info, tracks, cluster)]],
		[
			'unknown-size Segment, Tracks before Info',
			[header(), unknownSize('18538067'), tracks, voidEl, info, cluster],
		],
		[
			'Matroska DocType, Void before the Segment',
			[header('matroska'), voidEl, unknownSize('18538067'), info, tracks],
		],
	])('%s', (_name, parts) => {
		const data = Buffer.concat(parts);
		for (const sizes of [[Infinity], [1], [3]]) {
			const { reader, facts } = feed(data, sizes);
			expect(reader.done).toBe(true);
			expect(facts).toEqual({
				container: 'webm',
				durationSec: 12.345,
				width: 1080,
				height: 1920,
				frameRate: 59.94,
				codec: 'h265',
			});
		}
	});

	test.each([
		[
			'Cluster before Tracks',
			[header(), unknownSize('18538067'), info, unknownSize('1f43b675'), tracks],
			/no Tracks element before its first Cluster/,
		],
		[
			'Segment ends before Info',
			[header(), el('18538067', tracks), info],
			/no Info element before the end of its Segment/,
		],
		[
			'cut inside Tracks',
			[header(), unknownSize('18538067'), info, tracks.subarray(0, 40)],
			/ended after .* \(inside its Tracks element\) before its Tracks was read/,
		],
		['not a WebM DocType', [header('foo')], /EBML document of type "foo"/],
		[
			'unknown-size element inside the Segment',
			[header(), unknownSize('18538067'), unknownSize('1549a966')],
			/damaged at byte/,
		],
		[
			'invalid element ID',
			[header(), unknownSize('18538067'), Buffer.from([0x00, 0x81, 0x00])],
			/damaged at byte 49 before its Info and Tracks were read/,
		],
		[
			'only the EBML magic',
			[Buffer.from('1a45dfa3', 'hex')],
			/ended after 4 bytes before its Info and Tracks were read/,
		],
	])('%s', (_name, parts, problem) => {
		const data = Buffer.concat(parts);
		for (const sizes of [[Infinity], [1], [3]]) {
			expect(feed(data, sizes).facts.problem).toMatch(problem);
		}
	});

	test('Cluster before Tracks keeps the Info facts', () => {
		const data = Buffer.concat([header(), unknownSize('18538067'), info, cluster, tracks]);
		const { reader, facts } = feed(data, [1]);
		expect(reader.done).toBe(true);
		expect(facts).toMatchObject({ container: 'webm', durationSec: 12.345 });
		expect(facts.codec).toBeUndefined();
	});
});

// ---- damaged files never throw, and pieces never change the answer ---------------------------------

describe('damaged copies of every fixture', () => {
	test.each(FIXTURES.map((row) => [row[0]]))('%s', (name) => {
		const original = fixture(name);
		const next = random(12345 + name.length);
		const containers = new Set(['mp4', 'mov', 'webm', 'unknown']);
		for (let round = 0; round < 60; round++) {
			const data = Buffer.from(original.subarray(0, 1 + Math.floor(next() * original.length)));
			const flips = Math.floor(next() * 4);
			for (let i = 0; i < flips; i++) {
				const at = Math.floor(next() * Math.min(data.length, 4000));
				data[at] = Math.floor(next() * 256);
			}
			const whole = feed(data, [Infinity]).facts;
			expect(containers.has(whole.container)).toBe(true);
			expect(feed(data, [1]).facts).toEqual(whole);
			expect(feed(data, [1 + Math.floor(next() * 500)]).facts).toEqual(whole);
		}
	});
});
