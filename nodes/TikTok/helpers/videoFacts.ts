/**
 * Facts about a video (container, duration, picture size, frame rate, codec) read from its header
 * while the file streams past: a pure parser, no decoding, no dependencies.
 *
 * MP4 / MOV (ISO BMFF, QuickTime): top-level boxes are walked by their sizes. Only `ftyp` (small)
 * and `moov` (bounded by `maxHeaderBytes`) are kept; every other box, `mdat` above all, is skipped
 * by counting bytes, so a `moov` after a 4 GB `mdat` costs time, not memory.
 *
 * WebM / Matroska (EBML): the Segment is entered; its Info and Tracks elements are kept (bounded)
 * and everything else is skipped. Reading stops once Info and Tracks were read, or at the first
 * Cluster (media data): facts missing by then are left undefined with a `problem`.
 *
 * The reader never throws on bad input: unknown or damaged data ends in `container: 'unknown'` or
 * partial facts, with `problem` saying why in words for the user.
 */

export interface VideoFacts {
	/** A Matroska file (DocType `matroska`) is reported as 'webm': same format, same parser. */
	container: 'mp4' | 'mov' | 'webm' | 'unknown';
	/** Seconds, e.g. 12.345. */
	durationSec?: number;
	/** Display size of the first video track in px (MP4/MOV: after a 90°/270° rotation matrix). */
	width?: number;
	height?: number;
	/** Frames per second of the first video track. */
	frameRate?: number;
	/** 'h264' | 'h265' | 'vp8' | 'vp9' | 'av1', otherwise the raw fourcc / CodecID. */
	codec?: string;
	/** Why facts are missing, in words for the user. */
	problem?: string;
}

export interface VideoFactsReaderOptions {
	/** Most bytes of header boxes / elements kept at once (default 32 MiB). */
	maxHeaderBytes?: number;
}

const DEFAULT_MAX_HEADER_BYTES = 32 * 1024 * 1024;
/** `ftyp` lists brands only; a bigger one is skipped after its first bytes. */
const FTYP_KEEP_BYTES = 1024;

type Format = 'detect' | 'mp4' | 'ebml' | 'unknown';

/** A header of a box / element: id, body size (undefined = unknown / to end of file). */
interface Head {
	id: string;
	size: number | undefined;
	headerLength: number;
}

interface Keep {
	id: string;
	/** Bytes wanted; undefined = until the end of the stream (MP4 box of size 0). */
	want: number | undefined;
	got: number;
	/** Grows by doubling up to `want`, so memory follows what arrived, not what a header claims. */
	buffer: Buffer;
}

const MP4_TOP_LEVEL = new Set([
	'ftyp',
	'styp',
	'moov',
	'mdat',
	'free',
	'skip',
	'wide',
	'pnot',
	'uuid',
	'moof',
	'mfra',
	'meta',
	'pdin',
	'sidx',
	'prft',
	'emsg',
	'junk',
	'PICT',
]);

// Matroska element IDs (hex, marker bits kept as in the file).
const EBML_HEADER = '1a45dfa3';
const EBML_DOCTYPE = '4282';
const SEGMENT = '18538067';
const INFO = '1549a966';
const TRACKS = '1654ae6b';
const CLUSTER = '1f43b675';
const TIMECODE_SCALE = '2ad7b1';
const DURATION = '4489';
const TRACK_ENTRY = 'ae';
const TRACK_TYPE = '83';
const CODEC_ID = '86';
const DEFAULT_DURATION = '23e383';
const VIDEO = 'e0';
const PIXEL_WIDTH = 'b0';
const PIXEL_HEIGHT = 'ba';

const MP4_CODECS: Record<string, string> = {
	avc1: 'h264',
	avc2: 'h264',
	avc3: 'h264',
	avc4: 'h264',
	hvc1: 'h265',
	hev1: 'h265',
	vp08: 'vp8',
	vp09: 'vp9',
	av01: 'av1',
};

