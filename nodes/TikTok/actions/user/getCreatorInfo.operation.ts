import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { fetchCreatorInfo } from '../postRules';

const properties: INodeProperties[] = [
	{
		displayName:
			'What the creator can post right now: nickname, privacy levels offered, whether comments, duets and stitches are turned off, and the longest video allowed (scope video.publish).',
		name: 'creatorInfoNotice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['getCreatorInfo'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const json = await fetchCreatorInfo.call(this, itemIndex);
	return [{ json, pairedItem: { item: itemIndex } }];
}
