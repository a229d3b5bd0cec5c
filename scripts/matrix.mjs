// The version matrix: runs the smoke suite (e2e/matrix/, jest project `matrix`) against each n8n
// version, each on the Node it needs (e2e/lib/engine.mjs; engines installed on demand and cached),
// records the results in e2e/matrix/results.json and regenerates README.md's Compatibility table
// (between <!-- compatibility:start --> and <!-- compatibility:end -->) from them.
//
//   node scripts/matrix.mjs               the versions other than the default (the full suite
//                                         covers the default one): 1.123.81 and 2.41.1
//   node scripts/matrix.mjs --all         every version in the matrix, the default one included
//   node scripts/matrix.mjs 2.8.4 ...     just these
//   --readme-only                         regenerate the table from results.json, run nothing
//
// `npm run matrix -- <args>` builds first. Exits non-zero when any version failed; a version that
// did not run keeps its previous column.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import prettier from 'prettier';
import {
	engineSpec,
	ensureN8nEngine,
	installCommand,
	MATRIX_VERSIONS,
	n8nVersion,
	OLDEST_SUPPORTED_VERSION,
	PACKAGE_DIR,
} from '../e2e/lib/engine.mjs';

const RESULTS_PATH = join(PACKAGE_DIR, 'e2e', 'matrix', 'results.json');
const README_PATH = join(PACKAGE_DIR, 'README.md');
const START = '<!-- compatibility:start -->';
const END = '<!-- compatibility:end -->';

const args = process.argv.slice(2);
const defaultVersion = n8nVersion();
const requested = args.filter((arg) => !arg.startsWith('--'));
const versions = args.includes('--readme-only')
	? []
	: requested.length
		? requested
		: args.includes('--all')
			? MATRIX_VERSIONS
			: MATRIX_VERSIONS.filter((version) => version !== defaultVersion);

const results = existsSync(RESULTS_PATH)
	? JSON.parse(readFileSync(RESULTS_PATH, 'utf8'))
	: { versions: {} };
// Engines not cached yet are installed side by side first: mostly network and disk, so together
// they take little longer than the slowest one alone (measured on 2 cores: ~9.5 min for both).
const installSeconds = await installMissing(versions);
let failed = false;
for (const version of versions) {
	const row = runVersion(version, installSeconds[version]);
	results.versions[version] = row;
	failed ||= row.failed > 0 || row.passed === 0;
	writeFileSync(RESULTS_PATH, `${JSON.stringify(results, null, '\t')}\n`);
}
await updateReadme(results);
if (versions.length) console.log(summary(results, versions));
process.exit(failed ? 1 : 0);

async function installMissing(list) {
	const missing = list.filter((version) => !engineInstalled(version));
	const seconds = {};
	await Promise.all(
		missing.map(async (version) => {
			console.log(`=== n8n ${version}: installing (not cached) ===`);
			const start = Date.now();
			const install = installCommand(version);
			const child = spawn(install.command, install.args, {
				env: install.env,
				stdio: ['ignore', 'ignore', 'pipe'],
			});
			createInterface({ input: child.stderr }).on('line', (line) =>
				console.log(`[n8n ${version}] ${line}`),
			);
			const code = await new Promise((resolve) => child.once('close', resolve));
			seconds[version] = Math.round((Date.now() - start) / 1000);
			console.log(
				`[n8n ${version}] install ${code === 0 ? 'done' : 'FAILED'} in ${seconds[version]} s`,
			);
		}),
	);
	return seconds;
}

function runVersion(version, installSeconds = 0) {
	console.log(`\n=== n8n ${version}: engine ===`);
	const engine = ensureN8nEngine(version); // installed above, or fails here with its log
	console.log(
		`n8n ${version} on Node ${engine.nodeVersion}: ${installSeconds ? `installed in ${installSeconds} s` : 'cached'}`,
	);

	console.log(`=== n8n ${version}: smoke suite ===`);
	const outDir = mkdtempSync(join(tmpdir(), 'tiktok-matrix-'));
	const outputFile = join(outDir, 'jest.json');
	const testStart = Date.now();
	const jest = spawnSync(
		process.execPath,
		[
			'--experimental-vm-modules',
			join(PACKAGE_DIR, 'node_modules', 'jest', 'bin', 'jest.js'),
			'--selectProjects',
			'matrix',
			'--runInBand',
			'--json',
			`--outputFile=${outputFile}`,
		],
		{ cwd: PACKAGE_DIR, stdio: 'inherit', env: { ...process.env, N8N_VERSION: version } },
	);
	const testSeconds = Math.round((Date.now() - testStart) / 1000);
	const report = existsSync(outputFile) ? JSON.parse(readFileSync(outputFile, 'utf8')) : undefined;
	rmSync(outDir, { recursive: true, force: true });
	const tests = (report?.testResults ?? []).flatMap((file) =>
		file.assertionResults.map((test) => ({ title: test.title, status: test.status })),
	);
	const passed = tests.filter((test) => test.status === 'passed');
	return {
		n8n: version,
		node: engine.nodeVersion,
		env: engineSpec(version).env,
		date: new Date().toISOString().slice(0, 10),
		passed: passed.length,
		// A suite that crashed before reporting any test counts as a failure too.
		failed: tests.length - passed.length + (jest.status !== 0 && !tests.length ? 1 : 0),
		total: tests.length,
		tests: tests.map((test) => ({ proves: label(test.title), status: test.status })),
		failures: tests.filter((test) => test.status !== 'passed').map((test) => test.title),
		seconds: { install: installSeconds, tests: testSeconds },
	};
}

