// n8n's own community-package scanner (@n8n/scan-community-package's analyzePackage, offline)
// on the source and on the unpacked `npm pack` tarball, as n8n checks a package before listing it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'tiktok-scan-'));
let failed = false;
try {
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
		cwd: root,
		encoding: 'utf8',
	})
		.trim()
		.split('\n')
		.pop();
	execFileSync('tar', ['xzf', join(work, tarball), '-C', work]);
	for (const [what, dir, patterns] of [
		['source', root, SOURCE_FILE_PATTERNS],
		['npm pack tarball', join(work, 'package'), undefined],
	]) {
		const result = await analyzePackage(dir, patterns);
		console.log(`scanner, ${what}: ${result.passed ? 'no findings' : result.message}`);
		if (!result.passed) {
			failed = true;
			console.log(result.details ?? result.error ?? '');
		}
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
