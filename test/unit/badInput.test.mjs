// The bad-input table: each case ends in a NodeOperationError (or the reconnect / re-authorize
// NodeApiError for a broken credential) that names the fix, before any TikTok API call.
import { TikTokUnattendedApi } from '../helpers/dist.mjs';
import { binaryFromFile } from '../helpers/n8nContext.mjs';
import { useSandbox } from '../helpers/sandbox.mjs';
import { expectNoSecrets, nodeRunner } from '../helpers/sandboxRun.mjs';
import { makeTempDir, removeDir, writeSampleVideo } from '../../e2e/lib/videos.mjs';

const sandbox = useSandbox();
// Written at load time: the case table below refers to it.
const dir = makeTempDir();
const video = writeSampleVideo(dir, 'clip.mp4', 1_000_000);

afterAll(() => removeDir(dir));

const { connectedCredential, run, apiCallCount } = nodeRunner(() => sandbox);
const EMOJI = '\u{1F600}'; // one emoji = 2 UTF-16 units, as TikTok counts
const urls = (count) =>
	Array.from({ length: count }, (_, i) => `https://media.example.com/${i}.jpg`);
const withVideo = (binary) => [
	{ json: {}, binary: { data: { ...binaryFromFile(video.path), ...binary } } },
];
const draft = (extra = {}) => ({
	resource: 'video',
	operation: 'uploadDraft',
	binaryPropertyName: 'data',
	options: {},
	...extra,
});
const directPost = (extra = {}) => ({
	...draft(),
	operation: 'directPost',
	privacyLevel: 'SELF_ONLY',
	title: '',
	...extra,
});
const photo = (extra = {}) => ({
	resource: 'photo',
	operation: 'post',
	postMode: 'draft',
	photoUrls: urls(2).join('\n'),
	coverIndex: 0,
	title: '',
	description: '',
	options: {},
	...extra,
});
const status = (publishId, options = {}) => ({
	resource: 'video',
	operation: 'checkStatus',
	publishId,
	options,
});

// [name, parameters, run options, message, fix]
const CASES = [
	[
		'missing binary property',
		draft(),
		{ items: [{ json: {} }] },
		/No binary property "data"/,
		/Read\/Write Files from Disk/,
	],
	[
		'binary under another name',
		draft(),
		{ items: [{ json: {}, binary: { video: {} } }] },
		/No binary property "data"/,
		/one of: video/,
	],
	[
		'the property exists on another item only',
		draft(),
		{ items: [{ json: {} }, ...withVideo({})], continueOnFail: false },
		/No binary property "data"/,
		/Read\/Write Files/,
	],
	['empty file', draft(), { items: withVideo({}), size: 0 }, /empty/, /1 byte and 4 GB/],
	[
		'4 GB + 1 byte',
		draft(),
		{ items: withVideo({}), size: 4 * 1024 ** 3 + 1 },
		/at most 4 GB/,
		/4 GB/,
	],
	[
		"over 256 MiB in n8n's database binary mode (PostgreSQL cannot hand it back)",
		draft(),
		{ items: withVideo({ id: `database:${video.path}` }), size: 268_435_444 },
		/too large for n8n's database binary-data mode/,
		/Video Source 'URL'.*s3.*filesystem/,
	],
	[
		'MIME image/png',
		draft(),
		{ items: withVideo({ mimeType: 'image/png', fileName: 'a.png' }) },
		/files of type "image\/png"/,
		/MP4, MOV or WebM/,
	],
	[
		'no MIME type at all',
		draft(),
		{ items: withVideo({ mimeType: undefined, fileName: 'clip' }) },
		/has no type and no video file extension/,
		/MP4, MOV or WebM/,
	],
	[
		'chunk size of the wrong type',
		draft({ options: { chunkSize: 'ten' } }),
		{ items: withVideo({}) },
		/Chunk Size must be a number/,
		/5\.3 to 64/,
	],
	[
		'video URL not https',
		draft({ videoSource: 'url', videoUrl: 'http://media.example.com/a.mp4' }),
		{},
		/is not an https URL/,
		/verified/,
	],
	[
		'video URL empty',
		draft({ videoSource: 'url', videoUrl: '' }),
		{},
		/Video URL is empty/,
		/https/,
	],
	['publish id empty', status(''), {}, /Publish ID is empty/, /\$json\.publish_id/],
	[
		'publish id with spaces',
		status('v_inbox_file~v2 123'),
		{},
		/is not a TikTok publish ID/,
		/publish_id/,
	],
	[
		'publish id over 64 characters',
		status(`v_inbox_file~v2.${'1'.repeat(60)}`),
		{},
		/is not a TikTok publish ID/,
		/at most 64/,
	],
	[
		'wait timeout of 0',
		status('v_inbox_file~v2.1', { waitForCompletion: true, waitTimeoutSeconds: 0 }),
		{},
		/timeout must be more than 0/,
		/Timeout/,
	],
	[
		'status checks faster than TikTok allows',
		status('v_inbox_file~v2.1', { waitForCompletion: true, pollIntervalSeconds: 1 }),
		{},
		/at least 2 seconds/,
		/30 status checks/,
	],
	[
		'Direct Post title over 2200 UTF-16 units (emoji count 2)',
		directPost({ title: EMOJI.repeat(1101) }),
		{ items: withVideo({}) },
		/2202 characters; TikTok allows 2200/,
		/emoji count as 2/,
	],
	['no photos', photo({ photoUrls: '' }), {}, /1 to 35 photos, not 0/, /https URL per line/],
	['36 photos', photo({ photoUrls: urls(36) }), {}, /1 to 35 photos, not 36/, /https URL/],
	[
		'photo URL not https',
		photo({ photoUrls: 'https://a.example.com/1.jpg\nftp://a.example.com/2.jpg' }),
		{},
		/photo URL 2 "ftp:\/\/a\.example\.com\/2\.jpg" is not an https URL/,
		/verified/,
	],
	[
		'cover index out of range',
		photo({ coverIndex: 2 }),
		{},
		/Cover photo index 2 is outside 0–1/,
		/first photo is 0/,
	],
	[
		'cover index of the wrong type',
		photo({ coverIndex: 'first' }),
		{},
		/Cover photo index NaN/,
		/Count photos from 0/,
	],
	[
		'photo title over 90',
		photo({ title: 'x'.repeat(91) }),
		{},
		/title has 91 characters; TikTok allows 90/,
		/Shorten the title/,
	],
	[
		'photo description over 4000',
		photo({ description: 'x'.repeat(4001) }),
		{},
		/description has 4001 characters; TikTok allows 4000/,
		/Shorten/,
	],
	[
		'no user fields selected',
		{ resource: 'user', operation: 'getUserInfo', fields: [] },
		{},
		/No fields selected/,
		/Display Name/,
	],
	[
		'no video fields selected',
		{ resource: 'video', operation: 'getMany', fields: [], returnAll: true },
		{},
		/No fields selected/,
		/id and title/,
	],
	[
		'no video fields selected for Get',
		{ resource: 'video', operation: 'get', videoIds: '7300000000000000001', fields: [] },
		{},
		/No fields selected/,
		/id and share_url/,
	],
];