function engineInstalled(version) {
	const cache =
		process.env.N8N_ENGINE_CACHE ??
		join(
			process.env.XDG_CACHE_HOME ?? join(process.env.HOME, '.cache'),
			'n8n-nodes-tiktok-posting',
			'engines',
		);
	return existsSync(join(cache, `n8n-${version}`, '.installed'));
}

/** A test title's part before the first ':' is what it proves, in the table. */
function label(title) {
	return title.split(':')[0].trim();
}

function compareVersions(a, b) {
	const [x, y] = [a, b].map((v) => v.split('.').map(Number));
	return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** Versions as columns, what each smoke test proves as rows (✅ passed, ❌ failed, – not run). */
function table(results) {
	const columns = Object.values(results.versions).sort((a, b) => compareVersions(a.n8n, b.n8n));
	const proofs = [...new Set(columns.flatMap((column) => column.tests.map((test) => test.proves)))];
	const cell = (column, proof) => {
		const test = column.tests.find((t) => t.proves === proof);
		return !test ? '–' : test.status === 'passed' ? '✅' : '❌';
	};
	const row = (cells) => `| ${cells.join(' | ')} |`;
	return [
		row(['n8n', ...columns.map((column) => `**${column.n8n}**`)]),
		row(['---', ...columns.map(() => ':---:')]),
		row(['Node', ...columns.map((column) => column.node)]),
		...proofs.map((proof) => row([proof, ...columns.map((column) => cell(column, proof))])),
		row(['passed', ...columns.map((column) => `${column.passed}/${column.total}`)]),
		row(['run on', ...columns.map((column) => column.date)]),
	].join('\n');
}

function notes(results) {
	return Object.values(results.versions)
		.sort((a, b) => compareVersions(a.n8n, b.n8n))
		.flatMap((column) => [
			...(column.n8n === defaultVersion
				? [`n8n ${column.n8n} is the default version: the full end-to-end suite runs on it too.`]
				: []),
			...Object.entries(column.env ?? {}).map(
				([name, value]) =>
					`n8n ${column.n8n} runs with \`${name}=${value}\` (see e2e/lib/engine.mjs).`,
			),
		])
		.map((note) => `- ${note}`)
		.join('\n');
}

async function updateReadme(results) {
	const readme = readFileSync(README_PATH, 'utf8');
	const start = readme.indexOf(START);
	const end = readme.indexOf(END);
	if (start < 0 || end < start) throw new Error(`README.md lacks ${START} … ${END}`);
	const block = await prettier.format(`${table(results)}\n\n${notes(results)}\n`, {
		...(await prettier.resolveConfig(README_PATH)),
		parser: 'markdown',
	});
	const generated = [
		START,
		'<!-- generated by `npm run matrix` from e2e/matrix/results.json; edit scripts/matrix.mjs, not this table -->',
		'',
		block.trim(),
		'',
		END,
	].join('\n');
	writeFileSync(README_PATH, readme.slice(0, start) + generated + readme.slice(end + END.length));
}

function summary(results, ran) {
	return [
		'\nVersion matrix:',
		...ran.map((version) => {
			const row = results.versions[version];
			return `  n8n ${version} on Node ${row.node}: ${row.passed}/${row.total} passed${row.failed ? ` — FAILED: ${row.failures.join('; ')}` : ''} (install ${row.seconds.install} s, tests ${row.seconds.tests} s)`;
		}),
		`  oldest supported: ${OLDEST_SUPPORTED_VERSION}; README.md Compatibility table updated`,
	].join('\n');
}
