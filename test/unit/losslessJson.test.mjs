import { losslessJson } from '../helpers/dist.mjs';

const { parseJsonLosslessly } = losslessJson;

describe('parseJsonLosslessly', () => {
	test('keeps 19-digit post ids exact, as strings', () => {
		const text =
			'{"data":{"publicaly_available_post_id":[7300000000000000001, 7300000000000000002]}}';
		expect(JSON.parse(text).data.publicaly_available_post_id[0]).toBe(7300000000000000000); // the trap
		expect(parseJsonLosslessly(text).data.publicaly_available_post_id).toEqual([
			'7300000000000000001',
			'7300000000000000002',
		]);
	});

	test('leaves safe numbers, decimals, exponents and strings alone', () => {
		const text =
			'{"a":123456789012345,"b":-1.5e3,"c":"12345678901234567890","d":"say \\"1234567890123456789\\"","e":[true,null]}';
		expect(parseJsonLosslessly(text)).toEqual({
			a: 123456789012345,
			b: -1500,
			c: '12345678901234567890',
			d: 'say "1234567890123456789"',
			e: [true, null],
		});
	});

	test('handles negative long integers', () => {
		expect(parseJsonLosslessly('[-7300000000000000001]')).toEqual(['-7300000000000000001']);
	});
});
