// What every version-matrix smoke file shares: the engine for N8N_VERSION (installed on demand, on
// the Node that version needs), one sandbox and one n8n in filesystem binary mode per file, and a
// load check. A further smoke file (e.g. one for a trigger node) only needs
// `e2e/matrix/<name>.matrix.test.mjs` calling useSmokeInstance(): the `matrix` jest project picks
// it up, and scripts/matrix.mjs lists each passing test's label (its title up to the first ':')
// under "what was proven" in the README's Compatibility table.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureN8nEngine, PACKAGE_DIR } from '../lib/engine.mjs';
import { PACKAGE_NAME } from '../lib/n8nInstance.mjs';
import { useN8n } from '../lib/useN8n.mjs';

export const engine = ensureN8nEngine();

/**
 * One sandbox and one n8n (the built package installed, filesystem binary mode) for a smoke file,
 * started before its tests and stopped after them (useN8n). No credential: each file connects its own.
 */
export function useSmokeInstance() {
	return useN8n({
		engine,
		sandbox: { processingMs: 500 },
		// Debug level: n8n then logs what it loaded from each community package (loadReport).
		n8n: { binaryMode: 'filesystem', env: { N8N_LOG_LEVEL: 'debug' } },
		connect: false,
	});
}

/** The type names of the nodes and credentials package.json declares, from the built files. */
export function declaredTypes() {
	const { n8n } = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8'));
	const require = createRequire(join(PACKAGE_DIR, 'package.json'));
	const instances = (files) =>
		files.map((file) => {
			const exported = require(join(PACKAGE_DIR, file));
			const Class = Object.values(exported).find((value) => typeof value === 'function');
			return new Class();
		});
	return {
		nodes: instances(n8n.nodes).map((node) => `${PACKAGE_NAME}.${node.description.name}`),
		credentials: instances(n8n.credentials).map((credential) => credential.name),
	};
}

/** What n8n serves its editor as the known node and credential types (every version has these). */
export async function loadedTypes(n8n) {
	const get = async (path) => {
		const response = await fetch(`${n8n.baseUrl}${path}`, {
			headers: { cookie: n8n.rest.cookie, 'browser-id': n8n.rest.browserId },
		});
		if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
		return response.json();
	};
	const [nodes, credentials] = await Promise.all([
		get('/types/nodes.json'),
		get('/types/credentials.json'),
	]);
	return {
		nodes: nodes.map((node) => node.name),
		credentials: credentials.map((credential) => credential.name),
	};
}

const logLines = (n8n) =>
	n8n
		.readLog()
		.replace(/\x1b\[[0-9;]*m/g, '') // n8n colours its log even into a file
		.split('\n');

/**
 * What n8n's debug log says about loading community packages: how many
 * nodes and credentials it loaded from this package, and every package load error (before 2.41 such
 * an error names no package, only its message; this package is the only one installed).
 */
export function loadReport(n8n) {
	const lines = logLines(n8n);
	const loadedLine = lines.find((line) =>
		line.includes(`Loaded all credentials and nodes from ${PACKAGE_NAME}`),
	);
	const counts = loadedLine && JSON.parse(loadedLine.slice(loadedLine.indexOf('{')));
	return {
		loaded: counts && { nodes: counts.nodes, credentials: counts.credentials },
		// 1.x–2.8: the bare message from loadNodesFromNodeModules; 2.41: 'Failed to load package "…"'.
		errors: lines.filter(
			(line) =>
				/\berror\b/.test(line) &&
				(line.includes('"function": "loadNodesFromNodeModules"') ||
					line.includes('Failed to load package')),
		),
	};
}

/**
 * Lines of n8n's log that report a problem loading or running something of this package (paths
 * into the engine cache, whose name contains the package's, do not count: n8n's own stack traces,
 * e.g. 2.41 failing to reach api.n8n.io offline).
 */
export function packageProblemsInLog(n8n) {
	return logLines(n8n)
		.map((line) => line.replace(/\S*\/n8n-nodes-tiktok-posting\/engines\/\S*/g, '<engine>'))
		.filter((line) => /tiktok/i.test(line) && /error|fail|could not|cannot|invalid/i.test(line));
}
