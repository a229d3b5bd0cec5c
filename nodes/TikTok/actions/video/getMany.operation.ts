import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { requireFields } from '../../helpers/fieldList';
import { tikTokApiRequest } from '../../transport';
import { VIDEO_FIELDS, withExactId } from './videoFields';

/** TikTok returns at most 20 videos a page. */
const PAGE_SIZE = 20;

const properties: INodeProperties[] = [
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'multiOptions',
		options: VIDEO_FIELDS.map((field) => ({ name: field, value: field })),
		default: ['id', 'title', 'create_time', 'share_url'],
		description: 'Which video fields to return (scope video.list)',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['video'], operation: ['getMany'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const fields = requireFields.call(
		this,
		itemIndex,
		'Pick at least one video field, e.g. id and title.',
	);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : Number(this.getNodeParameter('limit', itemIndex, 50));
	const videos: IDataObject[] = [];
	let cursor: number | undefined;
	while (videos.length < limit) {
		const data = await tikTokApiRequest.call(
			this,
			'POST',
			'/v2/video/list/',
			itemIndex,
			{ max_count: Math.min(PAGE_SIZE, limit - videos.length), ...(cursor ? { cursor } : {}) },
			{ fields: fields.join(',') },
		);
		const page = (data.videos as IDataObject[] | undefined) ?? [];
		videos.push(...page.map(withExactId));
		if (data.has_more !== true || page.length === 0) break;
		cursor = Number(data.cursor);
	}
	return videos.slice(0, limit).map((json) => ({ json, pairedItem: { item: itemIndex } }));
}
