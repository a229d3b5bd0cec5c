// PULL_FROM_URL (docs/tiktok-api.md#pull-from-url): the sandbox downloads the video
// itself from a local file server, hashing and counting the bytes as they stream; redirects,
// error statuses and broken connections fail the task; verified domains and URL prefixes; cancel.
import { TEST_CA, startMediaServer } from './mediaServer.mjs';
import {
	cancelPublish,
	directInit,
	expectEnvelopeError,
	expectOk,
	rawPostIds,
	settled,
	sleep,
	statusFetch,
	waitForUpload,
	usePostingSandbox,
} from './postingClient.mjs';
import { LOG_ID, fileSource, inboxInit, sha256, videoBytes } from './sandboxClient.mjs';

// Status fetch is limited to 30/min per token; these tests poll sandbox.state instead.
const { sandbox, media, token } = usePostingSandbox();
const pullSource = (url) => ({ source: 'PULL_FROM_URL', video_url: url });
const directPull = (t, url, privacy = 'PUBLIC_TO_EVERYONE') =>
	directInit(sandbox, t, { post_info: { privacy_level: privacy }, source_info: pullSource(url) });

describe('inbox PULL_FROM_URL downloads the video', () => {
	test('GETs video_url, counts and hashes the bytes, then SEND_TO_USER_INBOX', async () => {
		const data = videoBytes(3_000_000, 5);
		const url = media.add('inbox.mp4', data);
		sandbox.configure({ processingMs: 150 });
		const t = token();
		const init = await inboxInit(sandbox, t, pullSource(url));
		expectOk(init);
		const publishId = init.body.data.publish_id;
		expect(publishId).toMatch(/^v_inbox_url~v2\.\d{19}$/);
		expect(init.body.data).toEqual({ publish_id: publishId });

		await waitForUpload(sandbox, publishId, (u) => u.complete);
		const processing = await statusFetch(sandbox, t, publishId);
		expect(processing.body.data).toEqual({
			status: 'PROCESSING_DOWNLOAD',
			publicaly_available_post_id: [],
			downloaded_bytes: data.length,
		});
		await waitForUpload(sandbox, publishId, settled);
		const done = await statusFetch(sandbox, t, publishId);
		expect(done.body.data).toEqual({
			status: 'SEND_TO_USER_INBOX',
			publicaly_available_post_id: [],
			downloaded_bytes: data.length,
		});
		expect(sandbox.state.uploads[publishId]).toMatchObject({
			mode: 'inbox',
			source: 'PULL_FROM_URL',
			sha256: sha256(data),
			downloadedBytes: data.length,
			pulls: [{ url, downloadedBytes: data.length, sha256: sha256(data) }],
		});
		expect(media.requests.filter((r) => r.path === '/files/inbox.mp4')).toEqual([
			{ method: 'GET', path: '/files/inbox.mp4', search: '' },
		]);
	});

	test('a pulled inbox draft still counts as a pending share', async () => {
		sandbox.configure({ maxPendingShares: 1 });
		const url = media.add('pending.mp4', Buffer.alloc(10));
		expectOk(await inboxInit(sandbox, token(), pullSource(url)));
		expectEnvelopeError(
			await inboxInit(sandbox, token(), pullSource(url)),
			403,
			'spam_risk_too_many_pending_share',
		);
	});
});

describe('Direct Post PULL_FROM_URL', () => {
	test('a v_pub_url task downloads and ends PUBLISH_COMPLETE with a raw 19-digit post id', async () => {
		const data = videoBytes(1_500_000, 9);
		const url = media.add('direct.mp4', data);
		const t = token();
		const init = await directPull(t, url);
		expectOk(init);
		const publishId = init.body.data.publish_id;
		expect(publishId).toMatch(/^v_pub_url~v2\.\d{19}$/);
		expect(init.body.data).not.toHaveProperty('upload_url');
		await waitForUpload(sandbox, publishId, settled);
		const res = await statusFetch(sandbox, t, publishId);
		expect(res.body.data.status).toBe('PUBLISH_COMPLETE');
		expect(res.body.data.downloaded_bytes).toBe(data.length);
		expect(res.body.data).not.toHaveProperty('uploaded_bytes');
		const ids = rawPostIds(res.text);
		expect(ids).toEqual([expect.stringMatching(/^\d{19}$/)]);
		expect(sandbox.state.uploads[publishId]).toMatchObject({ sha256: sha256(data) });
	});

	test('SELF_ONLY: PUBLISH_COMPLETE without public post ids', async () => {
		const t = token();
		const init = await directPull(t, media.add('private.mp4', Buffer.alloc(100)), 'SELF_ONLY');
		await waitForUpload(sandbox, init.body.data.publish_id, settled);
		const res = await statusFetch(sandbox, t, init.body.data.publish_id);
		expect(res.body.data.status).toBe('PUBLISH_COMPLETE');
		expect(rawPostIds(res.text)).toEqual([]);
	});

	test('bytes are counted while they stream: downloaded_bytes grows before the body ends', async () => {
		const data = videoBytes(2_000_000, 4);
		const url = media.add('streaming.mp4', data, 'slow');
		const t = token();
		const publishId = (await directPull(t, url)).body.data.publish_id;
		const half = Math.floor(data.length / 2);
		await waitForUpload(sandbox, publishId, (u) => u.downloadedBytes === half);
		const midway = await statusFetch(sandbox, t, publishId);
		expect(midway.body.data).toEqual({
			status: 'PROCESSING_DOWNLOAD',
			publicaly_available_post_id: [],
			downloaded_bytes: half,
		});
		media.release();
		await waitForUpload(sandbox, publishId, settled);
		expect(sandbox.state.uploads[publishId]).toMatchObject({
			status: 'PUBLISH_COMPLETE',
			downloadedBytes: data.length,
			sha256: sha256(data),
		});
	});
});

