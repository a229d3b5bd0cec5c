import type { INodeProperties } from 'n8n-workflow';

import * as checkStatus from './checkStatus.operation';
import * as uploadDraft from './uploadDraft.operation';

export { checkStatus, uploadDraft };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['video'] } },
		options: [
			{
				name: 'Check Status',
				value: 'checkStatus',
				description: 'Get the processing status of an upload or post',
				action: 'Check the status of a video',
			},
			{
				name: 'Upload Draft',
				value: 'uploadDraft',
				description: "Send a video to the creator's TikTok inbox as a draft",
				action: 'Upload a video as a draft',
			},
		],
		default: 'uploadDraft',
	},
	...uploadDraft.description,
	...checkStatus.description,
];
