// Each operation against the local TikTok sandbox, through an IExecuteFunctions built like n8n's.
import { binaryFromFile } from '../helpers/n8nContext.mjs';
import { useSandbox } from '../helpers/sandbox.mjs';
import { expectNoSecrets, nodeRunner } from '../helpers/sandboxRun.mjs';
import { makeTempDir, removeDir, writeSampleVideo } from '../../e2e/lib/videos.mjs';
import { waitForUpload } from '../sandbox/postingClient.mjs';

const sandbox = useSandbox({
	start: {
		maxPendingShares: 1000,
		rateLimits: { inboxInit: 1000, statusFetch: 1000 },
		processingMs: 50,
	},
});
let dir;
let small;
let multi;

beforeAll(() => {
	dir = makeTempDir();
	small = writeSampleVideo(dir, 'small.mp4', 3_000_000);
	multi = writeSampleVideo(dir, 'multi.mp4', 70_000_123);
});

afterAll(() => removeDir(dir));

const { connectedCredential, run, apiCallCount } = nodeRunner(() => sandbox);

/** The publish ids the sandbox knows now; uploadsSince(known) are the uploads started after. */
const knownUploads = () => new Set(Object.keys(sandbox.state.uploads));
const uploadsSince = (known) =>
	Object.entries(sandbox.state.uploads)
		.filter(([publishId]) => !known.has(publishId))
		.map(([, upload]) => upload);

const upload = (binary, options = {}) =>
	run(
		{
			authentication: 'oAuth2',
			resource: 'video',
			operation: 'uploadDraft',
			binaryPropertyName: 'data',
			options: options.nodeOptions ?? {},
		},
		{ items: [{ json: {}, binary: { data: binary } }], ...options },
	);

