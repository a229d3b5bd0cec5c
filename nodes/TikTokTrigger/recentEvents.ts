import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { TikTokWebhookBody } from './events';

/** How many event keys the trigger remembers; TikTok retries one event for up to 72 hours. */
export const REMEMBERED_EVENTS = 1000;

/** The same event delivered twice has the same fields; the signature timestamp may differ. */
export function eventKey(body: TikTokWebhookBody): string {
	const fields = [body.client_key, body.event, body.create_time, body.user_openid, body.content];
	return createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 32);
}

/**
 * Remembers `key` in the workflow's static data (n8n saves it after each delivery) and says
 * whether it was seen before. Oldest keys drop out first, so the list stays bounded.
 */
export function seenBefore(
	staticData: IDataObject,
	key: string,
	limit = REMEMBERED_EVENTS,
): boolean {
	const keys = Array.isArray(staticData.recentEventKeys)
		? (staticData.recentEventKeys as string[])
		: [];
	if (keys.includes(key)) return true;
	keys.push(key);
	staticData.recentEventKeys = keys.slice(-limit);
	return false;
}
