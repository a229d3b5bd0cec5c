import type { IExecuteFunctions } from 'n8n-workflow';
import { BINARY_ENCODING, NodeOperationError } from 'n8n-workflow';

import type { ChunkPlan } from './chunkPlan';
import { rechunkStream, sliceBuffer } from './chunkReader';

/** The video types TikTok's upload host accepts (docs/tiktok-api.md#chunk-upload). */
export const VIDEO_MIME_TYPES = ['video/mp4', 'video/quicktime', 'video/webm'];

const MIME_TYPE_BY_EXTENSION: Record<string, string> = {
	mp4: 'video/mp4',
	m4v: 'video/mp4',
	mov: 'video/quicktime',
	webm: 'video/webm',
};

/** Read chunk-sized pieces from id-backed storage; 1 MiB keeps the stream's share of memory small. */
const STREAM_READ_BYTES = 1024 * 1024;

/**
 * n8n's `database` binary-data mode (queue mode's default in n8n 2.x) reads a file back in one
 * piece, and PostgreSQL hands it over as one hex string of 2 characters per byte. Above V8's
 * string limit (2^29 − 24 characters) that read never returns and the execution hangs (seen on
 * n8n 2.8.4), so such files are refused before TikTok is called.
 */
export const DATABASE_MODE_MAX_READ_BYTES = (2 ** 29 - 24 - 2) / 2;

export interface VideoSource {
	size: number;
	mimeType: string;
	fileName?: string;
	chunks(plan: ChunkPlan): AsyncIterable<Buffer> | Iterable<Buffer>;
	/** The file from its start, for reading its header; stop early and the stream is closed. */
	pieces(): AsyncIterable<Buffer> | Iterable<Buffer>;
}

/**
 * Finds the item's video and how to read it without loading it: binary data stored outside
 * memory (filesystem, S3, database: it has an id) is streamed; in-memory binary data is decoded
 * once and sliced.
 */
export async function getVideoSource(
	this: IExecuteFunctions,
	itemIndex: number,
	binaryPropertyName: string,
): Promise<VideoSource> {
	const item = this.getInputData()[itemIndex];
	const binary = item?.binary?.[binaryPropertyName];
	if (!binary) {
		const available = Object.keys(item?.binary ?? {});
		throw new NodeOperationError(
			this.getNode(),
			`No binary property "${binaryPropertyName}" on the input item`,
			{
				itemIndex,
				description: available.length
					? `Set "Input Binary Field" to one of: ${available.join(', ')}`
					: 'Put a node that outputs the video as a file before this one (e.g. Read/Write Files from Disk or HTTP Request with "Response Format: File")',
			},
		);
	}

	const mimeType = videoMimeType(binary.mimeType, binary.fileName);
	if (!mimeType) {
		throw new NodeOperationError(
			this.getNode(),
			binary.mimeType
				? `TikTok does not accept files of type "${binary.mimeType}"`
				: `The binary file "${binary.fileName ?? binaryPropertyName}" has no type and no video file extension`,
			{
				itemIndex,
				description: `Upload an MP4, MOV or WebM video (${VIDEO_MIME_TYPES.join(', ')})`,
			},
		);
	}

	if (binary.id) {
		const binaryId = binary.id;
		const { fileSize } = await this.helpers.getBinaryMetadata(binaryId);
		if (binaryId.startsWith('database:') && fileSize > DATABASE_MODE_MAX_READ_BYTES) {
			throw new NodeOperationError(
				this.getNode(),
				`The video (${Math.round(fileSize / 1024 / 1024)} MiB) is too large for n8n's database binary-data mode`,
				{
					itemIndex,
					description:
						"n8n reads a file stored in its database back in one piece, which fails above 256 MiB with PostgreSQL. For larger videos use Video Source 'URL', or binary-data mode s3 (queue mode) or filesystem (a single n8n). See the README, section Running at scale.",
				},
			);
		}
		// n8n's database mode hands a file over in one piece: when the header read got the whole
		// file that way, the upload slices that piece instead of reading the file a second time.
		let wholeFile: Buffer | undefined;
		return {
			size: fileSize,
			mimeType,
			fileName: binary.fileName,
			chunks: (plan) => {
				const whole = wholeFile;
				wholeFile = undefined;
				return whole ? sliceBuffer(whole, plan) : streamChunks.call(this, binaryId, plan);
			},
			pieces: () =>
				streamPieces.call(this, binaryId, (piece) => {
					if (piece.length === fileSize) wholeFile = piece;
				}),
		};
	}

	const data = Buffer.from(binary.data, BINARY_ENCODING);
	return {
		size: data.length,
		mimeType,
		fileName: binary.fileName,
		chunks: (plan) => sliceBuffer(data, plan),
		pieces: () => [data],
	};
}

async function* streamChunks(
	this: IExecuteFunctions,
	binaryId: string,
	plan: ChunkPlan,
): AsyncGenerator<Buffer> {
	// A one-chunk video in one piece, sent as it is (chunkReader.ts); larger ones in small pieces.
	const readBytes = plan.totalChunkCount === 1 ? plan.chunkSize : STREAM_READ_BYTES;
	const stream = await this.helpers.getBinaryStream(binaryId, readBytes);
	try {
		yield* rechunkStream(stream, plan);
	} finally {
		// Stop reading when the upload ends early (error or cancel).
		stream.destroy();
	}
}

async function* streamPieces(
	this: IExecuteFunctions,
	binaryId: string,
	onPiece: (piece: Buffer) => void,
): AsyncGenerator<Buffer> {
	const stream = await this.helpers.getBinaryStream(binaryId, STREAM_READ_BYTES);
	try {
		for await (const piece of stream) {
			onPiece(piece as Buffer);
			yield piece as Buffer;
		}
	} finally {
		stream.destroy();
	}
}

/** The binary's MIME type, or one derived from the file name when the MIME type is generic. */
export function videoMimeType(
	mimeType: string | undefined,
	fileName: string | undefined,
): string | undefined {
	const base = (mimeType ?? '').split(';')[0].trim().toLowerCase();
	if (VIDEO_MIME_TYPES.includes(base)) return base;
	const generic =
		base === '' || base === 'application/octet-stream' || base === 'binary/octet-stream';
	if (!generic) return undefined;
	const extension = (fileName ?? '').split('.').pop()?.toLowerCase() ?? '';
	return MIME_TYPE_BY_EXTENSION[extension];
}
