// Inspection and control for tests: /__sandbox/*. Same operations as the in-process methods.
import { readSmallBody, sendJson } from './http.mjs';

export async function handleControl(req, res, url, sandbox) {
	const action = url.pathname.slice('/__sandbox/'.length);
	if (req.method === 'GET' && action === 'state') return sendJson(res, 200, sandbox.inspect());
	if (req.method !== 'POST') return sendJson(res, 404, { error: 'unknown control endpoint' });
	let body = {};
	try {
		const text = await readSmallBody(req);
		body = text ? JSON.parse(text) : {};
	} catch {
		return sendJson(res, 400, { error: 'body must be JSON' });
	}
	switch (action) {
		case 'config':
			sandbox.configure(body);
			return sendJson(res, 200, { ok: true });
		case 'faults':
			try {
				sandbox.addFault(body);
			} catch (error) {
				// A fault the sandbox cannot honour (shapes in state.mjs), e.g. an unknown failReason.
				return sendJson(res, 400, { error: String(error?.message ?? error) });
			}
			return sendJson(res, 200, { ok: true });
		case 'faults/clear':
			sandbox.clearFaults();
			return sendJson(res, 200, { ok: true });
		case 'tokens':
			return sendJson(res, 200, sandbox.mintToken(body));
		case 'expire-access-tokens':
			return sendJson(res, 200, { expired: sandbox.expireAccessTokens() });
		case 'publish':
			return sendJson(res, 200, { postIds: sandbox.publishDraft(body.publish_id, body.count) });
		case 'webhooks/send':
		case 'webhooks/revoke-authorization':
			return webhookAction(res, action, body, sandbox);
		case 'reset':
			sandbox.reset(body);
			return sendJson(res, 200, { ok: true });
		default:
			return sendJson(res, 404, { error: 'unknown control endpoint' });
	}
}

/** Answers once every attempt is over (retries included), with the delivery records. */
async function webhookAction(res, action, body, sandbox) {
	let deliveries;
	try {
		deliveries =
			action === 'webhooks/send'
				? await sandbox.sendWebhookEvent(body)
				: await sandbox.revokeAuthorization(body);
	} catch (error) {
		return sendJson(res, 400, { error: String(error?.message ?? error) });
	}
	sendJson(res, 200, { deliveries });
}
