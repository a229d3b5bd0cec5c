// The TikTok Trigger: signature check first, then parsing, filters and dedupe.
import { createRequire } from 'node:module';
import { TikTokTrigger, triggerEvents, triggerSignature } from '../helpers/dist.mjs';
import {
	CLIENT_SECRET,
	eventBody,
	nowSeconds,
	signatureHeader,
	webhookContext,
} from '../helpers/webhookContext.mjs';

const { checkTikTokSignature } = triggerSignature;
const { eventItem, EVENT_OPTIONS } = triggerEvents;
const require = createRequire(import.meta.url);
// The same module instance the node uses (one require cache), so its memory is the node's.
const recentEvents = require('../../dist/nodes/TikTokTrigger/recentEvents.js');
// n8n's own static data wrapper, as the engine uses it (CommonJS, like the node).
const { ObservableObject } = require('n8n-workflow');
const trigger = new TikTokTrigger();
const POST_ID = '7434567890123456789'; // 19 digits: rounded by a plain JSON.parse

// The in-process memory lives as long as n8n's process; here, as long as one test.
beforeEach(() => recentEvents.forgetAllRecentEvents());

// One workflow per static data object unless a test says otherwise: tests stay independent.
const workflowIds = new WeakMap();
let workflowCount = 0;
const workflowIdOf = (staticData) => {
	if (!workflowIds.has(staticData)) workflowIds.set(staticData, `wf-${++workflowCount}`);
	return workflowIds.get(staticData);
};

function check(overrides = {}) {
	const rawBody = overrides.rawBody ?? eventBody();
	return checkTikTokSignature({
		header: 'header' in overrides ? overrides.header : signatureHeader(rawBody),
		rawBody: overrides.signedBody ?? rawBody,
		clientSecret: overrides.clientSecret ?? CLIENT_SECRET,
		toleranceSeconds: overrides.toleranceSeconds ?? 300,
		nowSeconds: overrides.nowSeconds ?? nowSeconds(),
	});
}

/**
 * Runs the node's webhook() on one signed delivery. `workflowId` and `mode` say which in-process
 * memory applies (n8n: the workflow's id, 'webhook' for the production URL, 'manual' for tests).
 */
async function deliver({
	body = eventBody(),
	header,
	parameters,
	staticData = {},
	credentials,
	workflowId = workflowIdOf(staticData),
	mode = 'webhook',
} = {}) {
	const run = webhookContext({
		rawBody: body,
		headers: { 'TikTok-Signature': header === undefined ? signatureHeader(body) : header },
		parameters,
		staticData,
		credentials,
	});
	run.context.getWorkflow = () => ({ id: workflowId, active: true });
	run.context.getMode = () => mode;
	const result = await trigger.webhook.call(run.context);
	return { ...run, result, items: result.workflowData?.[0]?.map((item) => item.json) };
}

