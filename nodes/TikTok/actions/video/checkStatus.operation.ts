import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { waitOptions } from '../common.descriptions';
import {
	fetchStatus,
	requirePublishId,
	waitForCompletion,
	waitSettingsFrom,
} from '../publishStatus';

const properties: INodeProperties[] = [
	{
		displayName: 'Publish ID',
		name: 'publishId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'v_inbox_file~v2.123456789',
		description: 'The publish_id returned by an upload or post',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: waitOptions,
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
	const publishId = requirePublishId.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const wait = waitSettingsFrom.call(this, itemIndex, options);
	const json = wait
		? await waitForCompletion.call(this, itemIndex, publishId, wait)
		: await fetchStatus.call(this, itemIndex, publishId);
	return [{ json, pairedItem: { item: itemIndex } }];
}
