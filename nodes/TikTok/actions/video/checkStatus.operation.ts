import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { tikTokApiRequest } from '../../transport';

/** Observed formats: v_inbox_file~v2.123, v_pub_file~v2-1.123, p_pub_url~v2.123 (≤ 64 chars). */
const PUBLISH_ID_PATTERN = /^[A-Za-z0-9_.~-]{1,64}$/;

const STATUS_HINTS: Record<string, string> = {
	PROCESSING_UPLOAD: 'TikTok is receiving or processing the upload. Check again in a minute.',
	PROCESSING_DOWNLOAD: 'TikTok is downloading the video from its URL. Check again in a minute.',
	SEND_TO_USER_INBOX:
		"The draft is in the creator's TikTok inbox. The creator finishes the post in the TikTok app.",
	PUBLISH_COMPLETE: 'Posted. Post IDs appear once the post is public and passed moderation.',
	FAILED: 'TikTok could not process the post; see fail_reason.',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Publish ID',
		name: 'publishId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'v_inbox_file~v2.123456789',
		description: 'The publish_id returned by Upload Draft',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['video'], operation: ['checkStatus'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const publishId = String(this.getNodeParameter('publishId', itemIndex) ?? '').trim();
	if (!PUBLISH_ID_PATTERN.test(publishId)) {
		throw new NodeOperationError(
			this.getNode(),
			publishId ? `"${publishId}" is not a TikTok publish ID` : 'The Publish ID is empty',
			{
				itemIndex,
				description:
					'Use the publish_id that Upload Draft returned, e.g. the expression {{ $json.publish_id }} (looks like v_inbox_file~v2.123456789).',
			},
		);
	}

	const data = await tikTokApiRequest.call(
		this,
		'POST',
		'/v2/post/publish/status/fetch/',
		itemIndex,
		{
			publish_id: publishId,
		},
	);
	const status = String(data.status ?? '');
	const json: IDataObject = {
		publish_id: publishId,
		status,
		status_hint: STATUS_HINTS[status] ?? '',
		// Strings: TikTok's 19-digit ids are parsed losslessly by the transport.
		publicaly_available_post_id: ((data.publicaly_available_post_id as unknown[]) ?? []).map(
			String,
		),
	};
	if (status === 'FAILED' || data.fail_reason) json.fail_reason = data.fail_reason ?? '';
	if (data.uploaded_bytes !== undefined) json.uploaded_bytes = Number(data.uploaded_bytes);
	if (data.downloaded_bytes !== undefined) json.downloaded_bytes = Number(data.downloaded_bytes);
	return [{ json, pairedItem: { item: itemIndex } }];
}