const MATROSKA_CODECS: Record<string, string> = {
	V_VP8: 'vp8',
	V_VP9: 'vp9',
	V_AV1: 'av1',
	'V_MPEG4/ISO/AVC': 'h264',
	'V_MPEGH/ISO/HEVC': 'h265',
};

const amount = (bytes: number) =>
	bytes < 1024 * 1024 ? `${bytes} bytes` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const isBoxType = (type: string) => /^[\x20-\x7e]{4}$/.test(type);

export class VideoFactsReader {
	private readonly maxHeaderBytes: number;
	private format: Format = 'detect';
	private finished = false;
	/** Absolute position of the next byte to consume. */
	private position = 0;
	private skipLeft = 0;
	private keep: Keep | undefined;
	private head = Buffer.alloc(16);
	private headLength = 0;
	private peakKept = 0;
	private facts: VideoFacts = { container: 'unknown' };
	private problems: string[] = [];
	// Matroska: end of the Segment (undefined = not in one; Infinity = unknown size).
	private segmentEnd: number | undefined;
	private sawInfo = false;
	private sawTracks = false;
	private sawMoov = false;

	constructor(options: VideoFactsReaderOptions = {}) {
		const max = options.maxHeaderBytes;
		this.maxHeaderBytes =
			typeof max === 'number' && Number.isFinite(max) && max > 0
				? Math.floor(max)
				: DEFAULT_MAX_HEADER_BYTES;
	}

	/** True once the facts are complete or cannot be found: the caller stops reading. */
	get done(): boolean {
		return this.finished;
	}

	/** Bytes consumed so far (stops growing once done). */
	get bytesConsumed(): number {
		return this.position;
	}

	/** Most bytes of header data this reader held at one time (media data is never kept). */
	get peakKeptBytes(): number {
		return this.peakKept;
	}

	/** Feeds the next piece of the file, in order; pieces may have any size. */
	push(piece: Uint8Array): void {
		if (this.finished || piece.length === 0) return;
		const bytes = Buffer.isBuffer(piece)
			? piece
			: Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
		try {
			this.consume(bytes);
		} catch (error) {
			// Only a bug in a parser could get here: report it instead of failing the upload.
			this.stop(`The video header could not be read (${(error as Error).message}).`);
		}
	}

	/** What the reader knows now: call after `done`, or at the end of the stream. */
	result(): VideoFacts {
		if (!this.finished && this.keep?.id === 'moov' && this.keep.want === undefined) {
			// A moov of size 0 runs to the end of the file: what arrived is all of it.
			this.parseMoov(this.keep.buffer.subarray(0, this.keep.got));
			this.stop();
		}
		const facts: VideoFacts = { ...this.facts };
		// 1e9 / 33,333,333 ns is 30.0000003 fps: round off what no container can express.
		if (facts.durationSec !== undefined) facts.durationSec = roundTo(facts.durationSec, 6);
		if (facts.frameRate !== undefined) facts.frameRate = roundTo(facts.frameRate, 3);
		const problems = [...this.problems];
		if (!this.finished) problems.push(...this.endOfStreamProblems());
		if (problems.length) facts.problem = problems.join(' ');
		for (const key of Object.keys(facts) as Array<keyof VideoFacts>) {
			if (facts[key] === undefined) delete facts[key];
		}
		return facts;
	}

	private endOfStreamProblems(): string[] {
		const read = `${this.position} bytes`;
		if (this.format === 'detect') {
			return [
				this.position === 0
					? 'The file is empty.'
					: `The file is too short (${read}) to be a video.`,
			];
		}
		if (this.format === 'mp4') {
			if (this.keep?.id === 'moov') {
				return [
					`The file ended inside its header (moov box, ${this.keep.got} of ${this.keep.want} bytes): it is truncated.`,
				];
			}
			if (this.skipLeft > 0) {
				return [
					`The file ended ${this.skipLeft} bytes before the end of a box it announced, and no header (moov box) was found in its ${read}: it is truncated.`,
				];
			}
			return [
				`No header (moov box) was found in the file's ${read}: it is truncated or not a complete ${this.facts.container === 'mov' ? 'MOV' : 'MP4'}.`,
			];
		}
		if (this.format === 'ebml') {
			const missing = [!this.sawInfo && 'Info', !this.sawTracks && 'Tracks'].filter(Boolean);
			const inside = this.keep
				? ` (inside its ${this.keep.id === INFO ? 'Info' : this.keep.id === TRACKS ? 'Tracks' : 'EBML header'} element)`
				: '';
			return [
				`The file ended after ${read}${inside} before its ${missing.join(' and ')} ${missing.length > 1 ? 'were' : 'was'} read: it is truncated.`,
			];
		}
		return [];
	}

