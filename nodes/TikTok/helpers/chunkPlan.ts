/**
 * TikTok FILE_UPLOAD chunk arithmetic (docs/tiktok-api.md#chunk-rules), chosen to satisfy both readings of
 * "MB" and every field-observed rule: a video up to 64,000,000 bytes is one chunk whose
 * chunk_size equals the video size; a larger one uses a fixed chunk size, a floor count, and a
 * final chunk that carries the remainder (so it is never smaller than the others).
 */

export const SINGLE_CHUNK_MAX_BYTES = 64_000_000;
export const MIN_CHUNK_BYTES = 5_242_880;
export const MAX_CHUNK_BYTES = 64_000_000;
export const DEFAULT_CHUNK_BYTES = 10_000_000;
export const MAX_CHUNK_COUNT = 1000;
/** TikTok's 4 GB limit, read as 4 GiB; TikTok itself answers for anything between 4e9 and this. */
export const MAX_VIDEO_BYTES = 4 * 1024 * 1024 * 1024;

export interface ChunkPlan {
	videoSize: number;
	chunkSize: number;
	totalChunkCount: number;
	/** Bytes in the final chunk: chunkSize plus the remainder (equal to videoSize for one chunk). */
	lastChunkSize: number;
}

export interface ChunkRange {
	index: number;
	start: number;
	/** Inclusive, as in Content-Range. */
	end: number;
	length: number;
}

export function planChunks(videoSize: number, preferredChunkSize = DEFAULT_CHUNK_BYTES): ChunkPlan {
	if (!Number.isSafeInteger(videoSize) || videoSize <= 0) {
		throw new Error('The video is empty (0 bytes)');
	}
	if (videoSize > MAX_VIDEO_BYTES) {
		throw new Error(
			`The video is ${videoSize} bytes; TikTok accepts at most 4 GB (${MAX_VIDEO_BYTES} bytes)`,
		);
	}
	if (
		!Number.isSafeInteger(preferredChunkSize) ||
		preferredChunkSize < MIN_CHUNK_BYTES ||
		preferredChunkSize > MAX_CHUNK_BYTES
	) {
		throw new Error(
			`The chunk size must be between ${MIN_CHUNK_BYTES} and ${MAX_CHUNK_BYTES} bytes`,
		);
	}

	if (videoSize <= SINGLE_CHUNK_MAX_BYTES) {
		return {
			videoSize,
			chunkSize: videoSize,
			totalChunkCount: 1,
			lastChunkSize: videoSize,
		};
	}

	// Above 64,000,000 bytes TikTok requires several chunks. If the preferred size would give only
	// one, halve the video instead (then 32,000,000 < chunk < 64,000,000).
	let chunkSize = preferredChunkSize;
	if (Math.floor(videoSize / chunkSize) < 2) chunkSize = Math.floor(videoSize / 2);

	const totalChunkCount = Math.floor(videoSize / chunkSize);
	if (totalChunkCount > MAX_CHUNK_COUNT) {
		throw new Error(
			`${totalChunkCount} chunks of ${chunkSize} bytes exceed TikTok's limit of ${MAX_CHUNK_COUNT}; use a larger chunk size`,
		);
	}
	const lastChunkSize = videoSize - (totalChunkCount - 1) * chunkSize;
	return { videoSize, chunkSize, totalChunkCount, lastChunkSize };
}

export function chunkRange(plan: ChunkPlan, index: number): ChunkRange {
	const start = index * plan.chunkSize;
	const isLast = index === plan.totalChunkCount - 1;
	const length = isLast ? plan.lastChunkSize : plan.chunkSize;
	return { index, start, end: start + length - 1, length };
}
