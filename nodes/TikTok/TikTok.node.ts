import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import { tikTokUnattendedApiTest } from './methods/credentialTest';
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
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'OAuth2 (Connect Button)', value: 'oAuth2' },
					{ name: 'Unattended (Auto-Refresh)', value: 'unattended' },
				],
				description:
					'Connect Button: one click, but TikTok tokens then need a reconnect after about a day. Unattended: keeps refreshing by itself, for scheduled workflows.',
				default: 'oAuth2',
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
