import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { requireFields } from '../../helpers/fieldList';
import { tikTokApiRequest } from '../../transport';

/** Fields of /v2/user/info/ and the scope each needs (docs/tiktok-api.md#user-info). */
const USER_FIELDS: Array<{ field: string; label: string; scope: string }> = [
	{ field: 'open_id', label: 'Open ID', scope: 'user.info.basic' },
	{ field: 'union_id', label: 'Union ID', scope: 'user.info.basic' },
	{ field: 'avatar_url', label: 'Avatar URL', scope: 'user.info.basic' },
	{
		field: 'avatar_url_100',
		label: 'Avatar URL 100px',
		scope: 'user.info.basic',
	},
	{
		field: 'avatar_large_url',
		label: 'Avatar Large URL',
		scope: 'user.info.basic',
	},
	{ field: 'display_name', label: 'Display Name', scope: 'user.info.basic' },
	{
		field: 'bio_description',
		label: 'Bio Description',
		scope: 'user.info.profile',
	},
	{
		field: 'profile_deep_link',
		label: 'Profile Deep Link',
		scope: 'user.info.profile',
	},
	{ field: 'is_verified', label: 'Is Verified', scope: 'user.info.profile' },
	{ field: 'username', label: 'Username', scope: 'user.info.profile' },
	{
		field: 'follower_count',
		label: 'Follower Count',
		scope: 'user.info.stats',
	},
	{
		field: 'following_count',
		label: 'Following Count',
		scope: 'user.info.stats',
	},
	{ field: 'likes_count', label: 'Likes Count', scope: 'user.info.stats' },
	{ field: 'video_count', label: 'Video Count', scope: 'user.info.stats' },
];

const properties: INodeProperties[] = [
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'multiOptions',
		// Grouped by scope: the scope is part of each name, in TikTok's order basic → profile → stats.
		options: USER_FIELDS.map(({ field, label, scope }) => ({
			name: `${label} (${scope})`,
			value: field,
		})),
		default: ['open_id', 'union_id', 'avatar_url', 'display_name'],
		required: true,
		description:
			'Which user fields to return. Profile and stats fields need the user.info.profile and user.info.stats scopes on the credential.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['getUserInfo'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const fields = requireFields.call(
		this,
		itemIndex,
		'Pick at least one field in "Fields", e.g. Display Name.',
	);
	const known = new Set(USER_FIELDS.map(({ field }) => field));
	const unknown = fields.filter((field) => !known.has(field));
	if (unknown.length) {
		throw new NodeOperationError(this.getNode(), `Unknown user field(s): ${unknown.join(', ')}`, {
			itemIndex,
			description: `Choose from: ${[...known].join(', ')}`,
		});
	}

	const data = await tikTokApiRequest.call(this, 'GET', '/v2/user/info/', itemIndex, undefined, {
		fields: fields.join(','),
	});
	const user = (data.user ?? {}) as IDataObject;
	const json: IDataObject = {};
	for (const field of fields) if (field in user) json[field] = user[field];
	return [{ json, pairedItem: { item: itemIndex } }];
}