describe('Upload Draft', () => {
	test.each([
		['filesystem (id-backed stream)', 'filesystem'],
		['id-backed stream with irregular pieces', 'odd-pieces'],
		['in-memory base64', 'memory'],
	])('one chunk, %s: byte-exact at the sandbox', async (_name, mode) => {
		const { items } = await upload(binaryFromFile(small.path, { mode }));
		const json = items[0].json;
		expect(json).toMatchObject({
			video_size: 3_000_000,
			chunk_size: 3_000_000,
			total_chunk_count: 1,
			mime_type: 'video/mp4',
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
		const received = sandbox.state.uploads[json.publish_id];
		expect(received).toMatchObject({
			complete: true,
			bytesReceived: 3_000_000,
			sha256: small.sha256,
			ranges: ['0-2999999'],
		});
		expect(received.puts.every((put) => put.authorizationHeaderSent === false)).toBe(true);
		expectNoSecrets(items);
	});

	test.each([
		['filesystem', 'filesystem', undefined, 7, 10_000_000],
		['irregular pieces, 5.3 MB chunks', 'odd-pieces', 5.3, 13, 5_300_000],
		['in-memory', 'memory', undefined, 7, 10_000_000],
	])(
		'multi-chunk, %s: ranges and hash match',
		async (_name, mode, chunkSizeMb, count, chunkSize) => {
			const nodeOptions = chunkSizeMb ? { chunkSize: chunkSizeMb } : {};
			const { items } = await upload(binaryFromFile(multi.path, { mode }), { nodeOptions });
			const json = items[0].json;
			expect(json).toMatchObject({
				video_size: multi.size,
				chunk_size: chunkSize,
				total_chunk_count: count,
			});
			const received = sandbox.state.uploads[json.publish_id];
			expect(received.sha256).toBe(multi.sha256);
			expect(received.ranges).toHaveLength(count);
			expect(received.ranges[0]).toBe(`0-${chunkSize - 1}`);
			expect(received.ranges.at(-1)).toBe(`${(count - 1) * chunkSize}-${multi.size - 1}`);
			expect(received.puts.map((put) => put.status)).toEqual([...Array(count - 1).fill(206), 201]);
		},
	);

	test.each([
		['video/quicktime', 'clip.mov', 'video/quicktime'],
		['video/webm', 'clip.webm', 'video/webm'],
		['application/octet-stream', 'clip.mov', 'video/quicktime'],
	])('MIME %s (%s) is sent as %s', async (mimeType, fileName, sent) => {
		const { items } = await upload(binaryFromFile(small.path, { mimeType, fileName }));
		const received = sandbox.state.uploads[items[0].json.publish_id];
		expect(received.puts[0].contentType).toBe(sent);
	});

	test('a 5xx on a chunk is retried with the same bytes', async () => {
		sandbox.addFault({ target: 'chunk', chunkIndex: 1, kind: 'status', status: 503, times: 1 });
		const { items } = await upload(binaryFromFile(multi.path));
		const received = sandbox.state.uploads[items[0].json.publish_id];
		expect(received.sha256).toBe(multi.sha256);
		expect(received.puts.map((put) => put.status)).toEqual([
			206, 503, 206, 206, 206, 206, 206, 201,
		]);
	});

	test('an expired upload URL ends in a clear error without the URL', async () => {
		sandbox.addFault({ target: 'chunk', chunkIndex: 0, kind: 'expired' });
		const error = await upload(binaryFromFile(small.path)).catch((e) => e);
		expect(error.message).toMatch(/upload URL expired: TikTok allows one hour/);
		expect(error.message).toMatch(/chunk 1 of 1/);
		expectNoSecrets(error);
	});
});

describe('bad input ends before any TikTok call', () => {
	test.each([
		[
			'missing binary property',
			{ items: [{ json: {} }] },
			/No binary property "data"/,
			/Read\/Write Files from Disk/,
		],
		[
			'wrong binary property name',
			{ items: [{ json: {}, binary: { video: {} } }] },
			/No binary property "data"/,
			/one of: video/,
		],
		[
			'unsupported MIME',
			{ binary: { mimeType: 'image/png', fileName: 'a.png' } },
			/does not accept files of type "image\/png"/,
			/MP4, MOV or WebM/,
		],
		['empty file', { size: 0 }, /empty/, /1 byte and 4 GB/],
		['file over 4 GB', { size: 4 * 1024 ** 3 + 1 }, /at most 4 GB/, /4 GB/],
	])('%s', async (_name, setup, message, fix) => {
		const before = apiCallCount();
		const binary = { ...binaryFromFile(small.path), ...(setup.binary ?? {}) };
		const options = { items: setup.items ?? [{ json: {}, binary: { data: binary } }] };
		if (setup.size !== undefined)
			options.helperOverrides = { getBinaryMetadata: async () => ({ fileSize: setup.size }) };
		const error = await upload(binary, options).catch((e) => e);
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(fix);
		expect(apiCallCount()).toBe(before);
	});

	test.each([
		['empty publish id', '', /Publish ID is empty/],
		['malformed publish id', 'not a publish id!', /is not a TikTok publish ID/],
		['whitespace only', '   ', /Publish ID is empty/],
	])('Check Status: %s', async (_name, publishId, message) => {
		const before = apiCallCount();
		const error = await run({ resource: 'video', operation: 'checkStatus', publishId }).catch(
			(e) => e,
		);
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(/\$json\.publish_id/);
		expect(apiCallCount()).toBe(before);
	});

	test('Get User Info with no fields', async () => {
		const before = apiCallCount();
		const error = await run({ resource: 'user', operation: 'getUserInfo', fields: [] }).catch(
			(e) => e,
		);
		expect(error.message).toMatch(/No fields selected/);
		expect(apiCallCount()).toBe(before);
	});
});

describe('Check Status', () => {
	test('follows an upload to the inbox, then reports 19-digit post ids exactly', async () => {
		const { items, credentials } = await upload(binaryFromFile(small.path));
		const publishId = items[0].json.publish_id;
		await waitForUpload(sandbox, publishId, (upload) => upload.status === 'SEND_TO_USER_INBOX');
		const status = (
			await run({ resource: 'video', operation: 'checkStatus', publishId }, { credentials })
		).items[0].json;
		expect(status).toMatchObject({
			publish_id: publishId,
			status: 'SEND_TO_USER_INBOX',
			uploaded_bytes: 3_000_000,
			publicaly_available_post_id: [],
		});
		expect(status.status_hint).toMatch(/inbox/);

		sandbox.publishDraft(publishId, 2);
		const posted = (
			await run({ resource: 'video', operation: 'checkStatus', publishId }, { credentials })
		).items[0].json;
		expect(posted.status).toBe('PUBLISH_COMPLETE');
		expect(posted.publicaly_available_post_id).toEqual([
			'7300000000000000001',
			'7300000000000000002',
		]);
	});

	test("an unknown publish id gives TikTok's code, message, log_id and the fix", async () => {
		const error = await run({
			resource: 'video',
			operation: 'checkStatus',
			publishId: 'v_inbox_file~v2.999',
		}).catch((e) => e);
		expect(error.message).toMatch(/TikTok error "invalid_publish_id"/);
		expect(error.description).toMatch(/publish ID returned by Upload Draft.*log_id: \w+/);
		expect(error.httpCode).toBe('400');
	});
});

describe('Get User Info', () => {
	test('returns only the requested fields, flat', async () => {
		const { items } = await run({
			resource: 'user',
			operation: 'getUserInfo',
			fields: ['open_id', 'display_name', 'follower_count'],
		});
		expect(Object.keys(items[0].json).sort()).toEqual([
			'display_name',
			'follower_count',
			'open_id',
		]);
		expect(items[0].json.display_name).toBe('Sandbox Creator');
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('a field of an ungranted scope maps to scope_not_authorized with the fix', async () => {
		const credentials = await connectedCredential(['user.info.basic', 'video.upload']);
		const error = await run(
			{ resource: 'user', operation: 'getUserInfo', fields: ['follower_count'] },
			{ credentials },
		).catch((e) => e);
		expect(error.message).toMatch(/scope_not_authorized/);
		expect(error.description).toMatch(/Scopes/);
	});
});

describe('errors from TikTok', () => {
	test('429 on every try of init: rate_limit_exceeded with the pacing fix', async () => {
		sandbox.addFault({
			target: 'inboxInit',
			kind: 'status',
			status: 429,
			times: 3,
			retryAfterSeconds: 0,
		});
		const error = await upload(binaryFromFile(small.path)).catch((e) => e);
		expect(error.message).toMatch(/rate_limit_exceeded/);
		expect(error.description).toMatch(/6 uploads .* per minute/);
	});

	test('pending-draft cap: spam_risk_too_many_pending_share explains the inbox limit', async () => {
		sandbox.configure({ maxPendingShares: 0 });
		try {
			const error = await upload(binaryFromFile(small.path)).catch((e) => e);
			expect(error.message).toMatch(/spam_risk_too_many_pending_share/);
			expect(error.description).toMatch(/5 drafts waiting/);
		} finally {
			sandbox.configure({ maxPendingShares: 1000 });
		}
	});

	test('Continue On Fail: an error item with pairedItem, the next item still runs', async () => {
		const good = binaryFromFile(small.path);
		const { items } = await run(
			{ resource: 'video', operation: 'uploadDraft', binaryPropertyName: 'data', options: {} },
			{ items: [{ json: {} }, { json: {}, binary: { data: good } }], continueOnFail: true },
		);
		expect(items).toHaveLength(2);
		expect(items[0]).toEqual({
			json: { error: expect.stringMatching(/No binary property/), description: expect.any(String) },
			pairedItem: { item: 0 },
		});
		expect(items[1].json.publish_id).toMatch(/^v_inbox_file~/);
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	test("Continue On Fail keeps TikTok's code and log_id", async () => {
		const { items } = await run(
			{ resource: 'video', operation: 'checkStatus', publishId: 'v_inbox_file~v2.404' },
			{ continueOnFail: true },
		);
		expect(items[0].json).toMatchObject({ code: 'invalid_publish_id', log_id: expect.any(String) });
	});
});

describe('expired access token', () => {
	const userInfo = { resource: 'user', operation: 'getUserInfo', fields: ['display_name'] };

	test('refreshes with client_key, retries, and reuses the new token within the execution', async () => {
		const credentials = await connectedCredential();
		const stored = structuredClone(credentials);
		sandbox.expireAccessTokens();
		const refreshesBefore = sandbox.state.tokenRequests.filter(
			(r) => r.grant_type === 'refresh_token',
		).length;

		const first = await run(userInfo, { credentials, executionId: 'refresh-1' });
		expect(first.items[0].json.display_name).toBe('Sandbox Creator');
		const refreshes = sandbox.state.tokenRequests.filter((r) => r.grant_type === 'refresh_token');
		expect(refreshes).toHaveLength(refreshesBefore + 1);
		expect(refreshes.at(-1)).toMatchObject({
			hasClientKey: true,
			clientKey: 'sandbox-client-key',
			ok: true,
		});

		// A later node of the same execution uses the refreshed token: no second refresh.
		await run(userInfo, { credentials, executionId: 'refresh-1' });
		expect(
			sandbox.state.tokenRequests.filter((r) => r.grant_type === 'refresh_token'),
		).toHaveLength(refreshesBefore + 1);

		// A new execution only has the stored, now rotated-out refresh token: reconnect.
		const error = await run(userInfo, { credentials, executionId: 'refresh-2' }).catch((e) => e);
		expect(error.message).toMatch(/needs to be reconnected.*invalid_grant/);
		expect(error.description).toMatch(/Connect my account/);
		expectNoSecrets(error);
		expect(credentials).toEqual(stored);
	});

	test('a token endpoint answering HTTP 200 with an error body is a failure, never a token', async () => {
		const credentials = await connectedCredential();
		sandbox.expireAccessTokens();
		sandbox.addFault({ target: 'token', kind: 'errorBody', error: 'invalid_grant', times: 1 });
		const error = await run(userInfo, { credentials, executionId: 'refresh-3' }).catch((e) => e);
		expect(error.message).toMatch(/refreshing the access token failed \(invalid_grant/);
	});

	test('a credential holding a stored TikTok error body asks to reconnect before calling TikTok', async () => {
		const credentials = await connectedCredential();
		credentials.oauthTokenData = {
			error: 'invalid_client',
			error_description: 'Client key does not match',
			log_id: 'L1',
		};
		const before = apiCallCount();
		const error = await run(userInfo, { credentials }).catch((e) => e);
		expect(error.message).toMatch(
			/reconnected: TikTok refused the connection \(invalid_client, Client key does not match, log_id L1\)/,
		);
		expect(apiCallCount()).toBe(before);
	});
});

describe('credential', () => {
	test('sends client_key on authorize and code exchange, comma scopes, hosts from fields', async () => {
		const { TikTokOAuth2Api } = await import('../helpers/dist.mjs');
		const byName = Object.fromEntries(new TikTokOAuth2Api().properties.map((p) => [p.name, p]));
		expect(new TikTokOAuth2Api()).toMatchObject({
			name: 'tikTokOAuth2Api',
			extends: ['oAuth2Api'],
		});
		expect(byName.clientId.displayName).toBe('Client Key');
		expect(byName.clientSecret.displayName).toBe('Client Secret');
		expect(byName.authQueryParameters.default).toMatch(/client_key=.*\$self\["clientId"\]/);
		expect(byName.additionalBodyProperties.default).toMatch(/client_key: \$self\["clientId"\]/);
		expect(byName.authentication.default).toBe('body');
		expect(byName.apiBaseUrl).toMatchObject({
			type: 'hidden',
			default: 'https://open.tiktokapis.com',
		});
		expect(byName.tikTokScopes.default).toBe('user.info.basic,video.upload');
		// Not `scopes`: n8n's credential dialog writes the user's permissions into a field of that name.
		expect(byName.scopes).toBeUndefined();
		expect(byName.scope.default).toBe('={{$self["tikTokScopes"]}}');
	});
});

describe('fault matrix', () => {
	const initCalls = () =>
		sandbox.state.apiCalls.filter((call) => call.endpoint === 'inboxInit').length;
	const uploadCount = () => Object.keys(sandbox.state.uploads).length;

	test.each([
		['5xx on chunk 2, once', [{ kind: 'status', status: 503, times: 1 }], [206, 503, 206]],
		['5xx on chunk 2, twice', [{ kind: 'status', status: 502, times: 2 }], [206, 502, 502, 206]],
		['connection reset mid-chunk 2', [{ kind: 'reset', times: 1 }], [206, 'reset', 206]],
	])(
		'%s: the same chunk is re-sent, byte-exact, one publish id',
		async (_name, faults, firstPuts) => {
			for (const fault of faults) sandbox.addFault({ target: 'chunk', chunkIndex: 1, ...fault });
			const [inits, uploads] = [initCalls(), uploadCount()];
			const { items } = await upload(binaryFromFile(multi.path));
			const received = sandbox.state.uploads[items[0].json.publish_id];
			expect(received).toMatchObject({ complete: true, sha256: multi.sha256 });
			expect(received.puts.map((put) => put.status).slice(0, firstPuts.length)).toEqual(firstPuts);
			expect([initCalls() - inits, uploadCount() - uploads]).toEqual([1, 1]);
		},
	);

	test('5xx on every try of chunk 3: bounded, then an error naming chunk 3 of 7 and the publish id; no second init', async () => {
		sandbox.addFault({ target: 'chunk', chunkIndex: 2, kind: 'status', status: 500, times: 3 });
		const inits = initCalls();
		const error = await upload(binaryFromFile(multi.path)).catch((e) => e);
		expect(error.message).toMatch(/Uploading chunk 3 of 7 failed after 3 tries: HTTP 500/);
		expect(error.description).toMatch(/Publish ID v_inbox_file~\S+ was not completed/);
		expect(initCalls() - inits).toBe(1);
		expectNoSecrets(error);
	});

	test('416 on a chunk: no blind retry, a clear error', async () => {
		sandbox.addFault({ target: 'chunk', chunkIndex: 0, kind: 'status', status: 416 });
		const error = await upload(binaryFromFile(small.path)).catch((e) => e);
		expect(error.message).toMatch(/chunk 1 of 1 failed: TikTok expected a different byte range/);
		const [, publishId] = /Publish ID (\S+) was not completed/.exec(error.description);
		expect(sandbox.state.uploads[publishId].puts.map((put) => put.status)).toEqual([416]);
	});

	test('429 on init once (Retry-After: 1): waits and succeeds with one publish id', async () => {
		sandbox.addFault({ target: 'inboxInit', kind: 'status', status: 429, retryAfterSeconds: 1 });
		const [inits, uploads] = [initCalls(), uploadCount()];
		const { items } = await upload(binaryFromFile(small.path));
		expect(items[0].json.publish_id).toMatch(/^v_inbox_file~/);
		expect([initCalls() - inits, uploadCount() - uploads]).toEqual([2, 1]);
	});

	test('5xx on init once: retried with backoff, never two publish ids', async () => {
		sandbox.addFault({ target: 'inboxInit', kind: 'status', status: 503 });
		const [inits, uploads] = [initCalls(), uploadCount()];
		const { items } = await upload(binaryFromFile(small.path));
		expect(items[0].json.publish_id).toMatch(/^v_inbox_file~/);
		expect([initCalls() - inits, uploadCount() - uploads]).toEqual([2, 1]);
	});

	test('429 on status fetch once: retried', async () => {
		const { items } = await upload(binaryFromFile(small.path));
		sandbox.addFault({ target: 'statusFetch', kind: 'status', status: 429, retryAfterSeconds: 0 });
		const status = await run({
			resource: 'video',
			operation: 'checkStatus',
			publishId: items[0].json.publish_id,
		});
		expect(status.items[0].json.publish_id).toBe(items[0].json.publish_id);
	});

	test('token endpoint answers HTTP 200 with an error body: a reconnect error, the credential untouched', async () => {
		const credentials = await connectedCredential();
		const before = structuredClone(credentials);
		sandbox.expireAccessTokens();
		sandbox.addFault({ target: 'token', kind: 'errorBody' });
		const error = await run(
			{ resource: 'user', operation: 'getUserInfo', fields: ['open_id'] },
			{ credentials },
		).catch((e) => e);
		expect(error.message).toMatch(/needs to be reconnected: refreshing the access token failed/);
		expect(credentials).toEqual(before);
		expectNoSecrets(error);
	});

	test('workflow cancelled mid-upload: stops within a second, the upload left incomplete', async () => {
		const controller = new AbortController();
		const known = knownUploads();
		// Cancel once this run's upload has stored its first chunk.
		const watcher = setInterval(() => {
			const [mine] = uploadsSince(known);
			if (mine?.puts.some((put) => put.status === 206)) controller.abort();
		}, 5);
		const started = Date.now();
		let cancelledAt;
		controller.signal.addEventListener('abort', () => (cancelledAt = Date.now()));
		const error = await upload(binaryFromFile(multi.path), {
			cancelSignal: controller.signal,
		}).catch((e) => e);
		clearInterval(watcher);
		const stoppedAt = Date.now();
		expect(error.message).toMatch(/cancel|abort/i);
		expect(cancelledAt).toBeGreaterThanOrEqual(started);
		expect(stoppedAt - cancelledAt).toBeLessThan(1000);
		const mine = uploadsSince(known);
		expect(mine).toHaveLength(1);
		expect(mine[0].complete).toBe(false);
	});

	test('8 videos in one run against a 6-per-window limit: paced by Retry-After, all 8 drafts', async () => {
		sandbox.configure({ rateLimits: { inboxInit: 6 }, rateWindowSeconds: 2, sendRetryAfter: true });
		try {
			const binary = binaryFromFile(small.path);
			const { items } = await run(
				{ resource: 'video', operation: 'uploadDraft', binaryPropertyName: 'data', options: {} },
				{ items: Array.from({ length: 8 }, () => ({ json: {}, binary: { data: binary } })) },
			);
			expect(items.map((item) => item.pairedItem.item)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
			expect(new Set(items.map((item) => item.json.publish_id)).size).toBe(8);
			const limited = sandbox.state.apiCalls.filter((call) => call.code === 'rate_limit_exceeded');
			expect(limited.length).toBeGreaterThanOrEqual(1);
		} finally {
			sandbox.configure({
				rateLimits: { inboxInit: 1000 },
				rateWindowSeconds: 60,
				sendRetryAfter: false,
			});
		}
	});
});
