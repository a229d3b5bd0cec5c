// A fake TikTok for tests and the demo: the API host (OAuth, JSON APIs, /__sandbox control) and
// a separate upload host, both on 127.0.0.1 only.
import { createServer } from 'node:http';
import { handleApi, isApiRoute } from './api.mjs';
import { defaultConfig, mergeConfig } from './config.mjs';
import { handleControl } from './control.mjs';
import { sendJson } from './http.mjs';
import { handleAuthorize, handleRevoke, handleToken, issueTokens } from './oauth.mjs';
import { addFault, createState, describeUpload, tasksPerVideo } from './state.mjs';
import { abortPulls, currentStatus, makePublic } from './tasks.mjs';
import { handleUpload } from './upload.mjs';
import { createWebhooks } from './webhooks.mjs';

const HOST = '127.0.0.1';

export async function startSandbox(options = {}) {
	const { port = 0, uploadPort = 0, ...configPatch } = options;
	const config = mergeConfig(defaultConfig(), configPatch);
	const webhooks = createWebhooks(config);
	// A new state per reset; its tasks report their transitions for webhook events.
	const freshState = () => {
		const created = createState();
		created.onTaskChange = (upload, field, value) =>
			webhooks.taskChanged(created, upload, field, value);
		return created;
	};
	let state = freshState();

	const sandbox = {
		config,
		configure: (patch) => mergeConfig(config, patch),
		/** Fault shapes: see sandbox/state.mjs. Throws for a `when` the sandbox cannot honour. */
		addFault: (fault) => addFault(state, fault),
		/** Drops every fault not yet taken (a test that injected more than it used). */
		clearFaults: () => state.faults.splice(0),
		mintToken: ({ scopes = config.appScopes, accessTokenTtlSeconds } = {}) => {
			const token = issueTokens(state, config, scopes);
			if (accessTokenTtlSeconds !== undefined) {
				state.accessTokens.get(token.access_token).expiresAt =
					Date.now() + accessTokenTtlSeconds * 1000;
				token.expires_in = accessTokenTtlSeconds;
			}
			return token;
		},
		expireAccessTokens: () => {
			let count = 0;
			for (const token of state.accessTokens.values()) {
				if (token.expiresAt > Date.now()) count++;
				token.expiresAt = Date.now() - 1;
			}
			return count;
		},
		/** Every refresh token stops working, as when the user revokes the app's access. */
		revokeRefreshTokens: () => {
			for (const token of state.refreshTokens.values()) token.valid = false;
		},
		/**
		 * The user removes the app: every token of the user stops working, then TikTok sends
		 * authorization.removed (docs/tiktok-api.md#webhooks). Resolves the delivery records ([] without webhookUrl).
		 */
		revokeAuthorization: ({ reason = 1 } = {}) => {
			const openId = config.user.open_id;
			for (const token of state.accessTokens.values())
				if (token.openId === openId) token.revoked = true;
			for (const token of state.refreshTokens.values())
				if (token.openId === openId) token.valid = false;
			const content = { reason };
			return webhooks.deliverAll([{ event: 'authorization.removed', content, userOpenId: openId }]);
		},
		/** Any event with any kind of signature, at once; resolves the delivery records. */
		sendWebhookEvent: async (options) => webhooks.send(options),
		/** The creator posts the task: PUBLISH_COMPLETE with `count` public post ids (videos too). */
		publishDraft: (publishId, count = 1) => {
			const upload = state.uploads.get(publishId);
			if (!upload) throw new Error(`unknown publish id ${publishId}`);
			makePublic(upload, count, config, state);
			upload.status = 'PUBLISH_COMPLETE';
			return upload.postIds;
		},
		/** In-process only (never over HTTP): every secret handed out, for leak scans in tests. */
		secretValues: () => [
			...state.accessTokens.keys(),
			...state.refreshTokens.keys(),
			...[...state.uploads.values()].map((upload) => upload.uploadToken).filter(Boolean),
			config.clientSecret,
		],
		reset: ({ config: resetConfig = false } = {}) => {
			state.onTaskChange = undefined; // aborted pulls below fail their tasks: no events
			webhooks.stop({ clearRecords: true });
			abortPulls(state);
			state = freshState();
			if (resetConfig) mergeConfig(config, defaultConfig());
		},
	};
	// What tests may see; not enumerable, so handlers' contexts below do not compute it per request.
	const view = () => inspect(state, config, webhooks);
	Object.defineProperty(sandbox, 'state', { get: view, enumerable: false });
	const context = () => ({ ...sandbox, state, config, inspect: view });

	const apiServer = createServer((req, res) =>
		routeApi(req, res, context()).catch((error) => fail(res, error)),
	);
	const uploadServer = createServer((req, res) => {
		try {
			handleUpload(req, res, new URL(req.url, 'http://upload'), context());
		} catch (error) {
			fail(res, error);
		}
	});
	const [apiPort, actualUploadPort] = await Promise.all([
		listen(apiServer, port),
		listen(uploadServer, uploadPort),
	]);

	sandbox.apiBaseUrl = `http://${HOST}:${apiPort}`;
	sandbox.authUrl = `${sandbox.apiBaseUrl}/v2/auth/authorize/`;
	sandbox.accessTokenUrl = `${sandbox.apiBaseUrl}/v2/oauth/token/`;
	sandbox.uploadBaseUrl = `http://${HOST}:${actualUploadPort}`;
	sandbox.clientKey = config.clientKey;
	sandbox.clientSecret = config.clientSecret;
	sandbox.close = () => {
		state.onTaskChange = undefined;
		webhooks.stop({ close: true });
		abortPulls(state);
		return Promise.all([close(apiServer), close(uploadServer)]).then(() => undefined);
	};
	return sandbox;
}

