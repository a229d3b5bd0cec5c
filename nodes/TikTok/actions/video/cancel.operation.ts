import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { tikTokApiRequest } from '../../transport';
import { requirePublishId } from '../publishStatus';

const properties: INodeProperties[] = [
	{
		displayName: 'Publish ID',
		name: 'publishId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'v_pub_url~v2.123456789',
		description:
			'The publish_id of an upload from a URL that TikTok is still downloading. Uploads of files and finished downloads cannot be cancelled (publish_not_cancellable).',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['video'], operation: ['cancel'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const publishId = requirePublishId.call(this, itemIndex);
	await tikTokApiRequest.call(this, 'POST', '/v2/post/publish/cancel/', itemIndex, {
		publish_id: publishId,
	});
	return [
		{
			json: { publish_id: publishId, cancelled: true },
			pairedItem: { item: itemIndex },
		},
	];
}