	private stop(problem?: string) {
		if (problem) this.problems.push(problem);
		this.finished = true;
		this.keep = undefined;
	}

	private consume(piece: Buffer) {
		let offset = 0;
		while (offset < piece.length && !this.finished) {
			const left = piece.length - offset;
			if (this.skipLeft > 0) {
				const n = Math.min(this.skipLeft, left);
				this.skipLeft -= n;
				offset += n;
				this.position += n;
				if (this.skipLeft === 0) this.afterElement();
				continue;
			}
			const keep = this.keep;
			if (keep) {
				const n = keep.want === undefined ? left : Math.min(keep.want - keep.got, left);
				if (keep.want === undefined && keep.got + n > this.maxHeaderBytes) {
					this.stop(
						`The video header (${keep.id} box) is larger than the ${amount(this.maxHeaderBytes)} this reader keeps.`,
					);
					return;
				}
				// Copied: the caller may reuse its buffer once push() returns.
				if (keep.got + n > keep.buffer.length) this.grow(keep, keep.got + n);
				piece.copy(keep.buffer, keep.got, offset, offset + n);
				keep.got += n;
				offset += n;
				this.position += n;
				if (keep.want !== undefined && keep.got === keep.want) {
					this.keep = undefined;
					this.onBody(keep.id, keep.buffer.subarray(0, keep.got));
					if (!this.finished) this.afterElement();
				}
				continue;
			}
			// Header bytes: few, so byte by byte.
			this.head[this.headLength++] = piece[offset++];
			this.position++;
			this.onHeaderByte();
		}
	}

	private onHeaderByte() {
		if (this.format === 'detect') {
			// EBML's header may be shorter than 8 bytes: decide on its 4-byte ID first.
			if (this.headLength === 4 && this.head.readUInt32BE(0) === 0x1a45dfa3) {
				this.format = 'ebml';
				return;
			}
			if (this.headLength < 8) return;
			if (MP4_TOP_LEVEL.has(this.head.toString('latin1', 4, 8))) {
				this.format = 'mp4';
				// No `ftyp` first: an old QuickTime file (a `ftyp` first decides below).
				this.facts.container = this.head.toString('latin1', 4, 8) === 'ftyp' ? 'mp4' : 'mov';
			} else {
				this.format = 'unknown';
				this.stop(
					'The file is not an MP4, MOV or WebM video (its first bytes match none of these formats).',
				);
				return;
			}
		}
		const head = this.format === 'mp4' ? this.mp4Head() : this.ebmlHead();
		if (head === undefined || this.finished) return;
		this.headLength = 0;
		if (this.format === 'mp4') this.onMp4Head(head);
		else this.onEbmlHead(head);
	}

	private grow(keep: Keep, needed: number) {
		let size = Math.max(keep.buffer.length * 2, 64 * 1024, needed);
		size = Math.min(size, keep.want ?? this.maxHeaderBytes);
		const buffer = Buffer.alloc(size);
		keep.buffer.copy(buffer, 0, 0, keep.got);
		keep.buffer = buffer;
		this.peakKept = Math.max(this.peakKept, size);
	}

