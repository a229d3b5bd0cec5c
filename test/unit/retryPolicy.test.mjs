// The retry rules per call kind: the pure decision table, then every call kind × fault against
// the sandbox (faults before and after TikTok acted), counting requests sent, tasks created and
// the item's outcome. Also n8n's Retry On Fail, emulated as n8n 2.8.4 does it: the whole node
// runs again in the same execution.
import { createRequire } from 'node:module';
import { binaryFromFile, createExecuteFunctions } from '../helpers/n8nContext.mjs';
import { UNCAPPED, useSandboxWithMedia } from '../helpers/sandbox.mjs';
import { TikTok } from '../helpers/dist.mjs';
import { expectNoSecrets, nodeRunner } from '../helpers/sandboxRun.mjs';
import { credentialStore, unattendedExecution } from '../helpers/unattendedN8n.mjs';
import { writeSampleVideo } from '../../e2e/lib/videos.mjs';

const require = createRequire(import.meta.url);
const policy = require('../../dist/nodes/TikTok/transport/retryPolicy.js');

describe('nextStep: what happens after one send, per call kind', () => {
	const { nextStep, callKindOf, API_ATTEMPTS } = policy;
	const answer = (statusCode) => ({ statusCode });
	const reset = { failure: 'mayHaveReached' };
	const refused = { failure: 'notSent' };

	test.each([
		// kind, result, attempt, step
		['read', answer(200), 1, 'answer'],
		['read', answer(400), 1, 'answer'],
		['read', answer(429), 1, 'retry'],
		['read', answer(429), API_ATTEMPTS, 'answer'],
		['read', answer(503), 1, 'retry'],
		['read', answer(503), API_ATTEMPTS, 'answer'],
		['read', reset, 1, 'retry'],
		['read', reset, API_ATTEMPTS, 'fail'],
		['read', refused, 2, 'retry'],
		['fileUploadInit', answer(500), 1, 'retry'],
		['fileUploadInit', reset, 1, 'retry'],
		['fileUploadInit', answer(429), 2, 'retry'],
		['pullInit', answer(200), 1, 'answer'],
		['pullInit', answer(403), 1, 'answer'],
		['pullInit', answer(429), 1, 'retry'],
		['pullInit', answer(500), 1, 'unknownOutcome'],
		['pullInit', answer(502), 2, 'unknownOutcome'],
		['pullInit', reset, 1, 'unknownOutcome'],
		['pullInit', refused, 1, 'retry'],
		['pullInit', refused, API_ATTEMPTS, 'fail'],
		['cancel', answer(503), 1, 'retry'],
		['cancel', reset, 1, 'retry'],
	])('%s, %j, try %i → %s', (kind, result, attempt, step) => {
		expect(nextStep(kind, result, attempt)).toBe(step);
	});

	test.each([
		['/v2/post/publish/status/fetch/', {}, 'read'],
		['/v2/user/info/', undefined, 'read'],
		['/v2/post/publish/creator_info/query/', {}, 'read'],
		['/v2/video/list/', {}, 'read'],
		['/v2/post/publish/cancel/', {}, 'cancel'],
		[
			'/v2/post/publish/inbox/video/init/',
			{ source_info: { source: 'FILE_UPLOAD' } },
			'fileUploadInit',
		],
		['/v2/post/publish/video/init/', { source_info: { source: 'FILE_UPLOAD' } }, 'fileUploadInit'],
		[
			'/v2/post/publish/inbox/video/init/',
			{ source_info: { source: 'PULL_FROM_URL' } },
			'pullInit',
		],
		['/v2/post/publish/video/init/', { source_info: { source: 'PULL_FROM_URL' } }, 'pullInit'],
		['/v2/post/publish/content/init/', { source_info: { source: 'PULL_FROM_URL' } }, 'pullInit'],
		['/v2/post/publish/content/init/', {}, 'pullInit'],
	])('%s %j is a %s call', (path, body, kind) => {
		expect(callKindOf(path, body)).toBe(kind);
	});

	test('the worst case per API call is one named number', () => {
		expect(policy.MAX_API_REQUESTS_PER_CALL).toBe(5);
		expect(policy.MAX_TOKEN_REQUESTS_PER_CALL).toBe(2);
		expect(policy.MAX_HTTP_REQUESTS_PER_API_CALL).toBe(7);
	});

	test.each([
		[answer(503), 1, 1000],
		[answer(503), 2, 2000],
		[reset, 2, 2000],
		[{ statusCode: 429, retryAfter: '3' }, 1, 3000],
		[{ statusCode: 429, retryAfter: '999' }, 1, 65_000],
		[{ statusCode: 429 }, 1, 60_000],
		[{ statusCode: 429, retryAfter: 'soon' }, 1, 60_000],
	])('retry delay after %j on try %i: %i ms', (result, attempt, ms) => {
		expect(policy.retryDelayMs(result, attempt)).toBe(ms);
	});
});