describe('TikTok-Signature check', () => {
	test('a delivery signed with the client secret passes', () => {
		expect(check()).toEqual({ valid: true, timestamp: expect.any(Number) });
	});

	test('a body changed after signing is refused', () => {
		const signed = eventBody({ content: { publish_id: 'v_inbox_file~v2.1' } });
		const tampered = eventBody({ content: { publish_id: 'v_inbox_file~v2.2' } });
		expect(check({ rawBody: tampered, header: signatureHeader(signed) })).toEqual({
			valid: false,
			reason: 'mismatch',
		});
	});

	test('one changed byte of whitespace is refused: the raw bytes are signed, not the JSON', () => {
		const body = eventBody();
		expect(check({ rawBody: body + ' ', header: signatureHeader(body) }).valid).toBe(false);
	});

	test('a signature made with another secret is refused', () => {
		const body = eventBody();
		const header = signatureHeader(body, { secret: 'someone-elses-secret' });
		expect(check({ rawBody: body, header })).toEqual({ valid: false, reason: 'mismatch' });
	});

	test('a missing header is refused', () => {
		expect(check({ header: undefined })).toEqual({ valid: false, reason: 'missing' });
		expect(check({ header: '' })).toEqual({ valid: false, reason: 'missing' });
	});

	test.each([
		['no fields', 'garbage'],
		['no signature', `t=${nowSeconds()}`],
		['no timestamp', `s=${'a'.repeat(64)}`],
		['signature not hex', `t=${nowSeconds()},s=${'z'.repeat(64)}`],
		['signature too short', `t=${nowSeconds()},s=abcd`],
		['timestamp not a number', `t=soon,s=${'a'.repeat(64)}`],
		['empty parts', ',,'],
	])('a malformed header (%s) is refused', (_name, header) => {
		expect(check({ header })).toEqual({ valid: false, reason: 'malformed' });
	});

	test('a correctly signed but stale delivery (replay) is refused', () => {
		const body = eventBody();
		const old = nowSeconds() - 301;
		expect(check({ rawBody: body, header: signatureHeader(body, { timestamp: old }) })).toEqual({
			valid: false,
			reason: 'stale',
		});
	});

	test('a correctly signed delivery from the future is refused', () => {
		const body = eventBody();
		const ahead = nowSeconds() + 301;
		expect(check({ rawBody: body, header: signatureHeader(body, { timestamp: ahead }) })).toEqual({
			valid: false,
			reason: 'future',
		});
	});

	test('the tolerance is configurable and inclusive', () => {
		const body = eventBody();
		const now = nowSeconds();
		const header = signatureHeader(body, { timestamp: now - 60 });
		expect(check({ rawBody: body, header, nowSeconds: now, toleranceSeconds: 60 }).valid).toBe(
			true,
		);
		expect(check({ rawBody: body, header, nowSeconds: now, toleranceSeconds: 59 })).toEqual({
			valid: false,
			reason: 'stale',
		});
	});

	test('upper-case hex from a sender is accepted', () => {
		const body = eventBody();
		const header = signatureHeader(body).replace(/s=(\w+)/, (_m, hex) => `s=${hex.toUpperCase()}`);
		expect(check({ rawBody: body, header }).valid).toBe(true);
	});
});