	/** Starts keeping a body of `size` bytes (or to the end of the file). */
	private startKeep(id: string, size: number | undefined) {
		if (size !== undefined && size > this.maxHeaderBytes) {
			return this.stop(
				`The video header (${this.describe(id)}) is ${amount(size)}, larger than the ${amount(this.maxHeaderBytes)} this reader keeps.`,
			);
		}
		this.keep = { id, want: size, got: 0, buffer: Buffer.alloc(0) };
		if (size === 0) {
			this.keep = undefined;
			this.onBody(id, Buffer.alloc(0));
			if (!this.finished) this.afterElement();
		}
	}

	private startSkip(size: number) {
		this.skipLeft = size;
		if (size === 0) this.afterElement();
	}

	private describe(id: string) {
		if (this.format === 'mp4') return `${id} box`;
		return id === INFO ? 'Info element' : id === TRACKS ? 'Tracks element' : 'EBML header';
	}

	/** Called whenever an element or box ends. */
	private afterElement() {
		if (this.format !== 'ebml') return;
		if (this.segmentEnd !== undefined && this.position >= this.segmentEnd) {
			// Only the first Segment is read.
			this.stop(
				this.sawInfo && this.sawTracks
					? undefined
					: this.ebmlMissing('before the end of its Segment'),
			);
		}
	}

	private onBody(id: string, body: Buffer) {
		if (this.format === 'mp4') {
			if (id === 'ftyp') {
				if (body.length >= 4 && body.toString('latin1', 0, 4) === 'qt  ') {
					this.facts.container = 'mov';
				}
			} else if (id === 'moov') {
				this.parseMoov(body);
				this.stop();
			}
			return;
		}
		if (id === EBML_HEADER) {
			const docType = readEbmlChildren(body).find((e) => e.id === EBML_DOCTYPE);
			const name = docType ? ebmlString(docType.body) : 'matroska';
			if (name !== 'webm' && name !== 'matroska') {
				this.stop(`The file is an EBML document of type "${name}", not a WebM video.`);
				return;
			}
			this.facts.container = 'webm';
		} else if (id === INFO) {
			this.parseInfo(body);
		} else if (id === TRACKS) {
			this.parseTracks(body);
		}
		if (this.sawInfo && this.sawTracks) this.stop();
	}

	// ---- MP4 / MOV -------------------------------------------------------------------------------

	private mp4Head(): Head | undefined {
		if (this.headLength < 8) return undefined;
		const size32 = this.head.readUInt32BE(0);
		const id = this.head.toString('latin1', 4, 8);
		if (size32 === 1) {
			if (this.headLength < 16) return undefined;
			const size = this.head.readUInt32BE(8) * 2 ** 32 + this.head.readUInt32BE(12);
			if (size < 16) return this.damagedBox(id, size);
			return { id, size: size - 16, headerLength: 16 };
		}
		if (size32 === 0) return { id, size: undefined, headerLength: 8 };
		if (size32 < 8) return this.damagedBox(id, size32);
		return { id, size: size32 - 8, headerLength: 8 };
	}

	private damagedBox(id: string, size: number): undefined {
		this.stop(
			`The MP4 structure is damaged at byte ${this.position - this.headLength}: box "${printable(id)}" claims ${size} bytes.`,
		);
		return undefined;
	}

	private onMp4Head(head: Head) {
		const start = this.position - head.headerLength;
		if (!isBoxType(head.id)) {
			return this.stop(
				`The MP4 structure is damaged at byte ${start}: "${printable(head.id)}" is not a box type${this.sawMoov ? '' : ', and no header (moov box) came before it'}.`,
			);
		}
		if (head.id === 'moov') {
			this.sawMoov = true;
			return this.startKeep('moov', head.size);
		}
		if (
			head.id === 'ftyp' &&
			start === 0 &&
			head.size !== undefined &&
			head.size <= FTYP_KEEP_BYTES
		) {
			return this.startKeep('ftyp', head.size);
		}
		if (head.size === undefined) {
			// Runs to the end of the file and is not moov: nothing after it.
			return this.stop(
				`The ${printable(head.id)} box runs to the end of the file and no header (moov box) came before it: the file is not a complete MP4.`,
			);
		}
		this.startSkip(head.size);
	}

