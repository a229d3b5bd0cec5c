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
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			transform: {},
			modulePathIgnorePatterns: ['<rootDir>/dist/'],
			testMatch: ['<rootDir>/e2e/**/*.e2e.test.mjs'],
		},
	],
};