describe('settings that would weaken the check refuse every delivery', () => {
	test.each([
		['empty', ''],
		['spaces only', '   '],
		['missing', undefined],
		['null', null],
		['not a string', 12345],
	])('client secret %s → refused, also when signed with that very key', async (_name, secret) => {
		const body = eventBody();
		const header = signatureHeader(body, { secret: typeof secret === 'string' ? secret : '' });
		if (typeof secret === 'string') {
			expect(check({ rawBody: body, header, clientSecret: secret })).toEqual({
				valid: false,
				reason: 'no secret',
			});
		}
		const { result, response, logs, staticData } = await deliver({
			body,
			header,
			credentials: { clientKey: 'trigger-test-client-key', clientSecret: secret },
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(401);
		expect(response.body).toEqual({ error: 'invalid TikTok-Signature' });
		expect(logs).toEqual([expect.stringMatching(/refused a delivery: .*client secret is empty/)]);
		expect(logs.join('\n')).not.toMatch(/s=[0-9a-f]{64}/);
		expect(staticData).toEqual({});
	});

	test.each([
		['NaN', Number.NaN, 'not NaN'],
		['text', 'five minutes', 'not "five minutes"'],
		['empty text', '', 'not ""'],
		['Infinity', Number.POSITIVE_INFINITY, 'not Infinity'],
		['-Infinity', Number.NEGATIVE_INFINITY, 'not -Infinity'],
		['0', 0, 'not 0'],
		['negative', -300, 'not -300'],
		['below 1', 0.5, 'not 0.5'],
		['above 3600', 3601, 'not 3601'],
		['huge', 1e12, 'not 1000000000000'],
		['an object', {}, 'not a value of type object'],
		['a boolean', true, 'not a value of type boolean'],
	])(
		'Signature Tolerance %s → every delivery refused (401), the log says why',
		async (_n, value, shown) => {
			const body = eventBody();
			// Stale by a day: with the time check disabled (NaN) this used to pass.
			const header = signatureHeader(body, { timestamp: nowSeconds() - 86_400 });
			const fresh = signatureHeader(body);
			for (const signature of [header, fresh]) {
				const { result, response, logs } = await deliver({
					body,
					header: signature,
					parameters: { options: { toleranceSeconds: value } },
				});
				expect(result).toEqual({ noWebhookResponse: true });
				expect(response.statusCode).toBe(401);
				expect(logs).toEqual([
					`TikTok Trigger refused a delivery: Signature Tolerance must be a number of seconds from 1 to 3600, ${shown}. Fix the option.`,
				]);
				expect(logs.join('\n')).not.toContain(CLIENT_SECRET);
			}
			if (typeof value === 'number') {
				expect(check({ rawBody: body, header, toleranceSeconds: value })).toEqual({
					valid: false,
					reason: 'bad tolerance',
				});
			}
		},
	);

	test.each([
		['1', 1, 1],
		['300', 300, 300],
		['3600', 3600, 3600],
		['"300" from an expression', '300', 300],
		['2.5', 2.5, 2.5],
		['unset: the default 300', undefined, 300],
		['null: the default 300', null, 300],
	])('Signature Tolerance %s is used as given', async (_n, value, seconds) => {
		const body = eventBody();
		const options = value === undefined ? {} : { toleranceSeconds: value };
		const now = nowSeconds();
		const inside = await deliver({
			body,
			header: signatureHeader(body, { timestamp: now - Math.floor(seconds) + 1 }),
			parameters: { options: { ...options, dropDuplicates: false } },
		});
		expect(inside.items).toHaveLength(1);
		const outside = await deliver({
			body,
			header: signatureHeader(body, { timestamp: now - Math.ceil(seconds) - 2 }),
			parameters: { options },
		});
		expect(outside.response.statusCode).toBe(401);
		expect(outside.logs).toEqual(['TikTok Trigger refused a delivery: signature stale']);
	});

	test('the editor offers 1 to 3600 seconds', () => {
		const tolerance = trigger.description.properties
			.find((p) => p.name === 'options')
			.options.find((o) => o.name === 'toleranceSeconds');
		expect(tolerance.typeOptions).toEqual({ minValue: 1, maxValue: 3600 });
		expect(tolerance.default).toBe(300);
	});
});

describe('webhook(): refusals start nothing', () => {
	test.each([
		['missing', undefined, ''],
		['wrong secret', 'other', undefined],
		['stale', 'stale', undefined],
	])('%s signature → 401, no execution, nothing secret in the answer or log', async (_n, kind) => {
		const body = eventBody();
		let header = '';
		if (kind === 'other') header = signatureHeader(body, { secret: 'wrong' });
		if (kind === 'stale') header = signatureHeader(body, { timestamp: nowSeconds() - 3600 });
		const { result, response, logs, staticData } = await deliver({ body, header });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(401);
		expect(response.body).toEqual({ error: 'invalid TikTok-Signature' });
		expect(logs.join('\n')).toMatch(/refused a delivery/);
		expect(JSON.stringify([response, logs])).not.toContain(CLIENT_SECRET);
		expect(staticData).toEqual({}); // a forged event is not remembered either
	});

	test('the secret comes from the credential chosen by Authentication', async () => {
		const oauth = await deliver();
		expect(oauth.credentialTypes).toEqual(['tikTokOAuth2Api']);
		const unattended = await deliver({ parameters: { authentication: 'unattended' } });
		expect(unattended.credentialTypes).toEqual(['tikTokUnattendedApi']);
		expect(unattended.items).toHaveLength(1);
	});

	test('no raw body (a proxy re-encoded the request) is refused', async () => {
		const run = webhookContext({
			rawBody: undefined,
			headers: { 'TikTok-Signature': 't=1,s=' + 'a'.repeat(64) },
		});
		expect(await trigger.webhook.call(run.context)).toEqual({ noWebhookResponse: true });
		expect(run.response.statusCode).toBe(401);
	});
});

describe('one flat item per event', () => {
	test('post.publish.inbox_delivered', async () => {
		const body = eventBody({
			content: { publish_id: 'v_inbox_file~v2.1795600000000000001', publish_type: 'INBOX_SHARE' },
			createTime: 1_795_600_000,
		});
		const { items, response } = await deliver({ body });
		expect(response.ended).toBe(false); // n8n answers 200 itself (responseMode onReceived)
		expect(items).toEqual([
			{
				event: 'post.publish.inbox_delivered',
				event_key: expect.stringMatching(/^[0-9a-f]{32}$/),
				time: new Date(1_795_600_000_000).toISOString(),
				open_id: 'open-id-1',
				publish_id: 'v_inbox_file~v2.1795600000000000001',
				publish_type: 'INBOX_SHARE',
				raw_event: {
					client_key: 'trigger-test-client-key',
					event: 'post.publish.inbox_delivered',
					create_time: 1_795_600_000,
					user_openid: 'open-id-1',
					content: {
						publish_id: 'v_inbox_file~v2.1795600000000000001',
						publish_type: 'INBOX_SHARE',
					},
				},
			},
		]);
	});

	test('post.publish.publicly_available keeps a 19-digit post id exact, also when sent as a number', () => {
		const content = `{"publish_id":"v_pub_file~v2-1.1","post_id":${POST_ID},"publish_type":"DIRECT_PUBLISH"}`;
		const item = eventItem(
			JSON.parse(eventBody({ event: 'post.publish.publicly_available', content })),
		);
		expect(item.post_id).toBe(POST_ID);
		expect(item.raw_event.content.post_id).toBe(POST_ID);
		const asString = eventItem(
			JSON.parse(
				eventBody({ event: 'post.publish.publicly_available', content: { post_id: POST_ID } }),
			),
		);
		expect(asString.post_id).toBe(POST_ID);
	});

	test('post.publish.failed explains the reason', () => {
		const item = eventItem(
			JSON.parse(
				eventBody({
					event: 'post.publish.failed',
					content: {
						publish_id: 'p_inbox_url~v2.1',
						reason: 'video_pull_failed',
						publish_type: 'INBOX_SHARE',
					},
				}),
			),
		);
		expect(item).toMatchObject({
			event: 'post.publish.failed',
			publish_id: 'p_inbox_url~v2.1',
			reason: 'video_pull_failed',
			reason_hint: expect.stringMatching(/could not download the video URL/),
			publish_type: 'INBOX_SHARE',
		});
	});

	test.each([
		[0, /Unknown/],
		[1, /disconnected the app/],
		[2, /deleted their TikTok account/],
		[3, /age changed/],
		[4, /banned/],
		[5, /developer revoked/],
	])('authorization.removed reason %i has its meaning', (reason, meaning) => {
		const item = eventItem(
			JSON.parse(eventBody({ event: 'authorization.removed', content: { reason } })),
		);
		expect(item).toMatchObject({
			event: 'authorization.removed',
			reason,
			reason_hint: expect.stringMatching(meaning),
		});
		expect(item.publish_id).toBeUndefined();
	});

	test.each([
		'post.publish.complete',
		'post.publish.no_longer_publicaly_available',
		'video.publish.completed',
	])('%s carries its publish id', (event) => {
		const item = eventItem(
			JSON.parse(eventBody({ event, content: { publish_id: 'v_pub_url~v2.9' } })),
		);
		expect(item).toMatchObject({ event, publish_id: 'v_pub_url~v2.9' });
	});

	test('an unknown event and unreadable content still make an item', () => {
		const item = eventItem(JSON.parse(eventBody({ event: 'something.new', content: '{not json' })));
		expect(item).toMatchObject({
			event: 'something.new',
			raw_event: { content: { unparsed_content: '{not json' } },
		});
	});

	test('every event option but All is a distinct TikTok event name', () => {
		const values = EVENT_OPTIONS.map((option) => option.value);
		expect(new Set(values).size).toBe(values.length);
		expect(values).toEqual(
			expect.arrayContaining([
				'*',
				'authorization.removed',
				'post.publish.inbox_delivered',
				'post.publish.publicly_available',
				'post.publish.failed',
				'post.publish.complete',
			]),
		);
	});
});

describe('filters', () => {
	test('an event not selected is answered 200 and starts nothing', async () => {
		const { result } = await deliver({ parameters: { events: ['post.publish.failed'] } });
		expect(result).toEqual({ webhookResponse: { received: true, ignored: 'event not selected' } });
	});

	test('a selected event starts the workflow', async () => {
		const { items } = await deliver({
			parameters: { events: ['post.publish.inbox_delivered', 'post.publish.failed'] },
		});
		expect(items).toHaveLength(1);
	});

	test('All Events and an empty selection pass everything', async () => {
		expect((await deliver({ parameters: { events: ['*'] } })).items).toHaveLength(1);
		expect((await deliver({ parameters: { events: [] } })).items).toHaveLength(1);
	});

	test('Only This Account passes its own open id and drops others', async () => {
		const mine = await deliver({ parameters: { options: { openId: ' open-id-1 ' } } });
		expect(mine.items).toHaveLength(1);
		const other = await deliver({ parameters: { options: { openId: 'open-id-2' } } });
		expect(other.result).toEqual({ webhookResponse: { received: true, ignored: 'other account' } });
	});
});

describe('duplicate deliveries', () => {
	test('the same event twice starts one execution, also with a new signature time', async () => {
		const staticData = {};
		const body = eventBody({ content: { publish_id: 'v_inbox_file~v2.5' } });
		expect((await deliver({ body, staticData })).items).toHaveLength(1);
		const again = await deliver({
			body,
			staticData,
			header: signatureHeader(body, { timestamp: nowSeconds() - 5 }),
		});
		expect(again.result).toEqual({ webhookResponse: { received: true, ignored: 'duplicate' } });
		const other = eventBody({ content: { publish_id: 'v_inbox_file~v2.6' } });
		expect((await deliver({ body: other, staticData })).items).toHaveLength(1);
	});

	test('turned off, every delivery starts an execution', async () => {
		const staticData = {};
		const parameters = { options: { dropDuplicates: false } };
		await deliver({ staticData, parameters });
		expect((await deliver({ staticData, parameters })).items).toHaveLength(1);
		expect(staticData).toEqual({});
	});

	test('the remembered keys stay bounded at 1,000, oldest dropped first', async () => {
		const staticData = {};
		for (let i = 0; i < 1005; i++) {
			await deliver({
				staticData,
				body: eventBody({ content: { publish_id: `v_inbox_file~v2.${i}` } }),
			});
		}
		expect(staticData.recentEventKeys).toHaveLength(1000);
		// The newest is still known; the first one was forgotten.
		const newest = await deliver({
			staticData,
			body: eventBody({ content: { publish_id: 'v_inbox_file~v2.1004' } }),
		});
		expect(newest.result.webhookResponse?.ignored).toBe('duplicate');
		const first = await deliver({
			staticData,
			body: eventBody({ content: { publish_id: 'v_inbox_file~v2.0' } }),
		});
		expect(first.items).toHaveLength(1);
	});
});

describe('dedupe under concurrency: in-process memory, merged into static data', () => {
	const NODE_KEY = 'node:TikTok Trigger';

	/**
	 * What n8n 2.8.4 does per production webhook request: a new Workflow over the row just read
	 * (ObservableObject over the stored static data), and after the run, saveStaticData writes the
	 * whole object back if an assignment marked it changed. Returns the request's copy and its save.
	 */
	function requestCopy(db) {
		const root = ObservableObject.create(JSON.parse(db.text), undefined, {
			ignoreEmptyOnFirstChild: true,
		});
		if (root[NODE_KEY] === undefined) root[NODE_KEY] = ObservableObject.create({}, root);
		return {
			node: root[NODE_KEY],
			save() {
				if (root.__dataChanged === true) db.text = JSON.stringify(root); // last write wins
				root.__dataChanged = false;
			},
		};
	}
	const newDb = () => ({ text: '{}' });
	const storedKeys = (db) => JSON.parse(db.text)[NODE_KEY]?.recentEventKeys ?? [];
	const event = (n) => eventBody({ content: { publish_id: `v_inbox_file~v2.${n}` } });
	const keyOf = (body) => eventItem(JSON.parse(body)).event_key;

	test('two requests with separate copies both write back, in either order: the union survives', async () => {
		for (const order of [
			['a', 'b'],
			['b', 'a'],
		]) {
			recentEvents.forgetAllRecentEvents();
			const db = newDb();
			const copies = { a: requestCopy(db), b: requestCopy(db) }; // both read before any write
			const [a, b] = await Promise.all([
				deliver({ body: event('A'), staticData: copies.a.node, workflowId: 'wf-1' }),
				deliver({ body: event('B'), staticData: copies.b.node, workflowId: 'wf-1' }),
			]);
			expect([a.items, b.items]).toEqual([[expect.any(Object)], [expect.any(Object)]]);
			for (const name of order) copies[name].save();
			expect(storedKeys(db)).toEqual([keyOf(event('A')), keyOf(event('B'))]);

			// After a restart only the stored keys are left; they are enough.
			recentEvents.forgetAllRecentEvents();
			for (const body of [event('A'), event('B')]) {
				const again = await deliver({ body, staticData: requestCopy(db).node, workflowId: 'wf-1' });
				expect(again.result).toEqual({ webhookResponse: { received: true, ignored: 'duplicate' } });
			}
		}
	});

	test('without the in-process memory the same two requests lose a key (why it exists)', async () => {
		const db = newDb();
		const a = requestCopy(db);
		const b = requestCopy(db);
		await deliver({ body: event('A'), staticData: a.node, workflowId: 'wf-1' });
		recentEvents.forgetAllRecentEvents(); // as if B ran in another process
		await deliver({ body: event('B'), staticData: b.node, workflowId: 'wf-1' });
		b.save();
		a.save();
		expect(storedKeys(db)).toEqual([keyOf(event('A'))]);
	});

	test('5 identical deliveries at once: one item, four duplicates', async () => {
		const db = newDb();
		const copies = Array.from({ length: 5 }, () => requestCopy(db));
		const body = event('same');
		const runs = await Promise.all(
			copies.map((copy, index) =>
				deliver({
					body,
					// Each copy with its own signature time, as TikTok's retries have.
					header: signatureHeader(body, { timestamp: nowSeconds() - index }),
					staticData: copy.node,
					workflowId: 'wf-1',
				}),
			),
		);
		expect(runs.filter((run) => run.items).length).toBe(1);
		expect(runs.filter((run) => run.result.webhookResponse?.ignored === 'duplicate').length).toBe(
			4,
		);
		for (const copy of copies.reverse()) copy.save();
		expect(storedKeys(db)).toEqual([keyOf(body)]);
	});

	test('5 different events at once: five items, every key stored whatever the save order; re-sent: none', async () => {
		const db = newDb();
		const bodies = [1, 2, 3, 4, 5].map((n) => event(`burst-${n}`));
		const copies = bodies.map(() => requestCopy(db));
		const runs = await Promise.all(
			bodies.map((body, i) => deliver({ body, staticData: copies[i].node, workflowId: 'wf-1' })),
		);
		expect(runs.map((run) => run.items?.length)).toEqual([1, 1, 1, 1, 1]);
		for (const i of [3, 0, 4, 2, 1]) copies[i].save();
		expect(new Set(storedKeys(db))).toEqual(new Set(bodies.map(keyOf)));

		const again = await Promise.all(
			bodies.map((body) => deliver({ body, staticData: requestCopy(db).node, workflowId: 'wf-1' })),
		);
		expect(again.map((run) => run.result.webhookResponse?.ignored)).toEqual(
			Array(5).fill('duplicate'),
		);
	});

	test('keys only the stored copy holds (another process, before a restart) are kept, as the oldest', async () => {
		const db = { text: JSON.stringify({ [NODE_KEY]: { recentEventKeys: ['x-key', 'y-key'] } }) };
		await deliver({ body: event('A'), staticData: {}, workflowId: 'wf-1' });
		const copy = requestCopy(db);
		const run = await deliver({ body: event('B'), staticData: copy.node, workflowId: 'wf-1' });
		expect(run.items).toHaveLength(1);
		copy.save();
		expect(storedKeys(db)).toEqual(['x-key', 'y-key', keyOf(event('A')), keyOf(event('B'))]);
		// The memory learnt them: a copy without them still knows.
		const memoryOnly = await deliver({ body: event('A'), staticData: {}, workflowId: 'wf-1' });
		expect(memoryOnly.result.webhookResponse?.ignored).toBe('duplicate');
		const stranger = await deliver({ body: event('A'), staticData: {}, workflowId: 'wf-1' });
		expect(stranger.result.webhookResponse?.ignored).toBe('duplicate');
	});

	test('the union stays bounded at 1,000, oldest out: stored-only keys first', () => {
		const stored = Array.from({ length: 600 }, (_, i) => `stored-${i}`);
		for (let i = 0; i < 600; i++) recentEvents.seenBefore({}, `memory-${i}`, 'scope-1');
		const copy = { recentEventKeys: [...stored] };
		expect(recentEvents.seenBefore(copy, 'newest', 'scope-1')).toBe(false);
		expect(copy.recentEventKeys).toHaveLength(1000);
		expect(copy.recentEventKeys[0]).toBe('stored-201');
		expect(copy.recentEventKeys.at(-1)).toBe('newest');
		expect(copy.recentEventKeys).toContain('memory-0');
		expect(recentEvents.seenBefore({}, 'stored-200', 'scope-1')).toBe(false); // dropped
		expect(recentEvents.seenBefore({}, 'stored-300', 'scope-1')).toBe(true);
	});

	test('a duplicate whose copy already holds every key writes nothing; a copy missing keys is repaired', async () => {
		const db = newDb();
		const first = requestCopy(db);
		await deliver({ body: event('A'), staticData: first.node, workflowId: 'wf-1' });
		first.save();
		const complete = requestCopy(db);
		const keys = complete.node.recentEventKeys;
		await deliver({ body: event('A'), staticData: complete.node, workflowId: 'wf-1' });
		expect(complete.node.recentEventKeys).toBe(keys); // not assigned: n8n saves nothing

		const lost = newDb(); // a store whose key another write overwrote
		const stale = requestCopy(lost);
		const again = await deliver({ body: event('A'), staticData: stale.node, workflowId: 'wf-1' });
		expect(again.result.webhookResponse?.ignored).toBe('duplicate');
		stale.save();
		expect(storedKeys(lost)).toEqual([keyOf(event('A'))]);
	});

	test('workflows, trigger nodes and test vs production URL each have their own memory', async () => {
		const body = event('shared');
		expect((await deliver({ body, workflowId: 'wf-1' })).items).toHaveLength(1);
		expect((await deliver({ body, workflowId: 'wf-2' })).items).toHaveLength(1);
		expect((await deliver({ body, workflowId: 'wf-1', mode: 'manual' })).items).toHaveLength(1);
		expect((await deliver({ body, workflowId: 'wf-1' })).result.webhookResponse?.ignored).toBe(
			'duplicate',
		);
	});

	test('every item has event_key: the dedupe key, the same for every delivery of one event', async () => {
		const body = event('keyed');
		const staticData = {};
		const first = await deliver({ body, staticData });
		const [item] = first.items;
		expect(item.event_key).toMatch(/^[0-9a-f]{32}$/);
		expect(staticData.recentEventKeys).toEqual([item.event_key]);
		const parameters = { options: { dropDuplicates: false } };
		const later = await deliver({
			body,
			parameters,
			header: signatureHeader(body, { timestamp: nowSeconds() - 30 }),
		});
		expect(later.items[0].event_key).toBe(item.event_key);
		const other = await deliver({ body: event('other'), parameters });
		expect(other.items[0].event_key).not.toBe(item.event_key);
	});
});

describe('node description', () => {
	test('is a webhook trigger answering at once, with a callback URL notice', () => {
		const { description } = trigger;
		expect(description.name).toBe('tikTokTrigger');
		expect(description.inputs).toEqual([]);
		expect(description.webhooks).toEqual([
			expect.objectContaining({ httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }),
		]);
		const notice = description.properties.find((p) => p.type === 'notice');
		expect(notice.displayName).toMatch(/Production URL.*callback URL.*HTTPS/s);
		const tolerance = description.properties
			.find((p) => p.name === 'options')
			.options.find((o) => o.name === 'toleranceSeconds');
		expect(tolerance.default).toBe(300);
	});
});