	private parseMoov(moov: Buffer) {
		const children = readBoxes(moov);
		const mvhd = children.find((b) => b.type === 'mvhd');
		let movieDuration: number | undefined;
		let movieTimescale: number | undefined;
		if (mvhd) {
			const t = readTimes(mvhd.body);
			if (t) {
				movieTimescale = t.timescale;
				movieDuration = t.duration;
			}
		}
		if (movieTimescale && movieDuration !== undefined && movieDuration > 0) {
			this.facts.durationSec = movieDuration / movieTimescale;
		}
		// Fragmented MP4: the movie header's duration is 0; mvex/mehd may hold it.
		const mvex = children.find((b) => b.type === 'mvex');
		const mvexChildren = mvex ? readBoxes(mvex.body) : [];
		if (this.facts.durationSec === undefined && movieTimescale) {
			const mehd = mvexChildren.find((b) => b.type === 'mehd');
			if (mehd && mehd.body.length >= 8) {
				const fragmentDuration =
					mehd.body[0] === 1 && mehd.body.length >= 12
						? readUInt64(mehd.body, 4)
						: mehd.body.readUInt32BE(4);
				if (fragmentDuration > 0) this.facts.durationSec = fragmentDuration / movieTimescale;
			}
		}

		let video: VideoTrack | undefined;
		for (const trak of children.filter((b) => b.type === 'trak')) {
			video = parseTrak(trak.body);
			if (video) break;
		}
		if (!video) {
			this.problems.push('The file has no video track.');
			return;
		}
		if (
			video.width !== undefined &&
			video.height !== undefined &&
			video.width > 0 &&
			video.height > 0
		) {
			this.facts.width = video.width;
			this.facts.height = video.height;
		}
		if (video.codec) this.facts.codec = video.codec;
		const mediaSec =
			video.timescale && video.duration ? video.duration / video.timescale : undefined;
		if (this.facts.durationSec === undefined && mediaSec) this.facts.durationSec = mediaSec;
		if (video.samples && mediaSec) {
			this.facts.frameRate = video.samples / mediaSec;
		} else if (video.timescale && video.trackId !== undefined) {
			// Fragmented: no samples in moov; the track's default sample duration gives the rate.
			const trex = mvexChildren.find(
				(b) =>
					b.type === 'trex' && b.body.length >= 16 && b.body.readUInt32BE(4) === video?.trackId,
			);
			const sampleDuration = trex ? trex.body.readUInt32BE(12) : 0;
			if (sampleDuration > 0) this.facts.frameRate = video.timescale / sampleDuration;
		}
		if (this.facts.durationSec !== undefined && !(this.facts.durationSec > 0)) {
			delete this.facts.durationSec;
		}
		if (this.facts.durationSec === undefined) {
			this.problems.push(
				'The header does not state the duration (a fragmented MP4 keeps it in its fragments).',
			);
		}
	}

	// ---- WebM / Matroska -------------------------------------------------------------------------

	private ebmlHead(): Head | undefined {
		const first = this.head[0];
		const idLength = vintLength(first);
		if (idLength === 0 || idLength > 4) return this.damagedElement();
		if (this.headLength <= idLength) return undefined;
		const sizeLength = vintLength(this.head[idLength]);
		if (sizeLength === 0) return this.damagedElement();
		if (this.headLength < idLength + sizeLength) return undefined;
		const id = this.head.toString('hex', 0, idLength);
		const size = readVintValue(this.head, idLength, sizeLength);
		return { id, size, headerLength: idLength + sizeLength };
	}

	private damagedElement(): undefined {
		this.stop(
			`The WebM structure is damaged at byte ${this.position - this.headLength}${this.sawInfo || this.sawTracks ? '' : ' before its Info and Tracks were read'}.`,
		);
		return undefined;
	}

