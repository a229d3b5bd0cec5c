import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { ChunkPlan } from '../helpers/chunkPlan';
import { chunkRange } from '../helpers/chunkPlan';
import { unknownOutcomeError } from './errors';
import { tikTokApiRequest } from './request';
import { backoffMs, CHUNK_ATTEMPTS } from './retryPolicy';

/** Generous per-chunk limit: a 128 MB final chunk at 1 MB/s still fits. */
const CHUNK_TIMEOUT_MS = 300_000;

interface PutResponse {
	statusCode: number;
}

/** What the upload host's status codes mean for the user (docs/tiktok-api.md#upload-host-answers). */
const UPLOAD_STATUS_MESSAGES: Record<number, string> = {
	400: 'TikTok rejected the chunk headers (Content-Length or Content-Range do not match the data)',
	403: "The upload URL expired: TikTok allows one hour from Upload Draft's start to the last chunk",
	404: 'TikTok does not know this upload any more',
	416: 'TikTok expected a different byte range (the upload is out of step)',
};

/** Where an upload stands, per the publish id's status: how many bytes TikTok has. */
const PAST_UPLOAD = ['SEND_TO_USER_INBOX', 'PUBLISH_COMPLETE'];

interface ChunkRequest {
	headers: Record<string, string>;
	label: string;
	itemIndex: number;
	publishId: string;
	/** First byte after this chunk: TikTok holds at least this many bytes once it stored it. */
	endOffset: number;
	final: boolean;
}

/**
 * PUTs every chunk to the upload URL in order (TikTok forbids parallel chunks). The upload URL
 * carries its own token, so no Authorization header is sent, and it never appears in errors.
 * Returns how many chunk answers were lost and confirmed through the publish id's status.
 */
export async function uploadChunks(
	this: IExecuteFunctions,
	uploadUrl: string,
	chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
	plan: ChunkPlan,
	mimeType: string,
	context: { itemIndex: number; publishId: string },
): Promise<{ lostAnswers: number }> {
	let index = 0;
	let lostAnswers = 0;
	for await (const chunk of chunks) {
		const range = chunkRange(plan, index);
		if (chunk.length !== range.length) {
			throw new NodeOperationError(
				this.getNode(),
				`Chunk ${index + 1} has ${chunk.length} bytes instead of ${range.length}`,
				{ itemIndex: context.itemIndex },
			);
		}
		const outcome = await putChunk.call(this, uploadUrl, chunk, {
			headers: {
				'Content-Type': mimeType,
				'Content-Length': String(range.length),
				'Content-Range': `bytes ${range.start}-${range.end}/${plan.videoSize}`,
			},
			label: `chunk ${index + 1} of ${plan.totalChunkCount}`,
			endOffset: range.end + 1,
			final: index === plan.totalChunkCount - 1,
			...context,
		});
		if (outcome === 'confirmedByStatus') lostAnswers++;
		index++;
	}
	return { lostAnswers };
}

/**
 * One chunk, sent again with the same range after a 5xx or a dropped connection (TikTok's
 * documented advice). Such a failure may come *after* TikTok stored the chunk; then a repeat
 * answers 4xx (416: already complete or past this range). So once an answer was lost, a 4xx or
 * the last failed try is settled by the publish id's status (uploaded bytes), never by failing
 * blindly: "run again" after a stored final chunk would make a second draft or post.
 */
async function putChunk(
	this: IExecuteFunctions,
	uploadUrl: string,
	chunk: Buffer,
	request: ChunkRequest,
): Promise<'answered' | 'confirmedByStatus'> {
	const signal = this.getExecutionCancelSignal?.();
	let answerLost = false;
	for (let attempt = 1; ; attempt++) {
		if (signal?.aborted) throw cancelled.call(this, request);
		const { statusCode, failure } = await sendChunk.call(this, uploadUrl, chunk, request);
		if (statusCode !== undefined && statusCode >= 200 && statusCode < 300) return 'answered';
		if (signal?.aborted) throw cancelled.call(this, request);
		const definite = statusCode !== undefined && statusCode < 500;
		if (definite && !answerLost) throw uploadError.call(this, statusCode, request);
		if (definite || attempt >= CHUNK_ATTEMPTS) {
			return await settleByStatus.call(this, request, failure, attempt);
		}
		answerLost = true;
		await sleep(backoffMs(attempt));
	}
}

async function sendChunk(
	this: IExecuteFunctions,
	uploadUrl: string,
	chunk: Buffer,
	request: ChunkRequest,
): Promise<{ statusCode?: number; failure: string }> {
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
			abortSignal: this.getExecutionCancelSignal?.(),
		})) as PutResponse;
		return { statusCode: response.statusCode, failure: `HTTP ${response.statusCode}` };
	} catch (error) {
		// Network failure (reset, timeout): the axios error holds the URL, so keep only its message.
		return { failure: error instanceof Error ? error.message : String(error) };
	}
}

/**
 * After a lost answer: asks TikTok how many bytes it holds. Stored → the upload goes on (or is
 * done). Not stored → a definite failure (no post can come from an incomplete upload, so running
 * the item again is safe). Unknown for the final chunk → the item says so instead of guessing.
 */
async function settleByStatus(
	this: IExecuteFunctions,
	request: ChunkRequest,
	failure: string,
	attempt: number,
): Promise<'confirmedByStatus'> {
	let stored: boolean | undefined;
	try {
		const status = await tikTokApiRequest.call(
			this,
			'POST',
			'/v2/post/publish/status/fetch/',
			request.itemIndex,
			{ publish_id: request.publishId },
		);
		const uploaded = Number(status.uploaded_bytes ?? NaN);
		if (Number.isFinite(uploaded)) stored = uploaded >= request.endOffset;
		if (request.final && PAST_UPLOAD.includes(String(status.status))) stored = true;
	} catch {
		// unreadable status: decided below
	}
	if (stored) return 'confirmedByStatus';
	if (stored === undefined && request.final) {
		throw unknownOutcomeError(this.getNode(), {
			action: 'upload',
			reason: `the answer to the last chunk was lost (${failure}) and its status could not be read`,
			publishId: request.publishId,
			itemIndex: request.itemIndex,
		});
	}
	throw new NodeApiError(
		this.getNode(),
		{ message: failure },
		{
			message: `Uploading ${request.label} failed after ${attempt} tries: ${failure}`,
			description: `Publish ID ${request.publishId} was not completed (TikTok does not hold this chunk), so it cannot become a post; run the item again to start a new upload.`,
			itemIndex: request.itemIndex,
		},
	);
}

function cancelled(this: IExecuteFunctions, request: ChunkRequest): NodeOperationError {
	return new NodeOperationError(this.getNode(), 'The upload was cancelled', {
		itemIndex: request.itemIndex,
	});
}

function uploadError(
	this: IExecuteFunctions,
	statusCode: number,
	request: ChunkRequest,
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
