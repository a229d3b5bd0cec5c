// First-run helper for the README's two commands: installs the dev tools (npm ci) when a fresh
// clone has no node_modules yet, so `npm run demo` and `npm test` work without a separate step.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'node_modules', '.bin', 'n8n-node'))) {
	console.log('First run: installing the development tools (npm ci)...');
	const result = spawnSync('npm', ['ci'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}
