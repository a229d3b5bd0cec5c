import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_CHUNK_BYTES, planChunks } from '../helpers/chunkPlan';
import type { VideoFacts } from '../helpers/videoFacts';
import { readVideoFacts } from '../helpers/videoFacts';
import { videoRuleProblems } from '../helpers/videoRules';
import type { VideoSource } from '../helpers/videoSource';
import { getVideoSource } from '../helpers/videoSource';
import { uploadChunks } from '../transport/chunkUpload';
import { tikTokApiRequest } from '../transport';

const BYTES_PER_MB = 1_000_000;

/** An https URL, checked before TikTok is called (TikTok refuses anything else). */
export function requireHttpsUrl(
	this: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	what: string,
): string {
	const text = typeof value === 'string' ? value.trim() : '';
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		// not a URL: refused below
	}
	if (!url || url.protocol !== 'https:') {
		throw new NodeOperationError(
			this.getNode(),
			text ? `The ${what} "${text}" is not an https URL` : `The ${what} is empty`,
			{
				itemIndex,
				description:
					'TikTok only downloads from https URLs on a domain or URL prefix verified for your app.',
			},
		);
	}
	return url.href;
}

/**
 * Starts a video upload at `initPath` (inbox draft or Direct Post): for a binary, plans the
 * chunks, inits and streams every chunk; for a URL, inits a pull. Returns the item's output.
 */
export async function startVideoUpload(
	this: IExecuteFunctions,
	itemIndex: number,
	initPath: string,
	postInfo?: IDataObject,
	limits: { maxDurationSec?: number } = {},
): Promise<IDataObject> {
	const source = this.getNodeParameter('videoSource', itemIndex, 'binary') as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		chunkSize?: number;
		skipVideoCheck?: boolean;
	};
	const post = postInfo ? { post_info: postInfo } : {};

	if (source === 'url') {
		const videoUrl = requireHttpsUrl.call(
			this,
			itemIndex,
			this.getNodeParameter('videoUrl', itemIndex),
			'Video URL',
		);
		const data = await tikTokApiRequest.call(this, 'POST', initPath, itemIndex, {
			...post,
			source_info: { source: 'PULL_FROM_URL', video_url: videoUrl },
		});
		return { publish_id: requirePublishIdFrom.call(this, itemIndex, data), video_url: videoUrl };
	}

	const binaryPropertyName = (
		this.getNodeParameter('binaryPropertyName', itemIndex) as string
	).trim();
	const chunkSizeMb = Number(options.chunkSize ?? DEFAULT_CHUNK_BYTES / BYTES_PER_MB);
	if (!Number.isFinite(chunkSizeMb)) {
		throw new NodeOperationError(
			this.getNode(),
			`Chunk Size must be a number, not "${String(options.chunkSize)}"`,
			{ itemIndex, description: 'Set Chunk Size (MB) to a number from 5.3 to 64, e.g. 10.' },
		);
	}
	const chunkBytes = Math.round(chunkSizeMb * BYTES_PER_MB);
	const video = await getVideoSource.call(this, itemIndex, binaryPropertyName);
	let plan;
	try {
		plan = planChunks(video.size, chunkBytes);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			itemIndex,
			description: 'Upload a video between 1 byte and 4 GB; chunk sizes must be 5.3–64 MB.',
		});
	}
	const check = await checkVideo.call(this, itemIndex, video, {
		...limits,
		skip: options.skipVideoCheck === true,
	});
	const data = await tikTokApiRequest.call(this, 'POST', initPath, itemIndex, {
		...post,
		source_info: {
			source: 'FILE_UPLOAD',
			video_size: plan.videoSize,
			chunk_size: plan.chunkSize,
			total_chunk_count: plan.totalChunkCount,
		},
	});
	const publishId = requirePublishIdFrom.call(this, itemIndex, data);
	if (typeof data.upload_url !== 'string') {
		throw new NodeOperationError(this.getNode(), 'TikTok did not return an upload URL', {
			itemIndex,
		});
	}
	const { lostAnswers } = await uploadChunks.call(
		this,
		data.upload_url,
		video.chunks(plan),
		plan,
		video.mimeType,
		{ itemIndex, publishId },
	);
	return {
		publish_id: publishId,
		video_size: plan.videoSize,
		chunk_size: plan.chunkSize,
		total_chunk_count: plan.totalChunkCount,
		mime_type: video.mimeType,
		...(video.fileName ? { file_name: video.fileName } : {}),
		...check,
		// Chunks whose answer was lost and that the publish id's status showed as stored.
		...(lostAnswers ? { chunk_answers_confirmed_by_status: lostAnswers } : {}),
	};
}

/**
 * What TikTok would fail minutes after the upload (too long, sides or frame rate out of range, a
 * codec it does not take), read from the file's own header before anything is sent. Returns the
 * facts for the output; a fact the header does not give is not judged, and the output says why.
 */
async function checkVideo(
	this: IExecuteFunctions,
	itemIndex: number,
	video: VideoSource,
	{ skip, maxDurationSec }: { skip: boolean; maxDurationSec?: number },
): Promise<IDataObject> {
	if (skip) return { video_check: 'skipped (Skip Video Check is on)' };
	const facts = await readVideoFacts(video.pieces());
	const problems = videoRuleProblems(facts, { maxDurationSec });
	if (problems.length) {
		throw new NodeOperationError(this.getNode(), problems[0], {
			itemIndex,
			description:
				`${problems.slice(1).join(' ')} Nothing was sent to TikTok. Fix the video, or turn on the option Skip Video Check if the check misread the file.`.trim(),
		});
	}
	return {
		...factsOutput(facts),
		video_check: facts.problem ? `incomplete: ${facts.problem}` : 'passed',
	};
}

function factsOutput(facts: VideoFacts): IDataObject {
	const output: IDataObject = {};
	if (facts.durationSec !== undefined)
		output.duration_sec = Math.round(facts.durationSec * 1000) / 1000;
	if (facts.width !== undefined) output.width = facts.width;
	if (facts.height !== undefined) output.height = facts.height;
	if (facts.frameRate !== undefined) output.frame_rate = Math.round(facts.frameRate * 100) / 100;
	if (facts.codec !== undefined) output.codec = facts.codec;
	return output;
}

export function requirePublishIdFrom(
	this: IExecuteFunctions,
	itemIndex: number,
	data: IDataObject,
): string {
	const publishId = String(data.publish_id ?? '');
	if (!publishId) {
		throw new NodeOperationError(this.getNode(), 'TikTok did not return a publish ID', {
			itemIndex,
		});
	}
	return publishId;
}
