// The TikTok Trigger: signature check first, then parsing, filters and dedupe (tiktok-api.md §11).
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
const trigger = new TikTokTrigger();
const POST_ID = '7434567890123456789'; // 19 digits: rounded by a plain JSON.parse

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

/** Runs the node's webhook() on one signed delivery. */
async function deliver({ body = eventBody(), header, parameters, staticData, credentials } = {}) {
	const run = webhookContext({
		rawBody: body,
		headers: { 'TikTok-Signature': header === undefined ? signatureHeader(body) : header },
		parameters,
		staticData,
		credentials,
	});
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
