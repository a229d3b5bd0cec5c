// Asserts what `npm pack` would publish: exactly what n8n loads (the compiled nodes and
// credentials with their codex files and icons) plus README.md, LICENSE and package.json, at most
// MAX_PACKED_BYTES packed; that README images are absolute URLs (npm shows relative ones broken);
// that every link into the README from the shipped files (codex documentation links, credentials'
// documentationUrl) names a heading the README has; and that the repository speaks of itself
// alone: no comment or doc points to a file outside it, and every docs/*.md#anchor exists.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MAX_PACKED_BYTES = 150_000;

const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
	encoding: 'utf8',
});
const [pack] = JSON.parse(output);
const files = pack.files.map((file) => file.path).sort();
const expected = shippedFiles();
const { n8n } = JSON.parse(readFileSync('package.json', 'utf8'));
const problems = [
	...files.filter((path) => !expected.includes(path)).map((path) => `not for the package: ${path}`),
	...expected.filter((path) => !files.includes(path)).map((path) => `missing: ${path}`),
	...[...n8n.nodes, ...n8n.credentials]
		.filter((path) => !files.includes(path))
		.map((path) => `package.json's n8n entry is not in the package: ${path}`),
	...(pack.size > MAX_PACKED_BYTES
		? [`the package is ${pack.size} bytes packed, more than ${MAX_PACKED_BYTES}`]
		: []),
	...readmeImageProblems(),
	...readmeAnchorProblems(files),
	...referenceProblems(),
];
if (problems.length) {
	console.error(problems.join('\n'));
	process.exit(1);
}
console.log(
	`package contents ok: ${files.length} files (what n8n loads, README.md, LICENSE, package.json), ${(pack.size / 1000).toFixed(1)} kB packed (at most ${MAX_PACKED_BYTES / 1000} kB)`,
);

/**
 * The package's exact contents, from the sources: every compiled .ts of nodes/ and credentials/,
 * the codex files beside the nodes, the icons (dist/icons, where both point); README.md, LICENSE,
 * package.json. No source maps (they would point at .ts files the package does not hold, and n8n
 * runs without them) and no type declarations (see the README's Development section).
 */
function shippedFiles() {
	const compiled = [...filesUnder('nodes'), ...filesUnder('credentials')].flatMap((path) => {
		if (path.endsWith('.node.json')) return [`dist/${path}`];
		return path.endsWith('.ts') && !path.endsWith('.d.ts')
			? [`dist/${path.replace(/\.ts$/, '.js')}`]
			: [];
	});
	const icons = readdirSync('icons')
		.filter((name) => name.endsWith('.svg'))
		.map((name) => `dist/icons/${name}`);
	return [...compiled, ...icons, 'LICENSE', 'README.md', 'package.json'].sort();
}

function filesUnder(dir) {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
	);
}

/** README images: absolute https URLs; those into this repository name files it has. */
function readmeImageProblems() {
	const readme = readFileSync('README.md', 'utf8');
	const own = new RegExp(`^https://raw\\.githubusercontent\\.com/${repositoryPath()}/[^/]+/(.+)$`);
	const sources = [
		...readme.matchAll(/<img\s[^>]*src="([^"]+)"/g),
		...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g),
	].map(([, src]) => src);
	const problems = [];
	for (const src of sources) {
		if (!src.startsWith('https://')) {
			problems.push(`README image ${src}: not an absolute https URL, which npm shows broken`);
			continue;
		}
		const path = own.exec(src)?.[1];
		if (path && !existsSync(path))
			problems.push(`README image ${src} names ${path}, which does not exist`);
	}
	return problems;
}

/** "owner/name" of the repository in package.json, escaped for a regular expression. */
function repositoryPath() {
	const { repository } = JSON.parse(readFileSync('package.json', 'utf8'));
	const url = String(repository?.url ?? repository);
	const [, path] = /github\.com[/:]([^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(url) ?? [];
	return path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

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

/**
 * References in the repository's own files that a reader cannot follow: notes outside the
 * repository (`tiktok-api.md` without `docs/`, section numbers into it, `../shared/<note>.md`), and `docs/<file>.md#anchor`
 * links whose file or heading does not exist.
 */
function referenceProblems() {
	const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
		encoding: 'utf8',
	})
		.split('\n')
		.filter((path) => /\.(ts|mjs|js|md|json|sh)$/.test(path) && path !== 'package-lock.json')
		.filter((path) => existsSync(path));
	const outside = [
		/(?<![\w/])(tiktok-api|n8n-guide)\.md/g, // the notes, named without docs/
		/\.\.\/shared\/[\w-]+\.md/g, // a note in a shared folder beside the repository
		/(?<![\w.-])shared\/(tiktok-api|n8n-guide)/g,
		/§\s?\d/g, // a section number of those notes
	];
	const problems = [];
	const anchorsOf = new Map();
	for (const path of tracked) {
		if (path.startsWith('scripts/check-package.mjs')) continue;
		const text = readFileSync(path, 'utf8');
		const lineOf = (index) => text.slice(0, index).split('\n').length;
		for (const pattern of outside) {
			for (const match of text.matchAll(pattern)) {
				// Inside docs/, [tiktok-api.md](tiktok-api.md) is a link to the sibling file.
				if (path.startsWith('docs/') && /[[(]$/.test(text.slice(0, match.index))) continue;
				problems.push(`${path}:${lineOf(match.index)} points outside the repository: ${match[0]}`);
			}
		}
		for (const match of text.matchAll(/\bdocs\/([\w-]+\.md)(?:#([\w-]+))?/g)) {
			const [, file, anchor] = match;
			const target = join('docs', file);
			if (!existsSync(target)) {
				problems.push(`${path}:${lineOf(match.index)} names ${target}, which does not exist`);
				continue;
			}
			if (!anchorsOf.has(target))
				anchorsOf.set(target, readmeAnchors(readFileSync(target, 'utf8')));
			if (anchor && !anchorsOf.get(target).has(anchor))
				problems.push(
					`${path}:${lineOf(match.index)} links to ${target}#${anchor}, which is no heading there`,
				);
		}
	}
	return problems;
}
