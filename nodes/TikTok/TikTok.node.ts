import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { tikTokUnattendedApiTest } from '../shared/credentialTest';
import { authenticationProperty } from '../shared/descriptions';
import { router } from './actions/router';
import { getPrivacyLevels } from './methods/loadOptions';
import * as photo from './actions/photo/Photo.resource';
import * as user from './actions/user/User.resource';
import * as video from './actions/video/Video.resource';

export class TikTok implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TikTok',
		name: 'tikTok',
		icon: {
			light: 'file:../../icons/tiktok.svg',
			dark: 'file:../../icons/tiktok.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Upload videos to TikTok as drafts, check their status and read account info',
		defaults: { name: 'TikTok' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Literal names: n8n's lint checks a node's credentials only as written here.
		credentials: [
			{
				name: 'tikTokOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
			{
				name: 'tikTokUnattendedApi',
				required: true,
				testedBy: 'tikTokUnattendedApiTest',
				displayOptions: { show: { authentication: ['unattended'] } },
			},
		],
		properties: [
			{
				...authenticationProperty,
				description:
					'Connect Button: one click, but TikTok tokens then need a reconnect after about a day. Unattended: keeps refreshing by itself, for scheduled workflows.',
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Video', value: 'video' },
					{ name: 'Photo', value: 'photo' },
					{ name: 'User', value: 'user' },
				],
				default: 'video',
			},
			...video.description,
			...photo.description,
			...user.description,
		],
	};

	methods = {
		credentialTest: { tikTokUnattendedApiTest },
		loadOptions: { getPrivacyLevels },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