async function routeApi(req, res, sandbox) {
	const url = new URL(req.url, 'http://api');
	const path = url.pathname.replace(/^(\/v2\/auth\/authorize)$/, '$1/'); // trailing slash optional here
	if (req.method === 'GET' && path === '/v2/auth/authorize/')
		return handleAuthorize(req, res, url, sandbox);
	if (req.method === 'POST' && path === '/v2/oauth/token/') return handleToken(req, res, sandbox);
	if (req.method === 'POST' && path === '/v2/oauth/revoke/') return handleRevoke(req, res, sandbox);
	if (path.startsWith('/__sandbox/')) return handleControl(req, res, url, sandbox);
	if (isApiRoute(req.method, path)) return handleApi(req, res, url, sandbox);
	sendJson(res, 404, {
		data: {},
		error: { code: 'not_found', message: `No route ${req.method} ${path}`, log_id: '' },
	});
}

/** What tests may see: records and uploads, never the client secret or live token values. */
function inspect(state, config, webhooks) {
	for (const upload of state.uploads.values()) currentStatus(upload, config, state);
	const { clientSecret, ...publicConfig } = config;
	return {
		authorizeRequests: state.authorizeRequests,
		tokenRequests: state.tokenRequests,
		apiCalls: state.apiCalls,
		uploads: Object.fromEntries(
			[...state.uploads].map(([id, upload]) => [id, describeUpload(upload)]),
		),
		tasksPerVideo: tasksPerVideo(state.uploads),
		publishedVideos: state.publishedVideos.map((video) => ({ ...video })),
		webhookDeliveries: webhooks.deliveries.map((record) => ({ ...record })),
		config: publicConfig,
		clientSecretSet: Boolean(clientSecret),
	};
}

function listen(server, port) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, HOST, () => resolve(server.address().port));
	});
}

function close(server) {
	return new Promise((resolve) => {
		server.close(() => resolve());
		server.closeAllConnections();
	});
}

function fail(res, error) {
	if (!res.headersSent)
		sendJson(res, 500, {
			data: {},
			error: { code: 'internal_error', message: String(error?.message ?? error), log_id: '' },
		});
	else res.destroy();
}
