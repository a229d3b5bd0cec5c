// actions/postRules.ts: what the creator's settings (creator info) refuse before anything is sent.
import { fromDist } from '../helpers/dist.mjs';
import { testNode } from '../helpers/n8nContext.mjs';

const { checkAgainstCreator } = fromDist('nodes/TikTok/actions/postRules.js');
const context = { getNode: () => testNode() };
const CREATOR = {
	creator_nickname: 'Nick',
	privacy_level_options: ['PUBLIC_TO_EVERYONE', 'SELF_ONLY'],
	comment_disabled: false,
	duet_disabled: false,
	stitch_disabled: false,
};
const PUBLIC = { privacyLevel: 'PUBLIC_TO_EVERYONE', allowComment: false, brandContent: false };
const check = (creator, choices) =>
	checkAgainstCreator.call(context, 3, { ...CREATOR, ...creator }, { ...PUBLIC, ...choices });

describe('checkAgainstCreator', () => {
	test.each([
		['an offered privacy level, nothing turned off', {}, {}],
		['comments off where the creator turned them off', { comment_disabled: true }, {}],
		[
			'duets and stitches not asked for (a photo post)',
			{ duet_disabled: true, stitch_disabled: true },
			{},
		],
		['a "disabled" that is not true', { comment_disabled: 'true' }, { allowComment: true }],
		[
			'every interaction the creator allows',
			{},
			{ allowComment: true, allowDuet: true, allowStitch: true },
		],
		['branded content, public', {}, { brandContent: true }],
	])('allowed: %s', (_name, creator, choices) => {
		expect(() => check(creator, choices)).not.toThrow();
	});

	test.each([
		[
			'a privacy level not offered',
			{},
			{ privacyLevel: 'FOLLOWER_OF_CREATOR' },
			'Privacy level "FOLLOWER_OF_CREATOR" is not offered by Nick',
			/^Pick one of: PUBLIC_TO_EVERYONE, SELF_ONLY\./,
		],
		[
			'no levels offered, no nickname',
			{ privacy_level_options: [], creator_nickname: undefined },
			{},
			'Privacy level "PUBLIC_TO_EVERYONE" is not offered by this creator',
			/^Pick one of: \(none\)\./,
		],
		[
			'comments the creator turned off',
			{ comment_disabled: true },
			{ allowComment: true },
			'The creator has turned off comments in TikTok',
			/Turn "Allow comments" off/,
		],
		[
			'duets the creator turned off',
			{ duet_disabled: true },
			{ allowDuet: true },
			'The creator has turned off duets in TikTok',
			/enables duets in the TikTok app/,
		],
		[
			'stitches the creator turned off',
			{ stitch_disabled: true },
			{ allowStitch: true },
			'The creator has turned off stitches in TikTok',
			/Turn "Allow stitches" off/,
		],
		[
			'branded content that is private',
			{},
			{ privacyLevel: 'SELF_ONLY', brandContent: true },
			'Branded content cannot be private (SELF_ONLY)',
			/must be visible|requires branded content/,
		],
		[
			'the privacy level is checked first',
			{ comment_disabled: true },
			{ privacyLevel: 'MUTUAL_FOLLOW_FRIENDS', allowComment: true },
			'Privacy level "MUTUAL_FOLLOW_FRIENDS" is not offered by Nick',
			/^Pick one of/,
		],
	])('refused: %s', (_name, creator, choices, message, description) => {
		let error;
		try {
			check(creator, choices);
		} catch (caught) {
			error = caught;
		}
		expect(error?.message).toBe(message);
		expect(error.description).toMatch(description);
		expect(error.context.itemIndex).toBe(3);
	});
});
