import type { IDataObject } from 'n8n-workflow';

/**
 * How long any request to TikTok's API or token endpoint may take: the node's calls and the
 * unattended credential's refresh alike (chunk uploads have their own, longer limit).
 */
export const API_TIMEOUT_MS = 60_000;

/**
 * "error, description, log_id …" from a TikTok OAuth error body; `fallback` stands in for a
 * missing `error`. `logIdLabel`: each error keeps the wording it always had.
 */
export function oauthErrorDetail(
	body: IDataObject,
	fallback?: string,
	logIdLabel = 'log_id ',
): string {
	return [
		body.error ?? fallback,
		body.error_description,
		body.log_id && `${logIdLabel}${body.log_id}`,
	]
		.filter(Boolean)
		.join(', ');
}
