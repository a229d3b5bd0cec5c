import type { INodeProperties } from 'n8n-workflow';

import { MIN_POLL_SECONDS } from './publishStatus';

// Form fields more than one operation shows; what they mean in code is in videoUpload.ts,
// publishStatus.ts and postRules.ts.

/** Where the video comes from: the binary a previous node produced, or a URL TikTok pulls. */
export const videoSourceProperties: INodeProperties[] = [
	{
		displayName: 'Video Source',
		name: 'videoSource',
		type: 'options',
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: 'A video from a previous node, streamed to TikTok',
			},
			{ name: 'URL', value: 'url', description: 'TikTok downloads the video itself' },
		],
		default: 'binary',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field holding the video (MP4, MOV or WebM, up to 4 GB)',
		displayOptions: { show: { videoSource: ['binary'] } },
	},
	{
		displayName: 'Video URL',
		name: 'videoUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://media.example.com/videos/clip.mp4',
		description: 'An https URL on a domain or URL prefix verified for your TikTok app',
		displayOptions: { show: { videoSource: ['url'] } },
	},
	{
		displayName:
			'TikTok downloads only from https URLs whose domain or URL prefix you verified in the TikTok developer portal (URL properties of your app); otherwise it answers url_ownership_unverified. The URL must not redirect and must stay reachable for up to an hour.',
		name: 'urlNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { videoSource: ['url'] } },
	},
];

/** The upload option shared by binary uploads. */
export const chunkSizeOption: INodeProperties = {
	displayName: 'Chunk Size (MB)',
	name: 'chunkSize',
	type: 'number',
	typeOptions: { minValue: 5.3, maxValue: 64, numberPrecision: 1 },
	default: 10,
	description:
		'Size of each upload piece in millions of bytes (5.3–64). Videos up to 64 MB go in one piece. n8n holds at most about two pieces in memory.',
	displayOptions: { show: { '/videoSource': ['binary'] } },
};

/** Lets a user upload a file whose header the check misreads. */
export const skipVideoCheckOption: INodeProperties = {
	displayName: 'Skip Video Check',
	name: 'skipVideoCheck',
	type: 'boolean',
	default: false,
	description:
		"Whether to upload without checking the video's length, size, frame rate and codec from its header first (for files the check misreads). TikTok then fails a video it refuses only after the upload.",
	displayOptions: { show: { '/videoSource': ['binary'] } },
};

/** The "wait for completion" options every upload and post operation offers. */
export const waitOptions: INodeProperties[] = [
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to check the status until TikTok finishes (in the inbox, posted or failed) and return the final state',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'waitTimeoutSeconds',
		type: 'number',
		default: 600,
		description:
			'How long to wait for completion at most. TikTok needs under 30 s for 512 MB, about a minute for 1 GB, moderation can take longer.',
	},
	{
		displayName: 'Check Every (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		typeOptions: { minValue: MIN_POLL_SECONDS },
		default: 5,
		description: 'Seconds between status checks (at least 2: TikTok allows 30 checks per minute)',
	},
];

/** Who can see the post: no default, as TikTok's guidelines require; the list is the creator's. */
export const privacyLevelProperty: INodeProperties = {
	displayName: 'Privacy Level Name or ID',
	name: 'privacyLevel',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getPrivacyLevels' },
	default: '',
	required: true,
	description:
		'Who can see the post. The list is what this creator offers right now (unaudited TikTok apps: Only Me). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};
