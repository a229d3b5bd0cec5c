import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	chunkSizeOption,
	skipVideoCheckOption,
	videoSourceProperties,
	waitOptions,
} from '../common.descriptions';
import { waitAfterPosting, waitSettingsFrom } from '../publishStatus';
import { startVideoUpload } from '../videoUpload';

const properties: INodeProperties[] = [
	{
		displayName:
			"The video goes to the creator's TikTok inbox as a draft. The creator opens the inbox notification in the TikTok app to add the caption, choose who can see it and post. TikTok allows 5 waiting drafts per 24 hours and 6 uploads per minute.",
		name: 'inboxNotice',
		type: 'notice',
		default: '',
	},
	...videoSourceProperties,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [chunkSizeOption, skipVideoCheckOption, ...waitOptions],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['video'], operation: ['uploadDraft'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const wait = waitSettingsFrom.call(this, itemIndex, options);
	const upload = await startVideoUpload.call(this, itemIndex, '/v2/post/publish/inbox/video/init/');
	const json: IDataObject = {
		...upload,
		status_hint:
			'Uploaded. Open the TikTok app inbox to finish the post: caption and privacy are chosen there.',
	};
	if (wait) {
		Object.assign(
			json,
			await waitAfterPosting.call(this, itemIndex, String(upload.publish_id), wait),
		);
	}
	return [{ json, pairedItem: { item: itemIndex } }];
}
