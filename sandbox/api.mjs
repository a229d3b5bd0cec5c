// TikTok's JSON APIs (docs/tiktok-api.md). Order of checks as TikTok documents them:
// Bearer token → scope → per-token rate limit → the request itself. The Content Posting
// endpoints beyond inbox upload and status live in posting.mjs, video list and query in
// videos.mjs.
import { checkFileUpload } from './chunk-rules.mjs';
import { USER_FIELD_SCOPES } from './config.mjs';
import { contentTypeOf, logId, readSmallBody, sendEnvelope, sendRawJson } from './http.mjs';
import { cancel, contentInit, creatorInfo, videoInit } from './posting.mjs';
import { isVerifiedUrl, startPull } from './pull.mjs';
import { AFTER_EFFECT, overRateLimit, takeFault } from './state.mjs';
import { createTask, currentStatus, ownTask, pendingShares, uploadUrlOf } from './tasks.mjs';
import { videoList, videoQuery } from './videos.mjs';

// `name` keys config.rateLimits and fault targets; `scopes` lists the scopes of which one suffices
// (content/init then checks the one its post_mode needs); `noBody` endpoints ignore any body.
const ENDPOINTS = {
	'GET /v2/user/info/': {
		name: 'userInfo',
		scopes: ['user.info.basic', 'user.info.profile', 'user.info.stats'],
		handle: userInfo,
	},
	'POST /v2/post/publish/inbox/video/init/': {
		name: 'inboxInit',
		scopes: ['video.upload'],
		handle: inboxInit,
	},
	'POST /v2/post/publish/status/fetch/': {
		name: 'statusFetch',
		scopes: ['video.upload', 'video.publish'],
		handle: statusFetch,
	},
	'POST /v2/post/publish/creator_info/query/': {
		name: 'creatorInfo',
		scopes: ['video.publish'],
		noBody: true,
		handle: creatorInfo,
	},
	'POST /v2/post/publish/video/init/': {
		name: 'directPostInit',
		scopes: ['video.publish'],
		handle: videoInit,
	},
	'POST /v2/post/publish/content/init/': {
		name: 'contentInit',
		scopes: ['video.upload', 'video.publish'],
		handle: contentInit,
	},
	'POST /v2/post/publish/cancel/': {
		name: 'cancel',
		scopes: ['video.upload', 'video.publish'],
		handle: cancel,
	},
	'POST /v2/video/list/': {
		name: 'videoList',
		scopes: ['video.list'],
		handle: videoList,
	},
	'POST /v2/video/query/': {
		name: 'videoQuery',
		scopes: ['video.list'],
		handle: videoQuery,
	},
};

export function isApiRoute(method, path) {
	return `${method} ${path}` in ENDPOINTS;
}

