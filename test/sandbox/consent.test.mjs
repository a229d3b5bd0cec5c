// The sandbox's consent page (config.consentPage): TikTok's authorize screen a browser approves or
// cancels, with the same checks as the page-less authorize; off by default.
import { startSandbox } from '../../sandbox/server.mjs';
import {
	ACCESS_DENIED_DESCRIPTION,
	CONSENT_PARAM,
	DECISION_PARAM,
	DEFAULT_APP_NAME,
	SCOPE_TEXTS,
} from '../../sandbox/consent.mjs';
import { REDIRECT_URI, authorize, postToken } from './sandboxClient.mjs';

let sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ consentPage: true });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
	sandbox.configure({ consentPage: true, appName: undefined });
});

const request = (extra = {}) => ({
	client_key: sandbox.clientKey,
	response_type: 'code',
	scope: 'user.info.basic,video.upload',
	redirect_uri: REDIRECT_URI,
	state: 'csrf 7/ü',
	...extra,
});

/** Shows the consent page and returns its HTML and the consent id its form carries. */
async function consentPage(extra) {
	const res = await authorize(sandbox, request(extra));
	const id = new RegExp(`name="${CONSENT_PARAM}" value="([^"]+)"`).exec(res.text)?.[1];
	return { ...res, id };
}

/** Presses a button of the form: the GET the browser sends, with extra parameters if given. */
const decide = (id, decision, extra = {}) =>
	authorize(sandbox, { [CONSENT_PARAM]: id, [DECISION_PARAM]: decision, ...extra });

const exchange = (code) =>
	postToken(sandbox, {
		client_key: sandbox.clientKey,
		client_secret: sandbox.clientSecret,
		code,
		grant_type: 'authorization_code',
		redirect_uri: REDIRECT_URI,
	});