describe('failed pulls: FAILED with video_pull_failed', () => {
	const cases = [
		['a 302 redirect (not followed)', () => media.add('moved.mp4', Buffer.alloc(10), 'redirect')],
		['a 404', () => media.url('/files/missing.mp4')],
		['a 500', () => media.url('/status/500')],
		['a 304 (any 3xx)', () => media.url('/status/304')],
		['a body cut short', () => media.add('cut.mp4', videoBytes(500_000), 'cut')],
		['a refused connection', () => 'http://127.0.0.1:9/refused.mp4'],
	];
	test.each(cases)('%s', async (_name, makeUrl) => {
		const url = makeUrl();
		const t = token();
		for (const init of [await inboxInit(sandbox, t, pullSource(url)), await directPull(t, url)]) {
			expectOk(init);
			const publishId = init.body.data.publish_id;
			await waitForUpload(sandbox, publishId, settled);
			const res = await statusFetch(sandbox, t, publishId);
			expect(res.body.data).toEqual({
				status: 'FAILED',
				fail_reason: 'video_pull_failed',
				publicaly_available_post_id: [],
				downloaded_bytes: expect.any(Number),
			});
		}
	});

	test('the redirect target is never fetched', async () => {
		const url = media.add('moved2.mp4', Buffer.alloc(10), 'redirect');
		const publishId = (await inboxInit(sandbox, token(), pullSource(url))).body.data.publish_id;
		await waitForUpload(sandbox, publishId, settled);
		expect(media.requests.map((r) => r.path)).toContain('/redirect/moved2.mp4');
		expect(media.requests.map((r) => r.path)).not.toContain('/files/moved2.mp4');
	});

	test('a download slower than pullTimeoutMs fails', async () => {
		sandbox.configure({ pullTimeoutMs: 100 });
		const url = media.add('forever.mp4', videoBytes(100_000), 'slow');
		const publishId = (await directPull(token(), url)).body.data.publish_id;
		const upload = await waitForUpload(sandbox, publishId, settled);
		expect(upload).toMatchObject({ status: 'FAILED', failReason: 'video_pull_failed' });
		expect(upload.downloadedBytes).toBe(50_000);
	});
});

