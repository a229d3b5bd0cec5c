// The real n8n the end-to-end suite and the demo run: installed once into a cache folder outside
// this package's node_modules (e2e/install-n8n.sh; version in e2e/n8n-version), then reused.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const E2E_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const PACKAGE_DIR = dirname(E2E_DIR);

export function n8nVersion() {
	return process.env.N8N_VERSION ?? readFileSync(join(E2E_DIR, 'n8n-version'), 'utf8').trim();
}

/** Installs n8n when missing (progress on stderr) and returns where its binary lives. */
export function ensureN8nEngine() {
	const result = spawnSync('bash', [join(E2E_DIR, 'install-n8n.sh')], {
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`Installing n8n ${n8nVersion()} failed (see above)`);
	const dir = result.stdout.trim().split('\n').pop();
	const bin = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (!existsSync(bin)) throw new Error(`n8n binary missing at ${bin}`);
	return { dir, bin, version: n8nVersion() };
}

/** Loads a module from the n8n installation (e.g. `flatted`, which n8n stores executions with). */
export async function importFromEngine(engine, name) {
	const { createRequire } = await import('node:module');
	return createRequire(join(engine.dir, 'package.json'))(name);
}