	private onEbmlHead(head: Head) {
		const start = this.position - head.headerLength;
		if (start === 0) {
			if (head.size === undefined) return this.damagedElement();
			return this.startKeep(EBML_HEADER, head.size);
		}
		const inSegment = this.segmentEnd !== undefined;
		if (!inSegment) {
			if (head.id === SEGMENT) {
				this.segmentEnd = head.size === undefined ? Infinity : this.position + head.size;
				return;
			}
			if (head.size === undefined) return this.damagedElement();
			return this.startSkip(head.size); // EBML Void, CRC or unknown top-level element
		}
		if (head.id === CLUSTER) {
			// Media data starts: whatever is not known by now stays unknown.
			return this.stop(this.ebmlMissing('before its first Cluster (media data)'));
		}
		if (head.size === undefined) return this.damagedElement();
		if (this.segmentEnd !== undefined && this.position + head.size > this.segmentEnd) {
			return this.damagedElement();
		}
		if (head.id === INFO || head.id === TRACKS) return this.startKeep(head.id, head.size);
		this.startSkip(head.size);
	}

	private ebmlMissing(where: string): string | undefined {
		const missing = [!this.sawInfo && 'Info', !this.sawTracks && 'Tracks'].filter(Boolean);
		if (missing.length) return `The WebM file has no ${missing.join(' or ')} element ${where}.`;
		return undefined;
	}

	private parseInfo(body: Buffer) {
		this.sawInfo = true;
		let scale = 1_000_000;
		let duration: number | undefined;
		for (const e of readEbmlChildren(body)) {
			if (e.id === TIMECODE_SCALE) {
				const v = ebmlUint(e.body);
				if (v !== undefined && v > 0) scale = v;
			} else if (e.id === DURATION) {
				duration = ebmlFloat(e.body);
			}
		}
		if (duration !== undefined && Number.isFinite(duration) && duration > 0) {
			this.facts.durationSec = (duration * scale) / 1e9;
		} else {
			this.problems.push(
				'The WebM header has no Duration (the file was probably written as a live stream), so the length is unknown.',
			);
		}
	}

	private parseTracks(body: Buffer) {
		this.sawTracks = true;
		for (const entry of readEbmlChildren(body)) {
			if (entry.id !== TRACK_ENTRY) continue;
			const fields = readEbmlChildren(entry.body);
			const type = fields.find((e) => e.id === TRACK_TYPE);
			if (!type || ebmlUint(type.body) !== 1) continue;
			const codecId = fields.find((e) => e.id === CODEC_ID);
			if (codecId) {
				const raw = ebmlString(codecId.body);
				this.facts.codec = MATROSKA_CODECS[raw] ?? raw;
			}
			const defaultDuration = fields.find((e) => e.id === DEFAULT_DURATION);
			const ns = defaultDuration ? ebmlUint(defaultDuration.body) : undefined;
			if (ns) this.facts.frameRate = 1e9 / ns;
			const video = fields.find((e) => e.id === VIDEO);
			if (video) {
				const v = readEbmlChildren(video.body);
				const w = v.find((e) => e.id === PIXEL_WIDTH);
				const h = v.find((e) => e.id === PIXEL_HEIGHT);
				const width = w ? ebmlUint(w.body) : undefined;
				const height = h ? ebmlUint(h.body) : undefined;
				if (width && height) {
					this.facts.width = width;
					this.facts.height = height;
				}
			}
			return;
		}
		this.problems.push('The file has no video track.');
	}
}

/**
 * Reads pieces until the reader is done, then stops consuming. Leaving a `for await` loop early
 * calls the iterator's `return()`, which destroys a Node.js stream; callers that pass another
 * iterable destroy what they have to themselves.
 */
export async function readVideoFacts(
	pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
	options?: VideoFactsReaderOptions,
): Promise<VideoFacts & { bytesRead: number }> {
	const reader = new VideoFactsReader(options);
	let bytesRead = 0;
	for await (const piece of pieces) {
		bytesRead += piece.length;
		reader.push(piece);
		if (reader.done) break;
	}
	return { ...reader.result(), bytesRead };
}

// ---- box / element helpers -----------------------------------------------------------------------

interface Box {
	type: string;
	body: Buffer;
}

