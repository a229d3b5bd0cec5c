import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { ChunkPlan } from '../helpers/chunkPlan';
import { chunkRange } from '../helpers/chunkPlan';

/** Generous per-chunk limit: a 128 MB final chunk at 1 MB/s still fits. */
const CHUNK_TIMEOUT_MS = 300_000;
/** Tries per chunk for 5xx answers and dropped connections; the same bytes are re-sent. */
const CHUNK_ATTEMPTS = 3;
const RETRY_BASE_DELAY_MS = 1000;

interface PutResponse {
	statusCode: number;
}

/** What the upload host's status codes mean for the user (tiktok-api.md §4.3). */
const UPLOAD_STATUS_MESSAGES: Record<number, string> = {
	400: 'TikTok rejected the chunk headers (Content-Length or Content-Range do not match the data)',
	403: "The upload URL expired: TikTok allows one hour from Upload Draft's start to the last chunk",
	404: 'TikTok does not know this upload any more',
	416: 'TikTok expected a different byte range (the upload is out of step)',
};

/**
 * PUTs every chunk to the upload URL in order (TikTok forbids parallel chunks). The upload URL
 * carries its own token, so no Authorization header is sent, and it never appears in errors.
 */
export async function uploadChunks(
	this: IExecuteFunctions,
	uploadUrl: string,
	chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
	plan: ChunkPlan,
	mimeType: string,
	context: { itemIndex: number; publishId: string },
): Promise<void> {
	let index = 0;
	for await (const chunk of chunks) {
		const range = chunkRange(plan, index);
		if (chunk.length !== range.length) {
			throw new NodeOperationError(
				this.getNode(),
				`Chunk ${index + 1} has ${chunk.length} bytes instead of ${range.length}`,
				{ itemIndex: context.itemIndex },
			);
		}
		await putChunkWithRetries.call(this, uploadUrl, chunk, {
			headers: {
				'Content-Type': mimeType,
				'Content-Length': String(range.length),
				'Content-Range': `bytes ${range.start}-${range.end}/${plan.videoSize}`,
			},
			label: `chunk ${index + 1} of ${plan.totalChunkCount}`,
			...context,
		});
		index++;
	}
}

async function putChunkWithRetries(
	this: IExecuteFunctions,
	uploadUrl: string,
	chunk: Buffer,
	request: {
		headers: Record<string, string>;
		label: string;
		itemIndex: number;
		publishId: string;
	},
): Promise<void> {
	const signal = this.getExecutionCancelSignal?.();
	for (let attempt = 1; ; attempt++) {
		if (signal?.aborted) {
			throw new NodeOperationError(this.getNode(), 'The upload was cancelled', {
				itemIndex: request.itemIndex,
			});
		}
		let statusCode: number | undefined;
		let failure: string;
		try {
			const response = (await this.helpers.httpRequest({
				method: 'PUT',
				url: uploadUrl,
				body: chunk,
				headers: request.headers,
				json: false,
				encoding: 'text',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: CHUNK_TIMEOUT_MS,
				abortSignal: signal,
			})) as PutResponse;
			statusCode = response.statusCode;
			failure = `HTTP ${statusCode}`;
		} catch (error) {
			// Network failure (reset, timeout): the axios error holds the URL, so keep only its message.
			failure = error instanceof Error ? error.message : String(error);
		}
		if (statusCode !== undefined && statusCode >= 200 && statusCode < 300) return;
		if (statusCode !== undefined && statusCode < 500)
			throw uploadError.call(this, statusCode, request);
		if (signal?.aborted) {
			throw new NodeOperationError(this.getNode(), 'The upload was cancelled', {
				itemIndex: request.itemIndex,
			});
		}
		if (attempt >= CHUNK_ATTEMPTS) {
			throw new NodeApiError(
				this.getNode(),
				{ message: failure },
				{
					message: `Uploading ${request.label} failed after ${CHUNK_ATTEMPTS} tries: ${failure}`,
					description: `Publish ID ${request.publishId} was not completed; run the item again to start a new upload.`,
					itemIndex: request.itemIndex,
				},
			);
		}
		await sleep(RETRY_BASE_DELAY_MS * 2 ** (attempt - 1));
	}
}

function uploadError(
	this: IExecuteFunctions,
	statusCode: number,
	request: { label: string; itemIndex: number; publishId: string },
): NodeApiError {
	const reason =
		UPLOAD_STATUS_MESSAGES[statusCode] ?? `TikTok's upload host answered HTTP ${statusCode}`;
	return new NodeApiError(
		this.getNode(),
		{ message: reason },
		{
			message: `Uploading ${request.label} failed: ${reason}`,
			description: `Publish ID ${request.publishId} was not completed; run the item again to start a new upload.`,
			httpCode: String(statusCode),
			itemIndex: request.itemIndex,
		},
	);
}
