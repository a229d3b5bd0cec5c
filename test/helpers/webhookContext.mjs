// An IWebhookFunctions with the parts the TikTok Trigger uses, built the way n8n builds one for a
// live webhook: the express request (with n8n's rawBody Buffer and the parsed JSON body), the
// express response, node parameters, credentials and the workflow's static data.
import { createHmac } from 'node:crypto';

export const CLIENT_SECRET = 'trigger-test-client-secret';

/** The TikTok-Signature header for `rawBody` at `timestamp`, as TikTok computes it (docs/tiktok-api.md#webhooks). */
export function signatureHeader(
	rawBody,
	{ secret = CLIENT_SECRET, timestamp = nowSeconds() } = {},
) {
	const s = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
	return `t=${timestamp},s=${s}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A TikTok event body; `content` is serialized into a string like TikTok does. */
export function eventBody({
	event = 'post.publish.inbox_delivered',
	content = {},
	openId = 'open-id-1',
	createTime = 1_795_600_000,
} = {}) {
	return JSON.stringify({
		client_key: 'trigger-test-client-key',
		event,
		create_time: createTime,
		user_openid: openId,
		content: typeof content === 'string' ? content : JSON.stringify(content),
	});
}

export function webhookContext({
	rawBody,
	headers = {},
	parameters = {},
	credentials = { clientKey: 'trigger-test-client-key', clientSecret: CLIENT_SECRET },
	staticData = {},
} = {}) {
	const response = { statusCode: 200, body: undefined, ended: false };
	const logs = [];
	const lowerHeaders = Object.fromEntries(
		Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
	);
	const params = { authentication: 'oAuth2', events: ['*'], options: {}, ...parameters };
	const credentialTypes = [];
	const res = {
		status(code) {
			response.statusCode = code;
			return res;
		},
		json(body) {
			response.body = body;
			response.ended = true;
			return res;
		},
		send(body) {
			response.body = body;
			response.ended = true;
			return res;
		},
		end() {
			response.ended = true;
			return res;
		},
	};
	const context = {
		getRequestObject: () => ({
			rawBody: rawBody === undefined ? undefined : Buffer.from(rawBody),
			body: rawBody === undefined ? {} : JSON.parse(rawBody),
			headers: lowerHeaders,
			header: (name) => lowerHeaders[name.toLowerCase()],
		}),
		getResponseObject: () => res,
		getBodyData: () => (rawBody === undefined ? {} : JSON.parse(rawBody)),
		getHeaderData: () => lowerHeaders,
		getNodeParameter: (name, fallback) => (name in params ? params[name] : fallback),
		getCredentials: async (type) => {
			credentialTypes.push(type);
			return credentials;
		},
		getWorkflowStaticData: () => staticData,
		getNode: () => ({ name: 'TikTok Trigger', type: 'n8n-nodes-tiktok-posting.tikTokTrigger' }),
		logger: {
			debug: (message) => logs.push(message),
			info: (message) => logs.push(message),
			warn: (message) => logs.push(message),
			error: (message) => logs.push(message),
		},
		helpers: {
			returnJsonArray: (items) =>
				(Array.isArray(items) ? items : [items]).map((json) => ({ json })),
		},
	};
	return { context, response, logs, staticData, credentialTypes };
}