describe('URL rules: https, verified domains and prefixes', () => {
	const initWith = (url) => inboxInit(sandbox, token(), pullSource(url));

	test('a verified domain covers its subdomains, not look-alikes', async () => {
		// Accepted pulls wait (then reset aborts them): the tests never reach the internet.
		sandbox.configure({ verifiedDomains: ['example.com'], pullDelayMs: 60_000 });
		for (const url of ['https://example.com/v.mp4', 'https://a.b.example.com/v.mp4']) {
			expectOk(await initWith(url));
		}
		for (const url of [
			'https://evilexample.com/v.mp4',
			'https://example.com.evil.net/v.mp4',
			'http://example.com/v.mp4',
			'ftp://example.com/v.mp4',
			'https://user:pw@example.com/v.mp4',
			'not a url',
		]) {
			expectEnvelopeError(await initWith(url), 403, 'url_ownership_unverified');
		}
	});

	test('an entry starting with https:// is an exact URL prefix', async () => {
		sandbox.configure({ verifiedDomains: ['https://cdn.example.com/media/'], pullDelayMs: 60_000 });
		expectOk(await initWith('https://cdn.example.com/media/v.mp4'));
		expectOk(await initWith('https://cdn.example.com/media/sub/v.mp4?sig=1'));
		for (const url of [
			'https://cdn.example.com/other/v.mp4',
			'https://cdn.example.com/mediaX/v.mp4',
			'https://sub.cdn.example.com/media/v.mp4',
			'http://cdn.example.com/media/v.mp4',
		]) {
			expectEnvelopeError(await initWith(url), 403, 'url_ownership_unverified');
		}
	});

	test('an http:// prefix entry works for the local server, and only under that prefix', async () => {
		sandbox.configure({ verifiedDomains: [`${media.baseUrl}/files/`] });
		const url = media.add('prefixed.mp4', Buffer.alloc(1234, 3));
		const init = await initWith(url);
		expectOk(init);
		const upload = await waitForUpload(sandbox, init.body.data.publish_id, settled);
		expect(upload).toMatchObject({ status: 'SEND_TO_USER_INBOX', downloadedBytes: 1234 });
		expectEnvelopeError(
			await initWith(media.add('prefixed.mp4', Buffer.alloc(1), 'slow')),
			403,
			'url_ownership_unverified',
		);
	});

	test('plain http is accepted for 127.0.0.1 only (not localhost, not other hosts)', async () => {
		sandbox.configure({
			verifiedDomains: ['127.0.0.1', 'localhost', 'example.com'],
			pullDelayMs: 60_000,
		});
		const port = new URL(media.baseUrl).port;
		expectOk(await initWith(`http://127.0.0.1:${port}/files/x.mp4`));
		expectEnvelopeError(
			await initWith(`http://localhost:${port}/files/x.mp4`),
			403,
			'url_ownership_unverified',
		);
		expectEnvelopeError(
			await initWith('http://cdn.example.com/x.mp4'),
			403,
			'url_ownership_unverified',
		);
	});

	test('the state shows pulled URLs without their query string', async () => {
		const url = `${media.add('signed.mp4', Buffer.alloc(10))}?X-Signature=secret-value`;
		const publishId = (await initWith(url)).body.data.publish_id;
		const upload = await waitForUpload(sandbox, publishId, settled);
		expect(upload.pulls).toEqual([
			{
				url: `${media.baseUrl}/files/signed.mp4`,
				downloadedBytes: 10,
				sha256: sha256(Buffer.alloc(10)),
			},
		]);
		expect(JSON.stringify(sandbox.state)).not.toContain('secret-value');
		// The server did get the full URL.
		expect(media.requests.at(-1)).toMatchObject({ search: '?X-Signature=secret-value' });
	});
});

describe('https pulls from a local server with a test certificate', () => {
	let secure;
	beforeAll(async () => {
		secure = await startMediaServer({ tls: true });
	});
	afterAll(() => secure.close());

	test('with pullCa the certificate is trusted and the download succeeds', async () => {
		sandbox.configure({ pullCa: TEST_CA });
		const data = videoBytes(200_000, 8);
		const url = secure.add('tls.mp4', data);
		expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
		const publishId = (await directPull(token(), url)).body.data.publish_id;
		const upload = await waitForUpload(sandbox, publishId, settled);
		expect(upload).toMatchObject({ status: 'PUBLISH_COMPLETE', sha256: sha256(data) });
	});

	test('without pullCa the self-signed certificate is refused: video_pull_failed', async () => {
		const url = secure.add('untrusted.mp4', Buffer.alloc(10));
		const publishId = (await directPull(token(), url)).body.data.publish_id;
		const upload = await waitForUpload(sandbox, publishId, settled);
		expect(upload).toMatchObject({ status: 'FAILED', failReason: 'video_pull_failed' });
		expect(upload.pullError).toMatch(/certificate/i);
	});
});

