// Tests are plain ES modules (.mjs): the n8n lint rules apply to every .ts file in the tree and
// forbid node:http, timers and process, which a fake server and test harness need.
// Unit tests import the compiled node from dist/ (built by `npm test` first).

// Sets each project's timeout from its globals.testTimeoutMs (jest takes testTimeout only globally).
const TIMEOUT = '<rootDir>/test/helpers/timeout.mjs';

export default {
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			transform: {},
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			testMatch: ['<rootDir>/test/**/*.test.mjs'],
			// Uploads of tens of MB through a real socket: seconds, not milliseconds.
			globals: { testTimeoutMs: 60_000 },
			setupFilesAfterEnv: [TIMEOUT],
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			transform: {},
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			testMatch: ['<rootDir>/e2e/**/*.e2e.test.mjs'],
			// A real n8n starts in ~20 s and the 1 GiB upload takes minutes on a slow CI machine.
			globals: { testTimeoutMs: 1_200_000 },
			setupFilesAfterEnv: [TIMEOUT],
		},
		{
			// The version matrix's smoke subset, against the n8n in N8N_VERSION (scripts/matrix.mjs runs
			// it once per version). Not part of `e2e`: the full suite already covers the default version.
			displayName: 'matrix',
			testEnvironment: 'node',
			transform: {},
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			testMatch: ['<rootDir>/e2e/matrix/**/*.matrix.test.mjs'],
			globals: { testTimeoutMs: 1_200_000 },
			setupFilesAfterEnv: [TIMEOUT],
		},
		{
			// n8n in queue mode (PostgreSQL, Redis, main + 2 workers + webhook process): `npm run
			// test:queue`. Not part of `e2e` (its files end in .queue.test.mjs, not .e2e.test.mjs).
			displayName: 'queue',
			testEnvironment: 'node',
			transform: {},
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			testMatch: ['<rootDir>/e2e/queue/**/*.queue.test.mjs'],
			// Five n8n-related processes start in ~30 s; the full suite's uploads take minutes.
			globals: { testTimeoutMs: 1_800_000 },
			setupFilesAfterEnv: [TIMEOUT],
		},
		{
			// n8n's editor in headless Chromium (`npm run test:browser`): Debian's chromium, installed with
			// apt-get when missing. Not part of `e2e` (its files end in .browser.test.mjs).
			displayName: 'browser',
			testEnvironment: 'node',
			transform: {},
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			testMatch: ['<rootDir>/e2e/browser/**/*.browser.test.mjs'],
			// n8n starts in ~45 s on a 2-core machine; a step of the browser suite takes up to a minute.
			globals: { testTimeoutMs: 300_000 },
			setupFilesAfterEnv: [TIMEOUT],
		},
	],
};
