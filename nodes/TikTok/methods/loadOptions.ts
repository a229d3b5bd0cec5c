import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { PRIVACY_LEVELS } from '../actions/postRules';
import { tikTokApiRequest } from '../transport';

const LABELS: Record<string, string> = {
	PUBLIC_TO_EVERYONE: 'Everyone',
	MUTUAL_FOLLOW_FRIENDS: 'Friends (Mutual Followers)',
	FOLLOWER_OF_CREATOR: 'Followers',
	SELF_ONLY: 'Only Me',
};

const option = (value: string): INodePropertyOptions => ({
	name: LABELS[value] ?? value,
	value,
});

/**
 * The privacy levels this creator offers now (creator info), as TikTok's guidelines ask. When
 * creator info cannot be read (no video.publish scope yet), all four; the post checks again.
 */
export async function getPrivacyLevels(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	try {
		const creator = await tikTokApiRequest.call(
			this,
			'POST',
			'/v2/post/publish/creator_info/query/',
			0,
			{},
		);
		const offered = (creator.privacy_level_options as string[] | undefined) ?? [];
		if (offered.length) return offered.map(option);
	} catch {
		// fall back to all four; the post checks the creator's options again
	}
	return PRIVACY_LEVELS.map(option);
}
