import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as checkStatus from './checkStatus.operation';
import * as directPost from './directPost.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as uploadDraft from './uploadDraft.operation';

export { cancel, checkStatus, directPost, get, getMany, uploadDraft };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['video'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				description: 'Cancel an upload from a URL that TikTok is still downloading',
				action: 'Cancel a URL upload that is still downloading',
			},
			{
				name: 'Check Status',
				value: 'checkStatus',
				description: 'Get the processing status of an upload or post',
				action: 'Check the status of a video or photo post by the publish ID its upload returned',
			},
			{
				name: 'Direct Post',
				value: 'directPost',
				description: "Post a video straight to the creator's profile",
				action: 'Post a video directly to the creator profile',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get published videos by ID: share link, embed link, title, counts',
				action: 'Get published videos by post ID',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: "List the creator's public videos",
				action: 'Get many public videos of the creator',
			},
			{
				name: 'Upload Draft',
				value: 'uploadDraft',
				description: "Send a video to the creator's TikTok inbox as a draft",
				action: 'Upload a video to the creator inbox as a draft',
			},
		],
		default: 'uploadDraft',
	},
	...uploadDraft.description,
	...directPost.description,
	...checkStatus.description,
	...cancel.description,
	...get.description,
	...getMany.description,
];
