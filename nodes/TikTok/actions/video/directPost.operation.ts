import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	chunkSizeOption,
	privacyLevelProperty,
	skipVideoCheckOption,
	videoSourceProperties,
	waitOptions,
} from '../common.descriptions';
import { checkAgainstCreator, fetchCreatorInfo, requireMaxLength } from '../postRules';
import { waitAfterPosting, waitSettingsFrom } from '../publishStatus';
import { startVideoUpload } from '../videoUpload';

const MAX_TITLE_LENGTH = 2200;

const properties: INodeProperties[] = [
	{
		displayName:
			"Posts the video straight to the creator's profile (scope video.publish). By posting, the creator agrees to TikTok's Music Usage Confirmation (and, for branded content, the Branded Content Policy). Unaudited TikTok apps can only post as Only Me from a private account.",
		name: 'directPostNotice',
		type: 'notice',
		default: '',
	},
	...videoSourceProperties,
	privacyLevelProperty,
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'The caption, with #hashtags and @mentions (at most 2200 characters)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'AI-Generated Content',
				name: 'isAiGenerated',
				type: 'boolean',
				default: false,
				description: 'Whether TikTok should label the video as AI-generated',
			},
			{
				displayName: 'Allow Comments',
				name: 'allowComment',
				type: 'boolean',
				default: false,
				description: 'Whether viewers may comment (off unless the creator allows comments)',
			},
			{
				displayName: 'Allow Duets',
				name: 'allowDuet',
				type: 'boolean',
				default: false,
				description: 'Whether viewers may duet this video',
			},
			{
				displayName: 'Allow Stitches',
				name: 'allowStitch',
				type: 'boolean',
				default: false,
				description: 'Whether viewers may stitch this video',
			},
			{
				displayName: 'Branded Content (Paid Partnership)',
				name: 'brandContent',
				type: 'boolean',
				default: false,
				description: 'Whether the video promotes a third-party brand in exchange for something',
			},
			{
				displayName: 'Cover Frame (Ms)',
				name: 'videoCoverTimestampMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Which moment of the video becomes the cover, in milliseconds',
			},
			{
				displayName: 'Your Brand (Promotional Content)',
				name: 'brandOrganic',
				type: 'boolean',
				default: false,
				description: "Whether the video promotes the creator's own business",
			},
			chunkSizeOption,
			skipVideoCheckOption,
			...waitOptions,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['video'], operation: ['directPost'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const privacyLevel = String(this.getNodeParameter('privacyLevel', itemIndex, '')).trim();
	const title = String(this.getNodeParameter('title', itemIndex, '') ?? '');
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const wait = waitSettingsFrom.call(this, itemIndex, options);
	requireMaxLength.call(this, itemIndex, title, MAX_TITLE_LENGTH, 'title');
	const choices = {
		privacyLevel,
		allowComment: options.allowComment === true,
		allowDuet: options.allowDuet === true,
		allowStitch: options.allowStitch === true,
		brandContent: options.brandContent === true,
	};

	// Fresh creator info before every post, as TikTok requires; "cannot post now" codes stop here.
	const creator = await fetchCreatorInfo.call(this, itemIndex);
	checkAgainstCreator.call(this, itemIndex, creator, choices);

	const postInfo: IDataObject = {
		title,
		privacy_level: privacyLevel,
		disable_comment: !choices.allowComment,
		disable_duet: !choices.allowDuet,
		disable_stitch: !choices.allowStitch,
		brand_content_toggle: choices.brandContent,
		brand_organic_toggle: options.brandOrganic === true,
		is_aigc: options.isAiGenerated === true,
		...(options.videoCoverTimestampMs
			? { video_cover_timestamp_ms: Number(options.videoCoverTimestampMs) }
			: {}),
	};
	// TikTok's guidelines: a Direct Post client stops videos longer than the creator may post.
	const maxDurationSec = Number(creator.max_video_post_duration_sec);
	const upload = await startVideoUpload.call(
		this,
		itemIndex,
		'/v2/post/publish/video/init/',
		postInfo,
		Number.isFinite(maxDurationSec) && maxDurationSec > 0 ? { maxDurationSec } : {},
	);
	const json: IDataObject = {
		...upload,
		privacy_level: privacyLevel,
		creator_nickname: creator.creator_nickname,
		status_hint: 'Sent. TikTok processes the video, then posts it (check the status).',
	};
	if (wait) {
		Object.assign(
			json,
			await waitAfterPosting.call(this, itemIndex, String(upload.publish_id), wait),
		);
	}
	return [{ json, pairedItem: { item: itemIndex } }];
}
