import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { tikTokApiRequest } from '../../transport';
import { privacyLevelProperty, waitOptions } from '../common.descriptions';
import { checkAgainstCreator, fetchCreatorInfo, requireMaxLength } from '../postRules';
import { waitAfterPosting, waitSettingsFrom } from '../publishStatus';
import { requireHttpsUrl, requirePublishIdFrom } from '../videoUpload';

const MAX_PHOTOS = 35;
/** URL file extensions TikTok's photo formats have; a URL without an extension is not judged. */
const PHOTO_EXTENSIONS = ['jpg', 'jpeg', 'webp'];
const MAX_TITLE_LENGTH = 90;
const MAX_DESCRIPTION_LENGTH = 4000;
const directOnly = { show: { postMode: ['directPost'] } };

const properties: INodeProperties[] = [
	{
		displayName: 'Post Mode',
		name: 'postMode',
		type: 'options',
		options: [
			{
				name: 'Draft in the Inbox',
				value: 'draft',
				description: 'The creator finishes the post in the TikTok app (scope video.upload)',
			},
			{
				name: 'Direct Post',
				value: 'directPost',
				description: "Post straight to the creator's profile (scope video.publish)",
			},
		],
		default: 'draft',
	},
	{
		displayName: 'Photo URLs',
		name: 'photoUrls',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'https://media.example.com/photos/1.jpg',
		description:
			'Up to 35 https image URLs on a domain or URL prefix verified for your TikTok app: one per line or comma-separated, or an array from an expression',
	},
	{
		displayName: 'Cover Photo Index',
		name: 'coverIndex',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Which photo is the cover, counted from 0',
	},
	{ ...privacyLevelProperty, displayOptions: directOnly },
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		description: 'At most 90 characters',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'The caption with #hashtags and @mentions, at most 4000 characters',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allow Comments (Direct Post)',
				name: 'allowComment',
				type: 'boolean',
				default: false,
				description: 'Whether viewers may comment',
			},
			{
				displayName: 'Auto-Add Music (Direct Post)',
				name: 'autoAddMusic',
				type: 'boolean',
				default: false,
				description: 'Whether TikTok adds recommended music',
			},
			{
				displayName: 'Your Brand (Direct Post)',
				name: 'brandOrganic',
				type: 'boolean',
				default: false,
				description: "Whether the post promotes the creator's own business",
			},
			{
				displayName: 'Branded Content (Direct Post)',
				name: 'brandContent',
				type: 'boolean',
				default: false,
				description: 'Whether the post is a paid partnership with a third-party brand',
			},
			...waitOptions,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['photo'], operation: ['post'] } },
	properties,
);

function photoUrlsFrom(this: IExecuteFunctions, itemIndex: number): string[] {
	const raw = this.getNodeParameter('photoUrls', itemIndex, '') as unknown;
	const list = Array.isArray(raw)
		? raw
		: String(raw ?? '')
				.split(/[\n,]/)
				.map((url) => url.trim())
				.filter(Boolean);
	if (list.length === 0 || list.length > MAX_PHOTOS) {
		throw new NodeOperationError(
			this.getNode(),
			`A photo post takes 1 to ${MAX_PHOTOS} photos, not ${list.length}`,
			{ itemIndex, description: 'Give one https URL per line (or an array of URLs).' },
		);
	}
	return list.map((url, i) => {
		const href = requireHttpsUrl.call(this, itemIndex, url, `photo URL ${i + 1}`);
		const extension = /\.([a-z0-9]{2,5})$/i.exec(new URL(href).pathname)?.[1]?.toLowerCase();
		if (extension && !PHOTO_EXTENSIONS.includes(extension)) {
			throw new NodeOperationError(
				this.getNode(),
				`Photo URL ${i + 1} is a .${extension} file; TikTok takes JPEG or WebP photos only`,
				{
					itemIndex,
					description:
						'Convert the photo to JPEG or WebP (at most 1080p, 20 MB), e.g. with the Edit Image node, and host that file.',
				},
			);
		}
		return href;
	});
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const directPost = this.getNodeParameter('postMode', itemIndex, 'draft') === 'directPost';
	const photos = photoUrlsFrom.call(this, itemIndex);
	const coverIndex = Number(this.getNodeParameter('coverIndex', itemIndex, 0));
	if (!Number.isInteger(coverIndex) || coverIndex < 0 || coverIndex >= photos.length) {
		throw new NodeOperationError(
			this.getNode(),
			`Cover photo index ${coverIndex} is outside 0–${photos.length - 1}`,
			{ itemIndex, description: 'Count photos from 0: the first photo is 0.' },
		);
	}
	const title = String(this.getNodeParameter('title', itemIndex, '') ?? '');
	const text = String(this.getNodeParameter('description', itemIndex, '') ?? '');
	requireMaxLength.call(this, itemIndex, title, MAX_TITLE_LENGTH, 'title');
	requireMaxLength.call(this, itemIndex, text, MAX_DESCRIPTION_LENGTH, 'description');
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const wait = waitSettingsFrom.call(this, itemIndex, options);

	const postInfo: IDataObject = { title, description: text };
	let creatorNickname: unknown;
	if (directPost) {
		const privacyLevel = String(this.getNodeParameter('privacyLevel', itemIndex, '')).trim();
		const creator = await fetchCreatorInfo.call(this, itemIndex);
		checkAgainstCreator.call(this, itemIndex, creator, {
			privacyLevel,
			allowComment: options.allowComment === true,
			brandContent: options.brandContent === true,
		});
		creatorNickname = creator.creator_nickname;
		Object.assign(postInfo, {
			privacy_level: privacyLevel,
			disable_comment: options.allowComment !== true,
			auto_add_music: options.autoAddMusic === true,
			brand_content_toggle: options.brandContent === true,
			brand_organic_toggle: options.brandOrganic === true,
		});
	}
	const data = await tikTokApiRequest.call(
		this,
		'POST',
		'/v2/post/publish/content/init/',
		itemIndex,
		{
			post_info: postInfo,
			source_info: {
				source: 'PULL_FROM_URL',
				photo_cover_index: coverIndex,
				photo_images: photos,
			},
			post_mode: directPost ? 'DIRECT_POST' : 'MEDIA_UPLOAD',
			media_type: 'PHOTO',
		},
	);
	const publishId = requirePublishIdFrom.call(this, itemIndex, data);
	const json: IDataObject = {
		publish_id: publishId,
		post_mode: directPost ? 'DIRECT_POST' : 'MEDIA_UPLOAD',
		photo_count: photos.length,
		...(creatorNickname ? { creator_nickname: creatorNickname } : {}),
		status_hint: directPost
			? 'Sent. TikTok downloads the photos, then posts them (check the status).'
			: "Sent. TikTok downloads the photos into the creator's inbox (the TikTok app must be 31.8 or newer).",
	};
	if (wait) Object.assign(json, await waitAfterPosting.call(this, itemIndex, publishId, wait));
	return [{ json, pairedItem: { item: itemIndex } }];
}