describe('POST /v2/post/publish/cancel/', () => {
	test('during pullDelayMs: ok without data, FAILED publish_cancelled, nothing downloaded', async () => {
		sandbox.configure({ pullDelayMs: 300 });
		const url = media.add('delayed.mp4', Buffer.alloc(1000));
		const t = token();
		const publishId = (await inboxInit(sandbox, t, pullSource(url))).body.data.publish_id;
		const before = await statusFetch(sandbox, t, publishId);
		expect(before.body.data).toEqual({
			status: 'PROCESSING_DOWNLOAD',
			publicaly_available_post_id: [],
			downloaded_bytes: 0,
		});
		const res = await cancelPublish(sandbox, t, publishId);
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			error: { code: 'ok', message: '', log_id: expect.stringMatching(LOG_ID) },
		});
		const after = await statusFetch(sandbox, t, publishId);
		expect(after.body.data).toEqual({
			status: 'FAILED',
			fail_reason: 'publish_cancelled',
			publicaly_available_post_id: [],
			downloaded_bytes: 0,
		});
		await sleep(400);
		expect(media.requests.map((r) => r.path)).not.toContain('/files/delayed.mp4');
		expect(sandbox.state.uploads[publishId]).toMatchObject({
			status: 'FAILED',
			failReason: 'publish_cancelled',
		});
	});

	test('mid-download: the connection is dropped and the task stays cancelled', async () => {
		const data = videoBytes(1_000_000, 6);
		const url = media.add('cancel-mid.mp4', data, 'slow');
		const t = token();
		const publishId = (await directPull(t, url)).body.data.publish_id;
		await waitForUpload(sandbox, publishId, (u) => u.downloadedBytes === data.length / 2);
		expectOk(await cancelPublish(sandbox, t, publishId));
		for (let i = 0; i < 100 && !media.hangUps.includes('/slow/cancel-mid.mp4'); i++)
			await sleep(10);
		expect(media.hangUps).toContain('/slow/cancel-mid.mp4');
		media.release();
		await sleep(50);
		expect(sandbox.state.uploads[publishId]).toMatchObject({
			status: 'FAILED',
			failReason: 'publish_cancelled',
			postIds: [],
		});
		// A cancelled Direct Post does not count toward the daily cap.
		sandbox.configure({ maxPostsPerDay: 1 });
		expectOk(await directPull(token(), media.add('after-cancel.mp4', Buffer.alloc(5))));
	});

	test('finished, failed, cancelled and FILE_UPLOAD tasks: 400 publish_not_cancellable', async () => {
		const t = token();
		const done = (await inboxInit(sandbox, t, pullSource(media.add('quick.mp4', Buffer.alloc(5)))))
			.body.data.publish_id;
		await waitForUpload(sandbox, done, settled);
		const failed = (await directPull(t, media.url('/status/500'))).body.data.publish_id;
		await waitForUpload(sandbox, failed, settled);
		const file = (await inboxInit(sandbox, t, fileSource(1000))).body.data.publish_id;
		sandbox.configure({ pullDelayMs: 1000 });
		const cancelled = (await directPull(t, media.url('/files/none.mp4'))).body.data.publish_id;
		expectOk(await cancelPublish(sandbox, t, cancelled));

		for (const publishId of [done, failed, file, cancelled]) {
			expectEnvelopeError(
				await cancelPublish(sandbox, t, publishId),
				400,
				'publish_not_cancellable',
			);
		}
	});

	test('downloaded but still processing is no longer cancellable', async () => {
		sandbox.configure({ processingMs: 5000 });
		const t = token();
		const publishId = (await directPull(t, media.add('proc.mp4', Buffer.alloc(5)))).body.data
			.publish_id;
		await waitForUpload(sandbox, publishId, (u) => u.complete);
		expect(sandbox.state.uploads[publishId].status).toBe('PROCESSING_DOWNLOAD');
		expectEnvelopeError(await cancelPublish(sandbox, t, publishId), 400, 'publish_not_cancellable');
	});

	test('unknown id: 400 invalid_publish_id; another user: 400 token_not_authorized_for_specified_publish_id', async () => {
		sandbox.configure({ pullDelayMs: 1000 });
		expectEnvelopeError(
			await cancelPublish(sandbox, token(), 'v_pub_url~v2.0000000000000000000'),
			400,
			'invalid_publish_id',
		);
		expectEnvelopeError(await cancelPublish(sandbox, token(), 42), 400, 'invalid_publish_id');
		const publishId = (await directPull(token(), media.url('/files/none.mp4'))).body.data
			.publish_id;
		sandbox.configure({ user: { open_id: 'someone-else' } });
		expectEnvelopeError(
			await cancelPublish(sandbox, token(), publishId),
			400,
			'token_not_authorized_for_specified_publish_id',
		);
	});

	test('scope: video.upload or video.publish', async () => {
		sandbox.configure({ pullDelayMs: 1000 });
		const url = media.url('/files/none.mp4');
		const t = token();
		const first = (await directPull(t, url)).body.data.publish_id;
		const second = (await inboxInit(sandbox, t, pullSource(url))).body.data.publish_id;
		expectEnvelopeError(
			await cancelPublish(sandbox, token(['video.list', 'user.info.basic']), first),
			401,
			'scope_not_authorized',
		);
		expectOk(await cancelPublish(sandbox, token(['video.publish']), first));
		expectOk(await cancelPublish(sandbox, token(['video.upload']), second));
		expectEnvelopeError(
			await cancelPublish(sandbox, undefined, first),
			401,
			'access_token_invalid',
		);
	});
});

describe('reset and close stop running downloads', () => {
	test('reset drops the connection of a running pull', async () => {
		const url = media.add('reset.mp4', videoBytes(400_000), 'slow');
		const publishId = (await directPull(token(), url)).body.data.publish_id;
		await waitForUpload(sandbox, publishId, (u) => u.downloadedBytes > 0);
		sandbox.reset();
		for (let i = 0; i < 100 && !media.hangUps.includes('/slow/reset.mp4'); i++) await sleep(10);
		expect(media.hangUps).toContain('/slow/reset.mp4');
		expect(sandbox.state.uploads).toEqual({});
	});
});
