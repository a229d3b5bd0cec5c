import type { INodeProperties } from 'n8n-workflow';

import * as getUserInfo from './getUserInfo.operation';

export { getUserInfo };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Get User Info',
				value: 'getUserInfo',
				description: "Get the connected account's profile",
				action: 'Get user info',
			},
		],
		default: 'getUserInfo',
	},
	...getUserInfo.description,
];
