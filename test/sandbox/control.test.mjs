// The sandbox's control surface: /__sandbox/* over HTTP, the in-process helpers, startup options.
import { startSandbox } from '../../sandbox/server.mjs';
import { useSandbox } from '../helpers/sandbox.mjs';
import {
	LOG_ID,
	REDIRECT_URI,
	api,
	authorize,
	fileSource,
	inboxInit,
	postToken,
} from './sandboxClient.mjs';

const sandbox = useSandbox({ reset: 'config' });

async function control(action, body) {
	const res = await fetch(`${sandbox.apiBaseUrl}/__sandbox/${action}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, body: JSON.parse(text), text };
}

describe('inspection', () => {
	/** A token, a token request, two API calls and one upload; returns what a leak would show. */
	async function activity() {
		const token = sandbox.mintToken();
		await postToken(sandbox, {
			client_key: sandbox.clientKey,
			client_secret: sandbox.clientSecret,
		});
		await api(sandbox, 'GET', '/v2/user/info/?fields=open_id', { token: token.access_token });
		const init = await inboxInit(sandbox, token.access_token, fileSource(1000));
		const uploadToken = new URL(init.body.data.upload_url).searchParams.get('upload_token');
		return {
			publishId: init.body.data.publish_id,
			secrets: [sandbox.clientSecret, token.access_token, token.refresh_token, uploadToken],
		};
	}

	test('sandbox.state shows config and records but never the client secret or token values', async () => {
		const { publishId, secrets } = await activity();
		const state = sandbox.state;
		expect(state.config.clientKey).toBe(sandbox.clientKey);
		expect(state.config).not.toHaveProperty('clientSecret');
		expect(state.clientSecretSet).toBe(true);
		expect(state.tokenRequests).toHaveLength(1);
		expect(state.apiCalls.map((c) => [c.endpoint, c.status, c.code])).toEqual([
			['userInfo', 200, 'ok'],
			['inboxInit', 200, 'ok'],
		]);
		expect(Object.keys(state.uploads)).toEqual([publishId]);
		const text = JSON.stringify(state);
		for (const secret of secrets) expect(text).not.toContain(secret);
	});

	test('GET /__sandbox/state answers 200 with the same view as sandbox.state', async () => {
		const { secrets } = await activity();
		const { status, body, text } = await control('state');
		expect(status).toBe(200);
		expect(body).toEqual(JSON.parse(JSON.stringify(sandbox.state)));
		for (const secret of secrets) expect(text).not.toContain(secret);
	});
});

describe('POST /__sandbox/*', () => {
	test('tokens mints a working token with the requested scopes', async () => {
		const { status, body } = await control('tokens', { scopes: ['user.info.basic'] });
		expect(status).toBe(200);
		expect(body.scope).toBe('user.info.basic');
		const info = await api(sandbox, 'GET', '/v2/user/info/?fields=open_id', {
			token: body.access_token,
		});
		expect(info.status).toBe(200);
		const init = await inboxInit(sandbox, body.access_token, fileSource(1000));
		expect(init.body.error.code).toBe('scope_not_authorized');
	});

	test('config merges rateLimits instead of replacing them', async () => {
		expect((await control('config', { rateLimits: { inboxInit: 1 } })).body).toEqual({ ok: true });
		expect(sandbox.config.rateLimits).toMatchObject({
			inboxInit: 1,
			statusFetch: 30,
			userInfo: 600,
		});
		const token = sandbox.mintToken().access_token;
		expect((await inboxInit(sandbox, token, fileSource(1000))).status).toBe(200);
		const limited = await inboxInit(sandbox, token, fileSource(1000));
		expect(limited.status).toBe(429);
		expect(limited.body.error.code).toBe('rate_limit_exceeded');
	});

	test('faults: an injected token-endpoint 503 then a normal answer', async () => {
		await control('faults', { target: 'token', kind: 'status', status: 503 });
		const fields = { client_key: sandbox.clientKey, client_secret: sandbox.clientSecret };
		const failed = await postToken(sandbox, { ...fields, grant_type: 'refresh_token' });
		expect(failed.status).toBe(503);
		expect(failed.body).toEqual({
			error: 'temporarily_unavailable',
			error_description: expect.any(String),
			log_id: expect.stringMatching(LOG_ID),
		});
		const next = await postToken(sandbox, { ...fields, grant_type: 'refresh_token' });
		expect(next.status).toBe(200);
		expect(next.body.error).toBe('invalid_grant');
	});

	test('faults: an injected error body on HTTP 200, counted down by times', async () => {
		sandbox.addFault({ target: 'token', kind: 'errorBody', error: 'server_error', times: 2 });
		const refreshToken = sandbox.mintToken().refresh_token;
		const fields = {
			client_key: sandbox.clientKey,
			client_secret: sandbox.clientSecret,
			grant_type: 'refresh_token',
			refresh_token: refreshToken,
		};
		for (let i = 0; i < 2; i++) {
			const { status, body } = await postToken(sandbox, fields);
			expect(status).toBe(200);
			expect(body.error).toBe('server_error');
		}
		expect((await postToken(sandbox, fields)).body.access_token).toMatch(/^act\./);
	});

	test('expire-access-tokens reports how many live tokens it expired', async () => {
		const token = sandbox.mintToken().access_token;
		sandbox.mintToken();
		expect((await control('expire-access-tokens', {})).body).toEqual({ expired: 2 });
		const info = await api(sandbox, 'GET', '/v2/user/info/?fields=open_id', { token });
		expect(info.body.error.code).toBe('access_token_invalid');
		expect((await control('expire-access-tokens', {})).body).toEqual({ expired: 0 });
	});

	test('publish returns 19-digit post ids and marks the draft published', async () => {
		const token = sandbox.mintToken().access_token;
		const publishId = (await inboxInit(sandbox, token, fileSource(1000))).body.data.publish_id;
		const { body, text } = await control('publish', { publish_id: publishId, count: 2 });
		expect(body.postIds).toEqual([
			expect.stringMatching(/^\d{19}$/),
			expect.stringMatching(/^\d{19}$/),
		]);
		// Sent as strings over the control API, so they survive JSON.parse.
		expect(text).toContain(`"${body.postIds[0]}"`);
		expect(sandbox.state.uploads[publishId].status).toBe('PUBLISH_COMPLETE');
	});

	test('reset clears records, tokens and uploads', async () => {
		const token = sandbox.mintToken().access_token;
		await inboxInit(sandbox, token, fileSource(1000));
		expect((await control('reset', {})).body).toEqual({ ok: true });
		const state = sandbox.state;
		expect(state.uploads).toEqual({});
		expect(state.apiCalls).toEqual([]);
		const info = await api(sandbox, 'GET', '/v2/user/info/?fields=open_id', { token });
		expect(info.body.error.code).toBe('access_token_invalid');
	});

	test('unknown actions answer 404, bodies that are not JSON answer 400', async () => {
		expect((await control('nothing', {})).status).toBe(404);
		expect((await control('nothing')).status).toBe(404);
		expect((await control('config', 'not json')).status).toBe(400);
	});
});

describe('routing and startup options', () => {
	test('an unknown API route answers 404 in the error envelope', async () => {
		const res = await api(sandbox, 'GET', '/v2/video/nothing/');
		expect(res.status).toBe(404);
		expect(res.body).toEqual({
			data: {},
			error: { code: 'not_found', message: expect.any(String), log_id: '' },
		});
	});

	test('registered redirectUris are matched exactly', async () => {
		sandbox.configure({ redirectUris: [REDIRECT_URI] });
		const params = {
			client_key: sandbox.clientKey,
			response_type: 'code',
			scope: 'user.info.basic',
		};
		expect((await authorize(sandbox, { ...params, redirect_uri: REDIRECT_URI })).status).toBe(302);
		expect((await authorize(sandbox, { ...params, redirect_uri: `${REDIRECT_URI}/` })).status).toBe(
			400,
		);
	});

	test('startSandbox options override the defaults', async () => {
		const other = await startSandbox({
			clientKey: 'k2',
			clientSecret: 's2',
			accessTokenTtlSeconds: 7200,
		});
		try {
			expect(other.clientKey).toBe('k2');
			expect(other.apiBaseUrl).not.toBe(sandbox.apiBaseUrl);
			expect(new URL(other.apiBaseUrl).hostname).toBe('127.0.0.1');
			const token = other.mintToken();
			expect(token.expires_in).toBe(7200);
			const { body } = await postToken(other, {
				client_key: 'k2',
				client_secret: 's2',
				grant_type: 'refresh_token',
				refresh_token: token.refresh_token,
			});
			expect(body.expires_in).toBe(7200);
			expect(body.access_token).toMatch(/^act\./);
		} finally {
			await other.close();
		}
	});
});