describe('consent page off (the default)', () => {
	test('a sandbox started without it approves at once', async () => {
		const plain = await startSandbox();
		try {
			expect(plain.config.consentPage).toBeFalsy();
			const { status, location } = await authorize(plain, request());
			expect(status).toBe(302);
			expect(location.searchParams.get('code')).toMatch(/^code\./);
			expect(plain.state.authorizeRequests[0]).not.toHaveProperty('consent');
		} finally {
			await plain.close();
		}
	});

	test('POST /__sandbox/config switches it off and on', async () => {
		const config = (body) =>
			fetch(`${sandbox.apiBaseUrl}/__sandbox/config`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
		await config({ consentPage: false });
		expect((await authorize(sandbox, request())).status).toBe(302);
		await config({ consentPage: true });
		expect((await authorize(sandbox, request())).status).toBe(200);
	});
});

describe('GET /v2/auth/authorize/ with consentPage', () => {
	test('shows the app, the account, each scope asked for, Authorize and Cancel; no code yet', async () => {
		sandbox.configure({ appName: 'n8n <test> app' });
		const res = await fetch(
			`${sandbox.authUrl}?${new URLSearchParams(request({ scope: 'user.info.basic,video.upload,video.list' }))}`,
			{ redirect: 'manual' },
		);
		const html = await res.text();
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(res.headers.get('location')).toBeNull();
		// No form-action: a browser applies it to the redirect after the form too, and that redirect
		// leaves for the app's redirect URI (n8n's callback), so Authorize would go nowhere.
		expect(res.headers.get('content-security-policy')).toBe(
			"default-src 'none'; style-src 'unsafe-inline'",
		);
		expect(html).toContain('n8n &lt;test&gt; app would like to access your TikTok account');
		expect(html).toContain('Sandbox Creator (@sandbox.creator)');
		for (const scope of ['user.info.basic', 'video.upload', 'video.list']) {
			expect(html).toContain(`data-scope="${scope}"`);
			expect(html).toContain(SCOPE_TEXTS[scope]);
		}
		expect(html).not.toContain('data-scope="video.publish"');
		expect(html).toMatch(/<button[^>]*value="authorize"[^>]*>Authorize<\/button>/);
		expect(html).toMatch(/<button[^>]*value="cancel"[^>]*>Cancel<\/button>/);
		expect(html).not.toContain(sandbox.clientSecret);
		expect(html).not.toMatch(/code\.[0-9a-f]{32}/);
		expect(sandbox.state.authorizeRequests).toEqual([
			{ query: request({ scope: 'user.info.basic,video.upload,video.list' }), consent: 'shown' },
		]);
	});

	test('the app name defaults to the sandbox app', async () => {
		const { text } = await consentPage();
		expect(text).toContain(`${DEFAULT_APP_NAME} would like to access your TikTok account`);
	});

	test('the same checks as without the page: client_key, redirect_uri, scope, response_type', async () => {
		for (const [extra, status, error] of [
			[{ client_key: undefined, client_id: 'sandbox-client-key' }, 400, /client_key is missing/],
			[{ client_key: 'someone-else' }, 400, /unknown client_key/],
			[{ redirect_uri: `${REDIRECT_URI}?x=1` }, 400, /redirect_uri is not registered/],
			[{ scope: 'user.info.basic,ads.management' }, 302, 'invalid_scope'],
			[{ response_type: 'token' }, 302, 'unsupported_response_type'],
		]) {
			const params = request(extra);
			for (const key of Object.keys(params)) if (params[key] === undefined) delete params[key];
			const res = await authorize(sandbox, params);
			expect(res.status).toBe(status);
			expect(res.text).not.toContain(CONSENT_PARAM);
			if (status === 400) expect(res.text).toMatch(error);
			else {
				expect(res.location.searchParams.get('error')).toBe(error);
				expect(res.location.searchParams.get('state')).toBe('csrf 7/ü');
				expect(res.location.searchParams.has('code')).toBe(false);
			}
		}
		expect(sandbox.state.authorizeRequests.every((r) => r.consent === undefined)).toBe(true);
	});

	test('a registered redirect_uri list is enforced before the page', async () => {
		sandbox.configure({ redirectUris: ['https://other.example.test/cb'] });
		try {
			expect((await authorize(sandbox, request())).status).toBe(400);
		} finally {
			sandbox.configure({ redirectUris: [] });
		}
	});
});

describe('Authorize', () => {
	test('redirects with a code, the scopes and the state; the code works once at the token endpoint', async () => {
		const { id } = await consentPage();
		const { status, location } = await decide(id, 'authorize');
		expect(status).toBe(302);
		expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
		expect(location.searchParams.get('state')).toBe('csrf 7/ü');
		expect(location.searchParams.get('scopes')).toBe('user.info.basic,video.upload');
		expect(location.searchParams.has('error')).toBe(false);
		const code = location.searchParams.get('code');
		const first = await exchange(code);
		expect(first.body).toMatchObject({
			access_token: expect.stringMatching(/^act\./),
			scope: 'user.info.basic,video.upload',
		});
		expect((await exchange(code)).body.error).toBe('invalid_grant');
		expect(sandbox.state.authorizeRequests.map((r) => r.consent)).toEqual(['authorized']);
	});

	test('uses the request checked when the page was shown, whatever the decision URL adds', async () => {
		const { id } = await consentPage();
		const { location } = await decide(id, 'authorize', {
			redirect_uri: 'https://evil.example.test/steal',
			scope: 'video.publish',
			state: 'forged',
		});
		expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
		expect(location.searchParams.get('state')).toBe('csrf 7/ü');
		expect(location.searchParams.get('scopes')).toBe('user.info.basic,video.upload');
		expect(sandbox.state.authorizeRequests).toHaveLength(1);
	});
});

describe('Cancel', () => {
	test("redirects with TikTok's error parameters and the state, and issues no code", async () => {
		const { id } = await consentPage();
		const { status, location } = await decide(id, 'cancel');
		expect(status).toBe(302);
		expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
		expect(Object.fromEntries(location.searchParams)).toEqual({
			state: 'csrf 7/ü',
			error: 'access_denied',
			error_description: ACCESS_DENIED_DESCRIPTION,
		});
		expect(sandbox.state.authorizeRequests.map((r) => r.consent)).toEqual(['cancelled']);
		expect(sandbox.state.tokenRequests).toEqual([]);
	});
});

describe('decisions', () => {
	test('each consent id is answered once; unknown ids and other decisions are refused', async () => {
		const { id } = await consentPage();
		const wrong = await decide(id, 'maybe');
		expect(wrong.status).toBe(400);
		expect(wrong.text).toMatch(/authorize or cancel/);
		expect((await decide(id, 'cancel')).status).toBe(302); // still pending after the wrong one
		for (const decision of ['authorize', 'cancel']) {
			const again = await decide(id, decision);
			expect(again.status).toBe(400);
			expect(again.location).toBeUndefined();
			expect(again.text).toMatch(/unknown or was already answered/);
		}
		expect((await decide('consent.nope', 'authorize')).status).toBe(400);
	});

	test('a reset forgets pending consent pages', async () => {
		const { id } = await consentPage();
		sandbox.reset();
		sandbox.configure({ consentPage: true });
		expect((await decide(id, 'authorize')).status).toBe(400);
	});
});
