import type { INodeProperties } from 'n8n-workflow';

import * as getCreatorInfo from './getCreatorInfo.operation';
import * as getUserInfo from './getUserInfo.operation';

export { getCreatorInfo, getUserInfo };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Get Creator Info',
				value: 'getCreatorInfo',
				description:
					'Get what the creator can post now: privacy levels, interactions, max duration',
				action: 'Get what the creator can post now',
			},
			{
				name: 'Get User Info',
				value: 'getUserInfo',
				description: "Get the connected account's profile",
				action: 'Get the profile of the connected account',
			},
		],
		default: 'getUserInfo',
	},
	...getUserInfo.description,
	...getCreatorInfo.description,
];
