import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { FAIL_REASONS } from '../shared/failReasons';
import { parseJsonObject } from '../shared/losslessJson';
import { eventKey } from './recentEvents';

/** The events TikTok sends to an app's callback URL, TikTok's spelling kept. */
export const EVENT_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'All Events',
		value: '*',
		description: 'Every event TikTok sends, also ones added later',
	},
	{
		name: 'Authorization Removed',
		value: 'authorization.removed',
		description: 'The user disconnected the app or lost access; their tokens no longer work',
	},
	{
		name: 'Post Failed',
		value: 'post.publish.failed',
		description: 'TikTok could not process an upload or post',
	},
	{
		name: 'Post Inbox Delivered',
		value: 'post.publish.inbox_delivered',
		description: "An uploaded draft arrived in the creator's TikTok inbox",
	},
	{
		name: 'Post No Longer Publicly Available',
		value: 'post.publish.no_longer_publicaly_available',
		description: 'A post was made private or taken down',
	},
	{
		name: 'Post Publicly Available',
		value: 'post.publish.publicly_available',
		description: 'A post is public; the output carries its post ID',
	},
	{
		name: 'Post Published',
		value: 'post.publish.complete',
		description: 'A Direct Post finished publishing',
	},
	{
		name: 'Video Publish Completed (Legacy)',
		value: 'video.publish.completed',
		description: "The older Share API's name for a finished post",
	},
	{
		name: 'Video Upload Failed (Legacy)',
		value: 'video.upload.failed',
		description: "The older Share API's name for a failed upload",
	},
];

/** `authorization.removed` reasons, as TikTok numbers them. */
const AUTHORIZATION_REMOVED_REASONS: Record<string, string> = {
	'0': 'Unknown reason.',
	'1': 'The user disconnected the app from their TikTok account.',
	'2': 'The user deleted their TikTok account.',
	'3': "The user's age changed and the app may no longer access the account.",
	'4': 'The account was banned.',
	'5': 'The app developer revoked the authorization.',
};

export interface TikTokWebhookBody {
	client_key?: unknown;
	event?: unknown;
	create_time?: unknown;
	user_openid?: unknown;
	content?: unknown;
}

/**
 * One flat item per delivery. `content` is a JSON string inside the JSON body, parsed a second
 * time, losslessly: TikTok's 19-digit post ids would be rounded by JSON.parse. `event_key` is
 * the key the trigger dedupes on, the same for every delivery of one event.
 */
export function eventItem(body: TikTokWebhookBody): IDataObject {
	const content = parseContent(body.content);
	const event = String(body.event ?? '');
	const item: IDataObject = {
		event,
		event_key: eventKey(body),
		time: isoTime(body.create_time),
		open_id: String(body.user_openid ?? ''),
	};
	if (content.publish_id !== undefined) item.publish_id = String(content.publish_id);
	if (content.post_id !== undefined) item.post_id = String(content.post_id);
	if (content.publish_type !== undefined) item.publish_type = String(content.publish_type);
	if (content.reason !== undefined) {
		item.reason = content.reason as IDataObject[string];
		const hint = reasonHint(event, String(content.reason));
		if (hint) item.reason_hint = hint;
	}
	item.raw_event = { ...(body as IDataObject), content };
	return item;
}

function parseContent(content: unknown): IDataObject {
	if (typeof content === 'string' && content.trim() === '') return {};
	// Keep the event: an unreadable content string is still worth a workflow run.
	return parseJsonObject(content, (text) => ({ unparsed_content: text }));
}

function isoTime(createTime: unknown): string {
	const seconds = Number(createTime);
	return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : '';
}

function reasonHint(event: string, reason: string): string | undefined {
	if (event === 'authorization.removed') return AUTHORIZATION_REMOVED_REASONS[reason];
	return FAIL_REASONS[reason];
}

/** Whether the event passes the node's event filter ('*' or an empty list: all). */
export function isWantedEvent(event: string, wanted: string[]): boolean {
	return wanted.length === 0 || wanted.includes('*') || wanted.includes(event);
}
