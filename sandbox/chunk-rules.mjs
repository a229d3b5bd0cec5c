// FILE_UPLOAD init rules (docs/tiktok-api.md#chunk-rules, with the strictness other clients observed).
// Returns the TikTok message for the first broken rule, or null.
export function checkFileUpload(
	{ video_size: size, chunk_size: chunk, total_chunk_count: count },
	config,
) {
	if (![size, chunk, count].every(Number.isSafeInteger))
		return 'The request source info is empty or incorrect';
	if (size < 1 || size > config.maxVideoSize) return 'The video size is invalid';
	if (count < 1 || count > config.maxChunkCount) return 'The total chunk count is invalid';
	if (count !== Math.floor(size / chunk)) return 'The total chunk count is invalid';
	if (count === 1) {
		if (chunk !== size) return 'The chunk size is invalid';
		if (size > config.singleChunkMax) return 'The total chunk count is invalid';
		return null;
	}
	if (chunk < config.minChunkSize || chunk > config.maxChunkSize)
		return 'The chunk size is invalid';
	if (size - (count - 1) * chunk > config.maxFinalChunkSize) return 'The chunk size is invalid';
	return null;
}

/** [start, end] (inclusive) of chunk `index` under the declared plan. */
export function expectedRange(upload, index) {
	const start = index * upload.chunkSize;
	const end =
		index === upload.totalChunkCount - 1 ? upload.videoSize - 1 : start + upload.chunkSize - 1;
	return [start, end];
}