test.each(CASES)('%s', async (_name, parameters, options, message, fix) => {
	const before = apiCallCount();
	const { size, ...runOptions } = options;
	if (size !== undefined)
		runOptions.helperOverrides = { getBinaryMetadata: async () => ({ fileSize: size }) };
	const error = await run({ authentication: 'oAuth2', ...parameters }, runOptions).catch((e) => e);
	expect(error).toBeInstanceOf(Error);
	expect(error.message).toMatch(message);
	expect(error.description).toMatch(fix);
	expect(apiCallCount()).toBe(before);
	expectNoSecrets(error);
});

test('fields from an expression as a comma-separated string work', async () => {
	const { items } = await run({
		authentication: 'oAuth2',
		resource: 'user',
		operation: 'getUserInfo',
		fields: 'open_id, display_name',
	});
	expect(Object.keys(items[0].json).sort()).toEqual(['display_name', 'open_id']);
});

test('Connect credential without a Client Key: reconnect error, no TikTok call', async () => {
	const credentials = { ...(await connectedCredential()), clientId: '' };
	const before = apiCallCount();
	const error = await run(
		{ authentication: 'oAuth2', resource: 'user', operation: 'getUserInfo', fields: ['open_id'] },
		{ credentials },
	).catch((e) => e);
	expect(error.message).toMatch(/needs to be reconnected: the credential has no Client Key/);
	expect(apiCallCount()).toBe(before);
});

test('unattended credential without a Client Key: the refresh stops before calling TikTok', async () => {
	const tokenRequests = sandbox.state.tokenRequests.length;
	const hook = new TikTokUnattendedApi().preAuthentication.call(
		{ helpers: { httpRequest: () => Promise.reject(new Error('must not be called')) } },
		{
			clientKey: '',
			clientSecret: 's',
			refreshToken: 'rft.x',
			accessTokenUrl: sandbox.accessTokenUrl,
		},
	);
	await expect(hook).rejects.toThrow(/has no Client Key/);
	expect(sandbox.state.tokenRequests.length).toBe(tokenRequests);
});

test(`the table has at least 20 cases (${CASES.length})`, () => {
	expect(CASES.length).toBeGreaterThanOrEqual(20);
});
