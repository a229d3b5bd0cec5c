import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { DEFAULT_CHUNK_BYTES, planChunks } from '../../helpers/chunkPlan';
import { getVideoSource } from '../../helpers/videoSource';
import { uploadChunks } from '../../transport/chunkUpload';
import { tikTokApiRequest } from '../../transport';

const BYTES_PER_MB = 1_000_000;

const properties: INodeProperties[] = [
	{
		displayName:
			"The video goes to the creator's TikTok inbox as a draft. The creator opens the inbox notification in the TikTok app to add the caption, choose who can see it and post. TikTok allows 5 waiting drafts per 24 hours and 6 uploads per minute.",
		name: 'inboxNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field holding the video (MP4, MOV or WebM, up to 4 GB)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Chunk Size (MB)',
				name: 'chunkSize',
				type: 'number',
				typeOptions: { minValue: 5.3, maxValue: 64, numberPrecision: 1 },
				default: 10,
				description:
					'Size of each upload piece in millions of bytes (5.3–64). Videos up to 64 MB go in one piece. n8n holds at most about two pieces in memory.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['video'], operation: ['uploadDraft'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const binaryPropertyName = (
		this.getNodeParameter('binaryPropertyName', itemIndex) as string
	).trim();
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		chunkSize?: number;
	};
	const chunkBytes = Math.round(
		(options.chunkSize ?? DEFAULT_CHUNK_BYTES / BYTES_PER_MB) * BYTES_PER_MB,
	);

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

	const data = await tikTokApiRequest.call(
		this,
		'POST',
		'/v2/post/publish/inbox/video/init/',
		itemIndex,
		{
			source_info: {
				source: 'FILE_UPLOAD',
				video_size: plan.videoSize,
				chunk_size: plan.chunkSize,
				total_chunk_count: plan.totalChunkCount,
			},
		},
	);
	const publishId = String(data.publish_id ?? '');
	const uploadUrl = data.upload_url;
	if (!publishId || typeof uploadUrl !== 'string') {
		throw new NodeOperationError(
			this.getNode(),
			'TikTok did not return a publish ID and upload URL',
			{
				itemIndex,
			},
		);
	}

	await uploadChunks.call(this, uploadUrl, video.chunks(plan), plan, video.mimeType, {
		itemIndex,
		publishId,
	});

	return [
		{
			json: {
				publish_id: publishId,
				video_size: plan.videoSize,
				chunk_size: plan.chunkSize,
				total_chunk_count: plan.totalChunkCount,
				mime_type: video.mimeType,
				...(video.fileName ? { file_name: video.fileName } : {}),
				status_hint:
					'Uploaded. Open the TikTok app inbox to finish the post: caption and privacy are chosen there.',
			},
			pairedItem: { item: itemIndex },
		},
	];
}