describe('every call kind × fault, against the sandbox', () => {
	let clip;
	let multi;

	const { media, sandbox } = useSandboxWithMedia(
		(dir) => {
			clip = writeSampleVideo(dir, 'clip.mp4', 3_000_000);
			multi = writeSampleVideo(dir, 'multi.mp4', 70_000_123);
			for (const name of ['1.jpg', '2.jpg']) writeSampleVideo(dir, name, 50_000);
		},
		{ ...UNCAPPED, processingMs: 50 },
	);

	const { run, connectedCredential, unattendedCredential } = nodeRunner(() => sandbox);
	const apiCalls = () => sandbox.state.apiCalls.length;
	const tasks = () => Object.keys(sandbox.state.uploads).length;

	const operations = {
		'Upload Draft, binary (file init)': {
			target: 'inboxInit',
			parameters: { resource: 'video', operation: 'uploadDraft', binaryPropertyName: 'data' },
			binary: () => clip,
		},
		'Upload Draft, URL (pull init)': {
			target: 'inboxInit',
			parameters: {
				resource: 'video',
				operation: 'uploadDraft',
				videoSource: 'url',
				videoUrl: () => media.urlOf('clip.mp4'),
			},
		},
		'Direct Post, URL (pull init)': {
			target: 'directPostInit',
			parameters: {
				resource: 'video',
				operation: 'directPost',
				videoSource: 'url',
				videoUrl: () => media.urlOf('clip.mp4'),
				privacyLevel: 'SELF_ONLY',
			},
		},
		'Photo draft (pull init)': {
			target: 'contentInit',
			parameters: {
				resource: 'photo',
				operation: 'post',
				postMode: 'draft',
				photoUrls: () => ['1.jpg', '2.jpg'].map(media.urlOf).join('\n'),
			},
		},
	};

	async function runOperation(name, { items = 1, retryOnFail = 1 } = {}) {
		const spec = operations[name];
		const parameters = { authentication: 'oAuth2', options: {} };
		for (const [key, value] of Object.entries(spec.parameters))
			parameters[key] = typeof value === 'function' ? value() : value;
		const inputs = Array.from({ length: items }, () =>
			spec.binary
				? { json: {}, binary: { data: binaryFromFile(spec.binary().path) } }
				: { json: {} },
		);
		// n8n's Retry On Fail: the node runs again, every item, in the same execution.
		const credentials = await connectedCredential();
		const executionId = `retry-${Math.random()}`;
		let outcome;
		for (let tryIndex = 0; tryIndex < retryOnFail; tryIndex++) {
			const context = createExecuteFunctions({
				parameters,
				credentials,
				items: inputs,
				executionId,
			});
			try {
				const [output] = await new TikTok().execute.call(context);
				return { items: output };
			} catch (error) {
				outcome = { error };
			}
		}
		return outcome;
	}

	// operation, fault, [requests to the init endpoint, tasks created], outcome
	test.each([
		['Upload Draft, binary (file init)', { kind: 'status', status: 503 }, [2, 1], 'posted'],
		['Upload Draft, binary (file init)', { kind: 'reset' }, [2, 1], 'posted'],
		[
			'Upload Draft, binary (file init)',
			{ kind: 'status', status: 503, when: 'afterEffect' },
			[2, 2],
			'posted',
		],
		['Upload Draft, binary (file init)', { kind: 'reset', when: 'afterEffect' }, [2, 2], 'posted'],
		[
			'Upload Draft, URL (pull init)',
			{ kind: 'status', status: 429, retryAfterSeconds: 0 },
			[2, 1],
			'posted',
		],
		['Upload Draft, URL (pull init)', { kind: 'status', status: 503 }, [1, 0], 'unknown'],
		[
			'Upload Draft, URL (pull init)',
			{ kind: 'status', status: 500, when: 'afterEffect' },
			[1, 1],
			'unknown',
		],
		['Upload Draft, URL (pull init)', { kind: 'reset', when: 'afterEffect' }, [1, 1], 'unknown'],
		[
			'Direct Post, URL (pull init)',
			{ kind: 'status', status: 502, when: 'afterEffect' },
			[1, 1],
			'unknown',
		],
		['Direct Post, URL (pull init)', { kind: 'reset', when: 'afterEffect' }, [1, 1], 'unknown'],
		[
			'Photo draft (pull init)',
			{ kind: 'status', status: 500, when: 'afterEffect' },
			[1, 1],
			'unknown',
		],
		['Photo draft (pull init)', { kind: 'reset', when: 'afterEffect' }, [1, 1], 'unknown'],
		['Photo draft (pull init)', { kind: 'reset' }, [1, 0], 'unknown'],
	])(
		'%s, init fault %j: [init requests, tasks] %j, item %s; Retry On Fail (3 tries) sends nothing more',
		async (name, fault, [requests, created], outcome) => {
			const { target } = operations[name];
			sandbox.addFault({ target, ...fault });
			const [callsBefore, tasksBefore] = [apiCalls(), tasks()];
			const result = await runOperation(name, { retryOnFail: 3 });
			const inits = sandbox.state.apiCalls.slice(callsBefore).filter((c) => c.endpoint === target);
			expect([inits.length, tasks() - tasksBefore]).toEqual([requests, created]);
			if (outcome === 'posted') {
				expect(result.items[0].json.publish_id).toBeTruthy();
			} else {
				expect(result.error.message).toMatch(
					/TikTok may have accepted the (draft|post|photo post), but its answer was lost/,
				);
				expect(result.error.description).toMatch(
					/Do not run this item again before checking: it could post twice/,
				);
				expectNoSecrets(result.error);
			}
		},
	);

	test.each([
		['final chunk stored, 503 answered', { kind: 'status', status: 503, when: 'afterEffect' }],
		['final chunk stored, connection reset', { kind: 'reset', when: 'afterEffect' }],
	])(
		'Upload Draft, %s: the repeat gets 416, the status shows every byte: one task, the item succeeds',
		async (_name, fault) => {
			sandbox.addFault({ target: 'chunk', chunkIndex: 6, ...fault });
			const tasksBefore = tasks();
			const { items } = await run(
				{
					authentication: 'oAuth2',
					resource: 'video',
					operation: 'uploadDraft',
					binaryPropertyName: 'data',
					options: {},
				},
				{ items: [{ json: {}, binary: { data: binaryFromFile(multi.path) } }] },
			);
			const json = items[0].json;
			expect(json).toMatchObject({ total_chunk_count: 7, chunk_answers_confirmed_by_status: 1 });
			const received = sandbox.state.uploads[json.publish_id];
			expect(received).toMatchObject({ complete: true, sha256: multi.sha256 });
			expect(received.puts.slice(-2).map((put) => put.status)).toEqual([
				fault.kind === 'reset' ? 'reset' : 503,
				416,
			]);
			expect(tasks() - tasksBefore).toBe(1);
		},
	);

	test('a middle chunk stored but its answer lost: confirmed by status, the upload goes on byte-exact', async () => {
		sandbox.addFault({
			target: 'chunk',
			chunkIndex: 2,
			kind: 'status',
			status: 502,
			when: 'afterEffect',
		});
		const { items } = await run(
			{
				authentication: 'oAuth2',
				resource: 'video',
				operation: 'uploadDraft',
				binaryPropertyName: 'data',
				options: {},
			},
			{ items: [{ json: {}, binary: { data: binaryFromFile(multi.path) } }] },
		);
		const received = sandbox.state.uploads[items[0].json.publish_id];
		expect(received).toMatchObject({ complete: true, sha256: multi.sha256 });
		expect(received.puts.map((put) => put.status)).toEqual([
			206, 206, 502, 416, 206, 206, 206, 201,
		]);
	});

	test('final chunk answer lost and the status unreadable: an unknown-outcome error naming the publish id, never "run again"', async () => {
		sandbox.addFault({ target: 'chunk', chunkIndex: 0, kind: 'reset', when: 'afterEffect' });
		sandbox.addFault({ target: 'statusFetch', kind: 'status', status: 500, times: 3 });
		const error = await run(
			{
				authentication: 'oAuth2',
				resource: 'video',
				operation: 'uploadDraft',
				binaryPropertyName: 'data',
				options: {},
			},
			{ items: [{ json: {}, binary: { data: binaryFromFile(clip.path) } }] },
		).catch((e) => e);
		expect(error.message).toMatch(/TikTok may have accepted the upload, but its answer was lost/);
		expect(error.description).toMatch(
			/Check Status with publish ID v_inbox_file~\S+ shows whether TikTok has it/,
		);
		expect(error.description).not.toMatch(/run the item again to start/);
		expectNoSecrets(error);
	});

	test('Retry On Fail after a posted item and a failed one: the posted item is not posted again', async () => {
		const videoUrl = media.urlOf('clip.mp4');
		const credentials = await connectedCredential();
		const parameters = (itemIndex) => ({
			authentication: 'oAuth2',
			resource: 'video',
			operation: 'uploadDraft',
			videoSource: 'url',
			videoUrl: itemIndex === 0 ? videoUrl : 'http://not-https.example/clip.mp4',
			options: {},
		});
		const before = tasks();
		const executionId = 'retry-two-items';
		for (let tryIndex = 0; tryIndex < 3; tryIndex++) {
			const context = createExecuteFunctions({
				parameters,
				credentials,
				items: [{ json: {} }, { json: {} }],
				executionId,
			});
			await expect(new TikTok().execute.call(context)).rejects.toThrow(/not an https URL/);
		}
		expect(tasks() - before).toBe(1);
	});

	describe('the worst case of one API call (Get User Info), counted at the sandbox', () => {
		const userInfo = {
			resource: 'user',
			operation: 'getUserInfo',
			fields: ['open_id'],
		};
		const counted = async (action) => {
			const [apiBefore, tokenBefore] = [apiCalls(), sandbox.state.tokenRequests.length];
			const error = await action().catch((e) => e);
			const api = apiCalls() - apiBefore;
			const token = sandbox.state.tokenRequests.length - tokenBefore;
			expect(api).toBeLessThanOrEqual(policy.MAX_API_REQUESTS_PER_CALL);
			expect(token).toBeLessThanOrEqual(policy.MAX_TOKEN_REQUESTS_PER_CALL);
			expect(api + token).toBeLessThanOrEqual(policy.MAX_HTTP_REQUESTS_PER_API_CALL);
			return { api, token, error };
		};
		const unattended = () => unattendedCredential(['user.info.basic']);

		test('Connect button: expired token, then 503 on every try: 4 API requests and 1 refresh', async () => {
			const credentials = await connectedCredential();
			sandbox.expireAccessTokens();
			sandbox.addFault({ target: 'userInfo', kind: 'status', status: 503, times: 3 });
			const { api, token, error } = await counted(() =>
				run({ authentication: 'oAuth2', ...userInfo }, { credentials }),
			);
			expect([api, token]).toEqual([policy.API_ATTEMPTS + 1, 1]);
			expect(error.message).toMatch(/internal_error/);
		});

		test('unattended: expired token, then 503 on every try: 5 API requests (n8n repeats the 401 itself) and 1 refresh', async () => {
			const store = credentialStore(unattended(), { saveDelayMs: 0 });
			sandbox.expireAccessTokens();
			sandbox.addFault({ target: 'userInfo', kind: 'status', status: 503, times: 3 });
			const { api, token, error } = await counted(() =>
				unattendedExecution(store, { authentication: 'unattended', ...userInfo }, 'worst-1'),
			);
			expect([api, token]).toEqual([policy.MAX_API_REQUESTS_PER_CALL, 1]);
			expect(error.message).toMatch(/internal_error/);
		});

		test('unattended: no access token stored and every new token already expired: 4 API requests, 2 refreshes, then a clear error', async () => {
			const store = credentialStore({ ...unattended(), accessToken: '' }, { saveDelayMs: 0 });
			sandbox.configure({ accessTokenTtlSeconds: 0 });
			try {
				const { api, token, error } = await counted(() =>
					unattendedExecution(store, { authentication: 'unattended', ...userInfo }, 'worst-2'),
				);
				expect([api, token]).toEqual([4, policy.MAX_TOKEN_REQUESTS_PER_CALL]);
				expect(error.message).toMatch(/access_token_invalid/);
				expectNoSecrets(error);
			} finally {
				sandbox.configure({ accessTokenTtlSeconds: 86_400 });
			}
		});
	});
});
