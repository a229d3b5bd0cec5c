// transport/tokenCache.ts: the Connect path's refreshed tokens, kept for the rest of an execution.
import { fromDist } from '../helpers/dist.mjs';

// Each test file gets its own module registry, so this cache starts empty.
const { tokenCacheKey, getRefreshedToken, setRefreshedToken } = fromDist(
	'nodes/TikTok/transport/tokenCache.js',
);
const MAX_ENTRIES = 100;
const token = (name, expiresInMs = 60_000) => ({
	accessToken: `act.${name}`,
	refreshToken: `rft.${name}`,
	expiresAt: Date.now() + expiresInMs,
});

describe('tokenCacheKey', () => {
	test.each([
		['same execution and refresh token: same key', ['e1', 'rft.a'], ['e1', 'rft.a'], true],
		['another refresh token (reconnected credential)', ['e1', 'rft.a'], ['e1', 'rft.b'], false],
		['another execution', ['e1', 'rft.a'], ['e2', 'rft.a'], false],
		['no refresh token stored', ['e1', ''], ['e1', ''], true],
	])('%s', (_name, first, second, same) => {
		expect(tokenCacheKey(...first) === tokenCacheKey(...second)).toBe(same);
	});

	test('names the execution and only a fingerprint of the refresh token', () => {
		const key = tokenCacheKey('execution-7', 'rft.secret-value');
		expect(key).toMatch(/^execution-7:[0-9a-f]{32}$/);
		expect(key).not.toContain('secret');
	});
});

describe('the cache', () => {
	test('returns what was stored under a key, nothing under another', () => {
		setRefreshedToken('k1', token('one'));
		expect(getRefreshedToken('k1')).toMatchObject({ accessToken: 'act.one' });
		expect(getRefreshedToken('k-unknown')).toBeUndefined();
	});

	test('a later refresh under the same key replaces the earlier one', () => {
		setRefreshedToken('k2', token('old'));
		setRefreshedToken('k2', token('new'));
		expect(getRefreshedToken('k2')).toMatchObject({ accessToken: 'act.new' });
	});

	test.each([
		['expired a moment ago', -1, false],
		['expiring now', 0, false],
		['valid for a second more', 1000, true],
	])('an entry %s: kept %s', (_name, expiresInMs, kept) => {
		setRefreshedToken(`k-${expiresInMs}`, token('t', expiresInMs));
		expect(getRefreshedToken(`k-${expiresInMs}`) !== undefined).toBe(kept);
	});

	test(`holds the ${MAX_ENTRIES} most recently stored entries`, () => {
		for (let i = 0; i < MAX_ENTRIES; i++) setRefreshedToken(`fill-${i}`, token(`f${i}`));
		setRefreshedToken('fill-0', token('again')); // stored again: now the newest
		setRefreshedToken('one-more', token('more'));
		expect(getRefreshedToken('fill-1')).toBeUndefined(); // the oldest went
		expect(getRefreshedToken('fill-0')).toMatchObject({ accessToken: 'act.again' });
		expect(getRefreshedToken('fill-2')).toBeDefined();
		expect(getRefreshedToken('one-more')).toBeDefined();
	});
});
