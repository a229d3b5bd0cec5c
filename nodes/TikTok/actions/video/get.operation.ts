import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { requireFields } from '../../helpers/fieldList';
import { tikTokApiRequest } from '../../transport';
import { VIDEO_FIELDS, withExactId } from './videoFields';

/** TikTok's video query takes 1 to 20 ids per request. */
const MAX_IDS = 20;
/** Video and post ids are decimal numbers of up to 19 digits (and more in future). */
const VIDEO_ID_PATTERN = /^\d{1,30}$/;

const properties: INodeProperties[] = [
	{
		displayName: 'Video IDs',
		name: 'videoIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.post_id }} or {{ $json.publicaly_available_post_id }}',
		description:
			"IDs of the creator's published videos (1 to 20): the TikTok Trigger's post_id, Check Status's publicaly_available_post_id or Get Many's ID; comma-separated, one per line, or an array from an expression",
	},
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'multiOptions',
		options: VIDEO_FIELDS.map((field) => ({ name: field, value: field })),
		default: ['id', 'title', 'share_url', 'embed_link', 'create_time'],
		description: 'Which video fields to return (scope video.list)',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['video'], operation: ['get'] } },
	properties,
);

function videoIdsFrom(this: IExecuteFunctions, itemIndex: number): string[] {
	const raw = this.getNodeParameter('videoIds', itemIndex, '') as unknown;
	const list = (Array.isArray(raw) ? raw : String(raw ?? '').split(/[\n,]/))
		.map((id) => String(id).trim())
		.filter(Boolean);
	const ids = [...new Set(list)];
	const bad = ids.find((id) => !VIDEO_ID_PATTERN.test(id));
	if (bad !== undefined || ids.length === 0 || ids.length > MAX_IDS) {
		throw new NodeOperationError(
			this.getNode(),
			bad !== undefined
				? `"${bad}" is not a TikTok video ID`
				: `Get takes 1 to ${MAX_IDS} video IDs, not ${ids.length}`,
			{
				itemIndex,
				description:
					'Use the digits of a published video ID, e.g. {{ $json.post_id }} from the TikTok Trigger or {{ $json.publicaly_available_post_id }} from Check Status. For more than 20, split the items (Loop Over Items).',
			},
		);
	}
	return ids;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const ids = videoIdsFrom.call(this, itemIndex);
	const fields = requireFields.call(
		this,
		itemIndex,
		'Pick at least one video field, e.g. id and share_url.',
	);
	// The id is always asked for, so every item says which video it is.
	const asked = fields.includes('id') ? fields : ['id', ...fields];
	const data = await tikTokApiRequest.call(
		this,
		'POST',
		'/v2/video/query/',
		itemIndex,
		{ filters: { video_ids: ids } },
		{ fields: asked.join(',') },
	);
	const videos = ((data.videos as IDataObject[] | undefined) ?? []).map(withExactId);
	// TikTok leaves out ids it does not know (deleted, private, another account's): say so per id.
	const found = new Set(videos.map((video) => String(video.id)));
	const missing = ids.filter((id) => !found.has(id));
	return [
		...videos.map((json) => ({ json, pairedItem: { item: itemIndex } })),
		...missing.map((id) => ({
			json: {
				id,
				found: false,
				hint: "TikTok returned no video with this ID for the connected account: it is not published yet, private, deleted, or another account's.",
			} as IDataObject,
			pairedItem: { item: itemIndex },
		})),
	];
}
