import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { tikTokApiRequest } from '../transport';

export const PRIVACY_LEVELS = [
	'PUBLIC_TO_EVERYONE',
	'MUTUAL_FOLLOW_FRIENDS',
	'FOLLOWER_OF_CREATOR',
	'SELF_ONLY',
];

/** The TikTok creator info (docs/tiktok-api.md#creator-info); TikTok's "cannot post now" codes throw. */
export async function fetchCreatorInfo(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<IDataObject> {
	return await tikTokApiRequest.call(
		this,
		'POST',
		'/v2/post/publish/creator_info/query/',
		itemIndex,
		{},
	);
}

/** Length as TikTok counts it: UTF-16 code units, which is what a JS string's length is. */
export function requireMaxLength(
	this: IExecuteFunctions,
	itemIndex: number,
	value: string,
	max: number,
	what: string,
): void {
	if (value.length > max) {
		throw new NodeOperationError(
			this.getNode(),
			`The ${what} has ${value.length} characters; TikTok allows ${max}`,
			{
				itemIndex,
				description: `Shorten the ${what} (TikTok counts UTF-16 units: most emoji count as 2).`,
			},
		);
	}
}

export interface PostChoices {
	privacyLevel: string;
	allowComment: boolean;
	allowDuet?: boolean;
	allowStitch?: boolean;
	brandContent: boolean;
}

/**
 * Refuses, before anything is uploaded, what the creator's settings do not allow
 * (docs/tiktok-api.md#direct-post-rules: privacy from the creator's options, disabled interactions stay off).
 */
export function checkAgainstCreator(
	this: IExecuteFunctions,
	itemIndex: number,
	creator: IDataObject,
	choices: PostChoices,
): void {
	const fail = (message: string, description: string) => {
		throw new NodeOperationError(this.getNode(), message, { itemIndex, description });
	};
	const offered = (creator.privacy_level_options as string[] | undefined) ?? [];
	if (!offered.includes(choices.privacyLevel)) {
		fail(
			`Privacy level "${choices.privacyLevel}" is not offered by ${String(creator.creator_nickname ?? 'this creator')}`,
			`Pick one of: ${offered.join(', ') || '(none)'}. Unaudited TikTok apps can post only as SELF_ONLY from a private account.`,
		);
	}
	const disabled: Array<[boolean | undefined, unknown, string]> = [
		[choices.allowComment, creator.comment_disabled, 'comments'],
		[choices.allowDuet, creator.duet_disabled, 'duets'],
		[choices.allowStitch, creator.stitch_disabled, 'stitches'],
	];
	for (const [wanted, isDisabled, what] of disabled) {
		if (wanted && isDisabled === true) {
			fail(
				`The creator has turned off ${what} in TikTok`,
				`Turn "Allow ${what}" off for this creator, or the creator enables ${what} in the TikTok app.`,
			);
		}
	}
	if (choices.brandContent && choices.privacyLevel === 'SELF_ONLY') {
		fail(
			'Branded content cannot be private (SELF_ONLY)',
			'TikTok requires branded content (paid partnership) to be visible: pick another privacy level or turn Branded Content off.',
		);
	}
}
