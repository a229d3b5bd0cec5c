import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { FAIL_REASONS, PHOTO_FAIL_REASONS } from '../../shared/failReasons';
import { tikTokApiRequest } from '../transport';

/** Observed formats: v_inbox_file~v2.123, v_pub_file~v2-1.123, p_pub_url~v2.123 (≤ 64 chars). */
const PUBLISH_ID_PATTERN = /^[A-Za-z0-9_.~-]{1,64}$/;

const STATUS_HINTS: Record<string, string> = {
	PROCESSING_UPLOAD: 'TikTok is receiving or processing the upload. Check again in a minute.',
	PROCESSING_DOWNLOAD: 'TikTok is downloading the video from its URL. Check again in a minute.',
	SEND_TO_USER_INBOX:
		"The draft is in the creator's TikTok inbox. The creator finishes the post in the TikTok app.",
	PUBLISH_COMPLETE: 'Posted. Post IDs appear once the post is public and passed moderation.',
	FAILED: 'TikTok could not process the post; see fail_reason.',
};

/** Observed publish id formats: photo posts start with p_ (p_pub_url~…, p_inbox_url~…). */
const isPhotoPost = (publishId: string) => publishId.startsWith('p_');

/** Where a status stops changing. */
const FINAL_STATUSES = ['PUBLISH_COMPLETE', 'SEND_TO_USER_INBOX', 'FAILED'];
/** TikTok allows 30 status checks per minute per account: never poll faster than every 2 s. */
export const MIN_POLL_SECONDS = 2;

export function requirePublishId(this: IExecuteFunctions, itemIndex: number): string {
	const publishId = String(this.getNodeParameter('publishId', itemIndex) ?? '').trim();
	if (!PUBLISH_ID_PATTERN.test(publishId)) {
		throw new NodeOperationError(
			this.getNode(),
			publishId ? `"${publishId}" is not a TikTok publish ID` : 'The Publish ID is empty',
			{
				itemIndex,
				description:
					'Use the publish_id an upload or post returned, e.g. the expression {{ $json.publish_id }} (looks like v_inbox_file~v2.123456789, at most 64 characters).',
			},
		);
	}
	return publishId;
}

/** One status fetch, flat, with post ids as exact strings. */
export async function fetchStatus(
	this: IExecuteFunctions,
	itemIndex: number,
	publishId: string,
): Promise<IDataObject> {
	const data = await tikTokApiRequest.call(
		this,
		'POST',
		'/v2/post/publish/status/fetch/',
		itemIndex,
		{ publish_id: publishId },
	);
	const status = String(data.status ?? '');
	const json: IDataObject = {
		publish_id: publishId,
		status,
		status_hint: STATUS_HINTS[status] ?? '',
		// Strings: TikTok's 19-digit ids are parsed losslessly by the transport.
		publicaly_available_post_id: ((data.publicaly_available_post_id as unknown[]) ?? []).map(
			String,
		),
	};
	if (status === 'FAILED' || data.fail_reason) {
		json.fail_reason = data.fail_reason ?? '';
		const reason = String(data.fail_reason);
		const explanation =
			(isPhotoPost(publishId) ? PHOTO_FAIL_REASONS[reason] : undefined) ?? FAIL_REASONS[reason];
		if (explanation) json.fail_reason_hint = explanation;
	}
	if (data.uploaded_bytes !== undefined) json.uploaded_bytes = Number(data.uploaded_bytes);
	if (data.downloaded_bytes !== undefined) json.downloaded_bytes = Number(data.downloaded_bytes);
	return json;
}

export interface WaitSettings {
	timeoutSeconds: number;
	pollIntervalSeconds: number;
}

/** The wait settings from an operation's options, or undefined when waiting is off. */
export function waitSettingsFrom(
	this: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
): WaitSettings | undefined {
	if (options.waitForCompletion !== true) return undefined;
	const timeoutSeconds = Number(options.waitTimeoutSeconds ?? 600);
	const pollIntervalSeconds = Number(options.pollIntervalSeconds ?? 5);
	if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
		throw new NodeOperationError(this.getNode(), 'The wait timeout must be more than 0 seconds', {
			itemIndex,
			description: 'Set Timeout (Seconds) to e.g. 600, or turn Wait for Completion off.',
		});
	}
	if (!Number.isFinite(pollIntervalSeconds) || pollIntervalSeconds < MIN_POLL_SECONDS) {
		throw new NodeOperationError(
			this.getNode(),
			`Check Every must be at least ${MIN_POLL_SECONDS} seconds`,
			{ itemIndex, description: 'TikTok allows 30 status checks per minute per account.' },
		);
	}
	return { timeoutSeconds, pollIntervalSeconds };
}

/**
 * Wait for Completion after an upload or post that TikTok accepted. Waiting never fails the
 * item: a failing or timed-out wait returns `wait_error` beside the upload's output, so n8n's
 * Retry On Fail never runs an upload that already happened again.
 */
export async function waitAfterPosting(
	this: IExecuteFunctions,
	itemIndex: number,
	publishId: string,
	settings: WaitSettings,
): Promise<IDataObject> {
	try {
		return await waitForCompletion.call(this, itemIndex, publishId, settings);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		return {
			wait_error: message,
			status_hint: `TikTok accepted the upload; only waiting for its result failed. Check the status later with Check Status and publish ID ${publishId}; do not upload it again.`,
		};
	}
}

/**
 * Checks the status until it is final. A status check that fails (after the transport's own
 * tries) does not end the wait: the next one may work. At the deadline the error names the
 * publish id and the last status or failure, so a later Check Status can pick the post up.
 */
export async function waitForCompletion(
	this: IExecuteFunctions,
	itemIndex: number,
	publishId: string,
	settings: WaitSettings,
): Promise<IDataObject> {
	const deadline = Date.now() + settings.timeoutSeconds * 1000;
	const signal = this.getExecutionCancelSignal?.();
	let lastSeen = 'unknown';
	for (let checks = 1; ; checks++) {
		try {
			const status = await fetchStatus.call(this, itemIndex, publishId);
			if (FINAL_STATUSES.includes(String(status.status)))
				return { ...status, status_checks: checks };
			lastSeen = `still ${String(status.status)}`;
		} catch (error) {
			lastSeen = `not readable (${error instanceof Error ? error.message : String(error)})`;
		}
		const waitMs = Math.min(settings.pollIntervalSeconds * 1000, deadline - Date.now());
		if (waitMs <= 0 || signal?.aborted) {
			throw new NodeOperationError(
				this.getNode(),
				`The status of publish ID ${publishId} is ${lastSeen} after ${settings.timeoutSeconds} s`,
				{
					itemIndex,
					description: `TikTok has not finished yet. Check again later with Check Status and publish ID ${publishId}, or raise the timeout.`,
				},
			);
		}
		await sleep(waitMs);
	}
}