/** Child boxes of a kept box; stops at the first damaged size. */
function readBoxes(data: Buffer): Box[] {
	const boxes: Box[] = [];
	let offset = 0;
	while (offset + 8 <= data.length) {
		let size = data.readUInt32BE(offset);
		const type = data.toString('latin1', offset + 4, offset + 8);
		let headerLength = 8;
		if (size === 1) {
			if (offset + 16 > data.length) break;
			size = readUInt64(data, offset + 8);
			headerLength = 16;
		} else if (size === 0) {
			size = data.length - offset;
		}
		if (size < headerLength || offset + size > data.length) break;
		boxes.push({ type, body: data.subarray(offset + headerLength, offset + size) });
		offset += size;
	}
	return boxes;
}

function readUInt64(data: Buffer, offset: number): number {
	return data.readUInt32BE(offset) * 2 ** 32 + data.readUInt32BE(offset + 4);
}

/** timescale + duration of a full box laid out like mvhd / mdhd (version 0 or 1). */
function readTimes(body: Buffer): { timescale: number; duration: number | undefined } | undefined {
	const version = body[0];
	if (version === 1) {
		if (body.length < 32) return undefined;
		const timescale = body.readUInt32BE(20);
		const high = body.readUInt32BE(24);
		const low = body.readUInt32BE(28);
		const unknown = high === 0xffffffff && low === 0xffffffff;
		return timescale
			? { timescale, duration: unknown ? undefined : high * 2 ** 32 + low }
			: undefined;
	}
	if (body.length < 20) return undefined;
	const timescale = body.readUInt32BE(12);
	const duration = body.readUInt32BE(16);
	return timescale
		? { timescale, duration: duration === 0xffffffff ? undefined : duration }
		: undefined;
}

interface VideoTrack {
	trackId?: number;
	width?: number;
	height?: number;
	timescale?: number;
	duration?: number;
	samples?: number;
	codec?: string;
}

/** The facts of a `trak` if its handler is `vide`, else undefined. */
function parseTrak(trak: Buffer): VideoTrack | undefined {
	const children = readBoxes(trak);
	const mdia = children.find((b) => b.type === 'mdia');
	if (!mdia) return undefined;
	const mdiaChildren = readBoxes(mdia.body);
	const hdlr = mdiaChildren.find((b) => b.type === 'hdlr');
	if (!hdlr || hdlr.body.length < 12 || hdlr.body.toString('latin1', 8, 12) !== 'vide') {
		return undefined;
	}
	const track: VideoTrack = {};
	const tkhd = children.find((b) => b.type === 'tkhd');
	if (tkhd) Object.assign(track, parseTkhd(tkhd.body));
	const mdhd = mdiaChildren.find((b) => b.type === 'mdhd');
	const times = mdhd ? readTimes(mdhd.body) : undefined;
	if (times) {
		track.timescale = times.timescale;
		track.duration = times.duration;
	}
	const minf = mdiaChildren.find((b) => b.type === 'minf');
	const stbl = minf ? readBoxes(minf.body).find((b) => b.type === 'stbl') : undefined;
	if (!stbl) return track;
	const stblChildren = readBoxes(stbl.body);
	const stsd = stblChildren.find((b) => b.type === 'stsd');
	if (stsd) {
		const entry = readBoxes(stsd.body.subarray(8))[0];
		if (entry) {
			track.codec = sampleEntryCodec(entry);
			// Visual sample entry: width, height (16 bit) at 24 after the 8-byte header.
			if ((!track.width || !track.height) && entry.body.length >= 28) {
				track.width = entry.body.readUInt16BE(24);
				track.height = entry.body.readUInt16BE(26);
			}
		}
	}
	const stts = stblChildren.find((b) => b.type === 'stts');
	if (stts && stts.body.length >= 8) {
		const count = stts.body.readUInt32BE(4);
		let samples = 0;
		for (let i = 0; i < count && 8 + i * 8 + 8 <= stts.body.length; i++) {
			samples += stts.body.readUInt32BE(8 + i * 8);
		}
		track.samples = samples;
	}
	return track;
}

