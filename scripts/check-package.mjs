// Asserts what `npm pack` would publish: only dist/, README.md, LICENSE and package.json, with
// the node, credential, codex and icons present, and no tests, sandbox or e2e harness.
import { execFileSync } from 'node:child_process';

const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
	encoding: 'utf8',
});
const files = JSON.parse(output)[0].files.map((file) => file.path);
const allowed = (path) =>
	path.startsWith('dist/') || ['README.md', 'LICENSE', 'package.json'].includes(path);
const required = [
	'dist/nodes/TikTok/TikTok.node.js',
	'dist/nodes/TikTok/TikTok.node.json',
	'dist/nodes/TikTokTrigger/TikTokTrigger.node.js',
	'dist/nodes/TikTokTrigger/TikTokTrigger.node.json',
	'dist/credentials/TikTokOAuth2Api.credentials.js',
	'dist/credentials/TikTokUnattendedApi.credentials.js',
	'dist/icons/tiktok.svg',
	'dist/icons/tiktok.dark.svg',
];
const problems = [
	...files.filter((path) => !allowed(path)).map((path) => `not allowed in the package: ${path}`),
	...files
		.filter((path) => /(^|\/)(test|e2e|sandbox)\//.test(path))
		.map((path) => `test code shipped: ${path}`),
	...required.filter((path) => !files.includes(path)).map((path) => `missing: ${path}`),
];
if (problems.length) {
	console.error(problems.join('\n'));
	process.exit(1);
}
console.log(
	`package contents ok: ${files.length} files, all under dist/ or README.md, LICENSE, package.json`,
);
