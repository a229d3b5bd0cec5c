// Asserts what `npm pack` would publish: only dist/, README.md, LICENSE and package.json, with
// the node, credential, codex and icons present, and no tests, sandbox or e2e harness; and that
// every link into the README from the shipped files (codex documentation links, credentials'
// documentationUrl) names a heading the README has.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
	...readmeAnchorProblems(files),
];
if (problems.length) {
	console.error(problems.join('\n'));
	process.exit(1);
}
console.log(
	`package contents ok: ${files.length} files, all under dist/ or README.md, LICENSE, package.json`,
);

/** `repo#anchor` links in the shipped files whose anchor is no README heading (GitHub's ids). */
function readmeAnchorProblems(shipped) {
	const { repository } = JSON.parse(readFileSync('package.json', 'utf8'));
	const repo = String(repository?.url ?? repository)
		.replace(/^git\+/, '')
		.replace(/\.git$/, '');
	const escaped = repo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const link = new RegExp(`${escaped}(?:/blob/[^/#]+/README\\.md)?#([^'"\\s)<>]+)`, 'g');
	const anchors = readmeAnchors(readFileSync('README.md', 'utf8'));
	anchors.add('readme'); // GitHub's own id for the README on the repository page (homepage)
	const problems = [];
	let links = 0;
	for (const path of shipped.filter((file) => /\.(js|json)$/.test(file))) {
		for (const [, anchor] of readFileSync(path, 'utf8').matchAll(link)) {
			links++;
			if (!anchors.has(decodeURIComponent(anchor)))
				problems.push(`${path} links to README#${anchor}, which is no README heading`);
		}
	}
	const codexLinks = codexFiles().flatMap((path) =>
		Object.values(JSON.parse(readFileSync(path, 'utf8')).resources ?? {}).flat(),
	);
	if (links === 0 || codexLinks.length === 0)
		problems.push('no README links found in the codex files: the anchor check checked nothing');
	return problems;
}

function codexFiles(dir = 'dist/nodes') {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory()
			? codexFiles(join(dir, entry.name))
			: entry.name.endsWith('.node.json')
				? [join(dir, entry.name)]
				: [],
	);
}

/** The ids GitHub gives README headings (github-slugger), plus explicit `id`/`name` anchors. */
function readmeAnchors(markdown) {
	const anchors = new Set();
	const seen = new Map();
	let fence;
	for (const line of markdown.split('\n')) {
		const fenceMark = line.match(/^\s*(```|~~~)/)?.[1];
		if (fenceMark && (!fence || fence === fenceMark)) fence = fence ? undefined : fenceMark;
		if (fence) continue;
		for (const [, id] of line.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) anchors.add(id);
		const heading = line.match(/^#{1,6}\s+(.*?)\s*#*\s*$/)?.[1];
		if (heading === undefined) continue;
		const text = heading
			.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
			.replace(/<[^>]+>/g, '') // inline HTML
			.replace(/(\*\*|__|\*|\b_|_\b|`)/g, ''); // emphasis and code marks
		const slug = text
			.toLowerCase()
			.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
			.replace(/ /g, '-');
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		anchors.add(count ? `${slug}-${count}` : slug);
	}
	return anchors;
}
