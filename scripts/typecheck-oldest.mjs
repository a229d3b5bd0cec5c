// Type-checks nodes/ and credentials/ against the n8n-workflow of the oldest supported n8n (the
// matrix's oldest engine, installed on demand like the e2e engines), not the newer one in this
// package's devDependencies: `tsc --noEmit` with a generated tsconfig whose `paths` points
// `n8n-workflow` at that engine's own copy.
//
//   node scripts/typecheck-oldest.mjs            against n8n 1.123.81 (OLDEST_SUPPORTED_VERSION)
//   node scripts/typecheck-oldest.mjs 2.41.1     against another engine's n8n-workflow
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureN8nEngine, OLDEST_SUPPORTED_VERSION, PACKAGE_DIR } from '../e2e/lib/engine.mjs';

const version = process.argv[2] ?? OLDEST_SUPPORTED_VERSION;
const engine = ensureN8nEngine(version);

// The n8n-workflow n8n itself resolves: nested under n8n if npm could not hoist it.
const candidates = [
	join(engine.dir, 'node_modules', 'n8n', 'node_modules', 'n8n-workflow'),
	join(engine.dir, 'node_modules', 'n8n-workflow'),
];
const workflowDir = candidates.find((dir) => existsSync(join(dir, 'package.json')));
if (!workflowDir) throw new Error(`n8n-workflow not found in ${engine.dir}`);
const workflowPackage = JSON.parse(readFileSync(join(workflowDir, 'package.json'), 'utf8'));
const types = workflowPackage.types ?? workflowPackage.typings ?? 'dist/index.d.ts';

const configDir = join(PACKAGE_DIR, 'node_modules', '.cache', 'typecheck-oldest');
mkdirSync(configDir, { recursive: true });
const configPath = join(configDir, `tsconfig.n8n-${version}.json`);
writeFileSync(
	configPath,
	JSON.stringify(
		{
			// include/exclude come from the package's tsconfig, relative to it.
			extends: join(PACKAGE_DIR, 'tsconfig.json'),
			compilerOptions: {
				noEmit: true,
				incremental: false,
				baseUrl: PACKAGE_DIR,
				paths: { 'n8n-workflow': [join(workflowDir, types)] },
				typeRoots: [join(PACKAGE_DIR, 'node_modules', '@types')],
			},
		},
		null,
		'\t',
	),
);

console.log(
	`Type-checking against n8n-workflow ${workflowPackage.version} of n8n ${version} (${join(workflowDir, types)})`,
);
const tsc = spawnSync(
	process.execPath,
	[join(PACKAGE_DIR, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', configPath],
	{ cwd: PACKAGE_DIR, stdio: 'inherit' },
);
rmSync(configPath);
if (tsc.status === 0)
	console.log(`No type errors against n8n-workflow ${workflowPackage.version}.`);
process.exit(tsc.status ?? 1);