function parseTkhd(body: Buffer): Partial<VideoTrack> {
	const version = body[0];
	const base = version === 1 ? 4 + 8 + 8 : 4 + 4 + 4; // after version/flags, creation, modification
	const trackId = body.length >= base + 4 ? body.readUInt32BE(base) : undefined;
	// track_ID, reserved, duration (4 or 8), reserved 8, layer, group, volume, reserved 2
	const matrix = base + 4 + 4 + (version === 1 ? 8 : 4) + 8 + 8;
	if (body.length < matrix + 36 + 8) return { trackId };
	const a = body.readInt32BE(matrix);
	const b = body.readInt32BE(matrix + 4);
	const c = body.readInt32BE(matrix + 12);
	const d = body.readInt32BE(matrix + 16);
	let width = Math.round(body.readUInt32BE(matrix + 36) / 65536);
	let height = Math.round(body.readUInt32BE(matrix + 40) / 65536);
	if (a === 0 && d === 0 && b !== 0 && c !== 0) [width, height] = [height, width]; // 90° / 270°
	return { trackId, width, height };
}

function sampleEntryCodec(entry: Box): string {
	let fourcc = entry.type;
	if (fourcc === 'encv' || fourcc === 'resv') {
		// Protected / restricted: the original format is in sinf/frma (or rinf/frma).
		const children = entry.body.length > 78 ? readBoxes(entry.body.subarray(78)) : [];
		const info = children.find((b) => b.type === 'sinf' || b.type === 'rinf');
		const frma = info ? readBoxes(info.body).find((b) => b.type === 'frma') : undefined;
		if (frma && frma.body.length >= 4) fourcc = frma.body.toString('latin1', 0, 4);
	}
	return MP4_CODECS[fourcc] ?? fourcc.trim();
}

function roundTo(value: number, digits: number): number {
	return Math.round(value * 10 ** digits) / 10 ** digits;
}

function printable(text: string): string {
	return text.replace(/[^\x20-\x7e]/g, '?');
}

/** Length of an EBML variable-size integer from its first byte (0 = invalid). */
function vintLength(first: number): number {
	for (let i = 0; i < 8; i++) if (first & (0x80 >> i)) return i + 1;
	return 0;
}

/** The value of an EBML size; undefined when all value bits are 1 (unknown size). */
function readVintValue(data: Buffer, offset: number, length: number): number | undefined {
	let value = data[offset] & (0xff >> length);
	let allOnes = value === 0xff >> length;
	for (let i = 1; i < length; i++) {
		value = value * 256 + data[offset + i];
		if (data[offset + i] !== 0xff) allOnes = false;
	}
	return allOnes ? undefined : value;
}

interface Element {
	id: string;
	body: Buffer;
}

/** Child elements of a kept master element; stops at the first damaged or unknown size. */
function readEbmlChildren(data: Buffer): Element[] {
	const elements: Element[] = [];
	let offset = 0;
	while (offset < data.length) {
		const idLength = vintLength(data[offset]);
		if (idLength === 0 || idLength > 4 || offset + idLength >= data.length) break;
		const sizeLength = vintLength(data[offset + idLength]);
		if (sizeLength === 0 || offset + idLength + sizeLength > data.length) break;
		const size = readVintValue(data, offset + idLength, sizeLength);
		const start = offset + idLength + sizeLength;
		if (size === undefined || start + size > data.length) break;
		elements.push({
			id: data.toString('hex', offset, offset + idLength),
			body: data.subarray(start, start + size),
		});
		offset = start + size;
	}
	return elements;
}

function ebmlUint(body: Buffer): number | undefined {
	if (body.length > 8) return undefined;
	let value = 0;
	for (const byte of body) value = value * 256 + byte;
	return value;
}

function ebmlFloat(body: Buffer): number | undefined {
	if (body.length === 4) return body.readFloatBE(0);
	if (body.length === 8) return body.readDoubleBE(0);
	return undefined;
}

function ebmlString(body: Buffer): string {
	const end = body.indexOf(0);
	return body.toString('utf8', 0, end === -1 ? body.length : end);
}
