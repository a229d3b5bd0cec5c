// Tests are plain ES modules (.mjs): the n8n lint rules apply to every .ts file in the tree and
// forbid node:http, timers and process, which a fake server and test harness need.
// Unit tests import the compiled node from dist/ (built by `npm test` first).
export default {
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			transform: {},
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			testMatch: ['<rootDir>/test/**/*.test.mjs'],
			// Uploads of tens of MB through a real socket: seconds, not milliseconds.
			setupFilesAfterEnv: ['<rootDir>/test/helpers/timeout.mjs'],
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			transform: {},
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			testMatch: ['<rootDir>/e2e/**/*.e2e.test.mjs'],
			// A real n8n starts in ~20 s and the 1 GiB upload takes minutes on a slow CI machine.
			setupFilesAfterEnv: ['<rootDir>/e2e/lib/timeout.mjs'],
		},
		{
			// The version matrix's smoke subset, against the n8n in N8N_VERSION (scripts/matrix.mjs runs
			// it once per version). Not part of `e2e`: the full suite already covers the default version.
			displayName: 'matrix',
			testEnvironment: 'node',
			transform: {},
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			testMatch: ['<rootDir>/e2e/matrix/**/*.matrix.test.mjs'],
			setupFilesAfterEnv: ['<rootDir>/e2e/lib/timeout.mjs'],
		},
		{
			// n8n in queue mode (PostgreSQL, Redis, main + 2 workers + webhook process): `npm run
			// test:queue`. Not part of `e2e` (its files end in .queue.test.mjs, not .e2e.test.mjs).
			displayName: 'queue',
			testEnvironment: 'node',
			transform: {},
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			testMatch: ['<rootDir>/e2e/queue/**/*.queue.test.mjs'],
			setupFilesAfterEnv: ['<rootDir>/e2e/queue/timeout.mjs'],
		},
		{
			// n8n's editor in headless Chromium (`npm run test:browser`): Debian's chromium, installed with
			// apt-get when missing. Not part of `e2e` (its files end in .browser.test.mjs).
			displayName: 'browser',
			testEnvironment: 'node',
			transform: {},
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			testMatch: ['<rootDir>/e2e/browser/**/*.browser.test.mjs'],
			setupFilesAfterEnv: ['<rootDir>/e2e/browser/timeout.mjs'],
		},
	],
};
