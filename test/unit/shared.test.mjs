// nodes/shared/: what both nodes and the credentials use, in one place.
import {
	fromDist,
	TikTok,
	TikTokOAuth2Api,
	TikTokTrigger,
	TikTokUnattendedApi,
} from '../helpers/dist.mjs';

const { CREDENTIAL_TYPE, UNATTENDED_CREDENTIAL_TYPE, credentialTypeFor } = fromDist(
	'nodes/shared/credentialTypes.js',
);
const { parseJsonObject } = fromDist('nodes/shared/losslessJson.js');
const { oauthErrorDetail } = fromDist('nodes/shared/tikTokApi.js');

const nodes = [
	['TikTok', new TikTok()],
	['TikTok Trigger', new TikTokTrigger()],
];
const authenticationOf = (node) =>
	node.description.properties.find((property) => property.name === 'authentication');

describe('credential types', () => {
	// The credential classes and the nodes' credentials blocks spell the names out for n8n's lint.
	test('the constants name the shipped credential classes', () => {
		expect(new TikTokOAuth2Api().name).toBe(CREDENTIAL_TYPE);
		expect(new TikTokUnattendedApi().name).toBe(UNATTENDED_CREDENTIAL_TYPE);
	});

	test.each(nodes)(
		'%s: each Authentication value shows the credential it selects',
		(_name, node) => {
			const values = authenticationOf(node).options.map((option) => option.value);
			expect(values).toEqual(['oAuth2', 'unattended']);
			expect(
				node.description.credentials.map((credential) => [
					credential.displayOptions.show.authentication,
					credential.name,
				]),
			).toEqual(values.map((value) => [[value], credentialTypeFor(value)]));
		},
	);

	test.each(nodes)(
		'%s: the unattended credential is tested offline by the shared test',
		(_name, node) => {
			const unattended = node.description.credentials.find(
				(credential) => credential.name === UNATTENDED_CREDENTIAL_TYPE,
			);
			expect(node.methods.credentialTest[unattended.testedBy]).toBe(
				new TikTok().methods.credentialTest.tikTokUnattendedApiTest,
			);
		},
	);

	test.each([
		['oAuth2', CREDENTIAL_TYPE],
		['unattended', UNATTENDED_CREDENTIAL_TYPE],
		['', CREDENTIAL_TYPE],
		['something else', CREDENTIAL_TYPE],
	])('credentialTypeFor(%j) is %s', (authentication, type) => {
		expect(credentialTypeFor(authentication)).toBe(type);
	});
});

describe('parseJsonObject', () => {
	const keep = (text) => ({ unparsed_content: text });
	test.each([
		['an object', '{"a":1}', { a: 1 }],
		['a 19-digit id, exact', '{"id":7300000000000000001}', { id: '7300000000000000001' }],
		['an array (an object too)', '[1,2]', [1, 2]],
		['a number', '5', {}],
		['null', 'null', {}],
		['empty text', '', {}],
		['text that is no JSON', '<html>', {}],
		['an object already parsed', { a: 1 }, { a: 1 }],
		['undefined', undefined, {}],
		['a number value', 42, {}],
	])('%s', (_name, body, expected) => {
		expect(parseJsonObject(body)).toEqual(expected);
	});

	test('whenInvalid decides only for text that is no JSON', () => {
		expect(parseJsonObject('{"a":', keep)).toEqual({ unparsed_content: '{"a":' });
		expect(parseJsonObject('"just a string"', keep)).toEqual({});
		expect(parseJsonObject(undefined, keep)).toEqual({});
	});
});

describe('oauthErrorDetail', () => {
	test.each([
		[
			'error, description and log id',
			[{ error: 'invalid_grant', error_description: 'Refresh token is invalid', log_id: 'L1' }],
			'invalid_grant, Refresh token is invalid, log_id L1',
		],
		[
			"the unattended hook's log id wording",
			[{ error: 'invalid_grant', log_id: 'L1' }, 'HTTP 200', 'TikTok log_id: '],
			'invalid_grant, TikTok log_id: L1',
		],
		['the fallback without an error', [{ log_id: 'L2' }, 'HTTP 502'], 'HTTP 502, log_id L2'],
		[
			'the error wins over the fallback',
			[{ error: 'invalid_request' }, 'HTTP 400'],
			'invalid_request',
		],
		['nothing known', [{}], ''],
	])('%s', (_name, args, expected) => {
		expect(oauthErrorDetail(...args)).toBe(expected);
	});
});