export async function handleApi(req, res, url, sandbox) {
	const { state, config } = sandbox;
	const endpoint = ENDPOINTS[`${req.method} ${url.pathname}`];
	const call = {
		endpoint: endpoint.name,
		path: url.pathname,
		status: 0,
		code: '',
		validToken: false,
	};
	state.apiCalls.push(call);
	// Every answer, envelope or raw JSON, passes through `deliver`: there an afterEffect fault
	// replaces a successful answer once the handler has done its work.
	const deliver = (status, headers, text) => {
		const fault =
			status >= 200 && status < 300
				? takeFault(state, (f) => f.target === endpoint.name, AFTER_EFFECT)
				: undefined;
		if (!fault) {
			res.writeHead(status, headers);
			return res.end(text);
		}
		call.afterEffect = true;
		injectFault(fault);
	};
	const gate = answerGate(deliver);
	const reply = (status, code, message = '', data = {}, headers = {}) => {
		call.status = status;
		call.code = code;
		// Which task the answer names, kept even when a fault loses the answer.
		if (typeof data?.publish_id === 'string') call.publishId = data.publish_id;
		sendEnvelope(gate, status, code, message, data, headers);
	};
	const injectFault = (fault) => {
		if (fault.kind === 'reset') {
			call.status = 'reset';
			call.code = '';
			return req.socket.destroy();
		}
		call.status = fault.status;
		if (fault.status === 429) {
			call.code = 'rate_limit_exceeded';
			return sendEnvelope(
				res,
				429,
				call.code,
				'Injected: the API rate limit was exceeded.',
				{},
				retryAfter(fault.retryAfterSeconds),
			);
		}
		call.code = 'internal_error';
		sendEnvelope(res, fault.status, call.code, 'Injected: internal error.');
	};

	const bearer = /^Bearer (.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
	const token = bearer ? state.accessTokens.get(bearer) : undefined;
	if (!token || token.revoked || token.expiresAt <= Date.now()) {
		return reply(
			401,
			'access_token_invalid',
			'The access token is invalid or not found in the request.',
		);
	}
	call.validToken = true;
	if (!endpoint.scopes.some((scope) => token.scopes.includes(scope))) {
		return reply(
			401,
			'scope_not_authorized',
			'The user did not authorize the scope required for completing this request.',
		);
	}
	const fault = takeFault(
		state,
		(f) => f.target === endpoint.name && (f.kind === 'status' || f.kind === 'reset'),
	);
	if (fault) return injectFault(fault);
	const limit = config.rateLimits[endpoint.name];
	const waitMs = overRateLimit(
		state,
		bearer,
		endpoint.name,
		limit,
		config.rateWindowSeconds * 1000,
	);
	if (waitMs) {
		return reply(
			429,
			'rate_limit_exceeded',
			'The API rate limit was exceeded. Please try again later.',
			{},
			config.sendRetryAfter ? retryAfter(Math.ceil(waitMs / 1000)) : {},
		);
	}
	let body = {};
	if (endpoint.noBody) {
		// Creator info takes no body; clients send none or `{}` (docs/tiktok-api.md#creator-info). Drained, never read.
		await readSmallBody(req).catch(() => '');
	} else if (req.method === 'POST') {
		if (contentTypeOf(req) !== 'application/json') {
			return reply(400, 'invalid_params', 'The Content-Type must be application/json.');
		}
		try {
			const text = await readSmallBody(req);
			body = text ? JSON.parse(text) : {};
		} catch {
			return reply(400, 'invalid_params', 'The request body is not valid JSON.');
		}
	}
	return endpoint.handle({ req, res: gate, url, body, token, reply, sandbox, call });
}

function userInfo({ url, token, reply, sandbox }) {
	const fields = String(url.searchParams.get('fields') ?? '')
		.split(',')
		.map((f) => f.trim())
		.filter(Boolean);
	if (fields.length === 0) return reply(400, 'invalid_params', 'The fields parameter is required.');
	const unknown = fields.filter((f) => !(f in USER_FIELD_SCOPES));
	if (unknown.length) return reply(400, 'invalid_params', `Unknown fields: ${unknown.join(',')}`);
	const missing = fields.filter((f) => !token.scopes.includes(USER_FIELD_SCOPES[f]));
	if (missing.length) {
		return reply(
			401,
			'scope_not_authorized',
			`Fields need scopes the user did not grant: ${missing.join(',')}`,
		);
	}
	const user = Object.fromEntries(fields.map((f) => [f, sandbox.config.user[f]]));
	return reply(200, 'ok', '', { user });
}

function inboxInit({ body, token, reply, sandbox }) {
	const { state, config } = sandbox;
	const source = body?.source_info ?? {};
	if (source.source === 'FILE_UPLOAD') {
		const problem = checkFileUpload(source, config);
		if (problem) return reply(400, 'invalid_params', problem);
	} else if (source.source === 'PULL_FROM_URL') {
		if (!isVerifiedUrl(source.video_url, config)) {
			return reply(
				403,
				'url_ownership_unverified',
				'The domain or URL prefix of video_url is not verified.',
			);
		}
	} else {
		return reply(400, 'invalid_params', 'The request source info is empty or incorrect');
	}
	if (pendingShares(state, token.openId) >= config.maxPendingShares) {
		return reply(
			403,
			'spam_risk_too_many_pending_share',
			'The user has too many pending shares in the last 24 hours.',
		);
	}

	const pull = source.source === 'PULL_FROM_URL';
	const upload = createTask(state, {
		prefix: pull ? 'v_inbox_url' : 'v_inbox_file',
		openId: token.openId,
		mode: 'inbox',
		source,
		fileInfo: source,
		pullUrls: pull ? [source.video_url] : [],
	});
	if (pull) {
		startPull(upload, config, 'video_pull_failed');
		return reply(200, 'ok', '', { publish_id: upload.publishId });
	}
	return reply(200, 'ok', '', {
		publish_id: upload.publishId,
		upload_url: uploadUrlOf(sandbox, upload),
	});
}

function statusFetch({ body, token, reply, res, sandbox, call }) {
	const upload = ownTask({ body, token, reply, sandbox });
	if (!upload) return;
	const status = currentStatus(upload, sandbox.config, sandbox.state);
	// Post ids are written into the text by hand: 19-digit JSON numbers, as TikTok sends them.
	const parts = [`"status":${JSON.stringify(status)}`];
	if (status === 'FAILED')
		parts.push(`"fail_reason":${JSON.stringify(upload.failReason ?? 'internal')}`);
	parts.push(`"publicaly_available_post_id":[${upload.postIds.join(',')}]`);
	if (upload.source === 'FILE_UPLOAD') parts.push(`"uploaded_bytes":${upload.bytesReceived}`);
	else parts.push(`"downloaded_bytes":${upload.downloadedBytes}`);
	call.status = 200;
	call.code = 'ok';
	sendRawJson(
		res,
		200,
		`{"data":{${parts.join(',')}},"error":{"code":"ok","message":"","log_id":"${logId()}"}}`,
	);
}

/**
 * What handlers get as `res`: it takes one answer (writeHead, then end, as sendRawJson and
 * sendEnvelope write it) and hands it to `deliver` instead of the socket.
 */
function answerGate(deliver) {
	let head = { status: 500, headers: {} };
	return {
		writeHead(status, headers = {}) {
			head = { status, headers };
			return this;
		},
		end(text) {
			deliver(head.status, head.headers, text);
		},
	};
}

/** TikTok documents no Retry-After on 429; the sandbox sends one only when configured or injected. */
function retryAfter(seconds) {
	return seconds === undefined ? {} : { 'Retry-After': String(seconds) };
}
