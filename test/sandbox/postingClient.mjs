// Helpers for the Content Posting tests (posting, photo, pull, video list).
import { useSandbox, useServer } from '../helpers/sandbox.mjs';
import { startMediaServer } from './mediaServer.mjs';
import { LOG_ID, api } from './sandboxClient.mjs';

export const PUBLIC_OPTIONS = ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'];
export const PRIVATE_OPTIONS = ['FOLLOWER_OF_CREATOR', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'];

/** A token with its own rate-limit windows. */
export const freshToken = (sandbox, scopes) =>
	sandbox.mintToken(scopes ? { scopes } : {}).access_token;

/**
 * The sandbox of a posting test file, its default config restored before each test with no
 * processing delay and 127.0.0.1 as a verified domain, and a local media server (on 127.0.0.1)
 * for PULL_FROM_URL. `token(scopes)`: a fresh token of that sandbox.
 */
export function usePostingSandbox() {
	const sandbox = useSandbox({
		reset: 'config',
		configure: { processingMs: 0, verifiedDomains: ['127.0.0.1'] },
	});
	const media = useServer(startMediaServer);
	return { sandbox, media, token: (scopes) => freshToken(sandbox, scopes) };
}

export function expectEnvelopeError(res, status, code, message = expect.any(String)) {
	expect(res.status).toBe(status);
	expect(res.body).toEqual({
		data: {},
		error: { code, message, log_id: expect.stringMatching(LOG_ID) },
	});
}

export function expectOk(res) {
	expect(res.status).toBe(200);
	expect(res.body.error).toEqual({
		code: 'ok',
		message: '',
		log_id: expect.stringMatching(LOG_ID),
	});
}

export const creatorInfo = (sandbox, token, options = {}) =>
	api(sandbox, 'POST', '/v2/post/publish/creator_info/query/', { token, ...options });

export const directInit = (sandbox, token, json) =>
	api(sandbox, 'POST', '/v2/post/publish/video/init/', { token, json });

export const contentInit = (sandbox, token, json) =>
	api(sandbox, 'POST', '/v2/post/publish/content/init/', { token, json });

export const cancelPublish = (sandbox, token, publishId) =>
	api(sandbox, 'POST', '/v2/post/publish/cancel/', { token, json: { publish_id: publishId } });

export const statusFetch = (sandbox, token, publishId) =>
	api(sandbox, 'POST', '/v2/post/publish/status/fetch/', {
		token,
		json: { publish_id: publishId },
	});

/** The raw text between the brackets of publicaly_available_post_id, split into ids. */
export function rawPostIds(text) {
	const raw = /"publicaly_available_post_id":\[([^\]]*)\]/.exec(text)?.[1];
	if (raw === undefined) throw new Error(`no publicaly_available_post_id in ${text}`);
	return raw === '' ? [] : raw.split(',');
}

/** Polls sandbox.state (no API calls, so no rate limit) until `predicate(upload)` holds. */
export async function waitForUpload(sandbox, publishId, predicate, timeoutMs = 5000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const upload = sandbox.state.uploads[publishId];
		if (upload && predicate(upload)) return upload;
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${publishId}: ${JSON.stringify(upload)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

export const settled = (upload) => !upload.status.startsWith('PROCESSING');

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
