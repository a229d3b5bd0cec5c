import type { INodeProperties } from 'n8n-workflow';

import * as post from './post.operation';

export { post };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['photo'] } },
		options: [
			{
				name: 'Post',
				value: 'post',
				description: 'Post photos (1–35) from URLs, directly or as an inbox draft',
				action: 'Post photos by URL directly or as a draft',
			},
		],
		default: 'post',
	},
	...post.description,
];
