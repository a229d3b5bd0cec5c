// The README's main command keeps working: `npm run demo`'s script (the package is built by
// `npm test` before this suite) uploads the sample video through n8n's CLI to the sandbox.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_DIR } from './lib/engine.mjs';

test('the demo uploads the sample video as a draft and prints a summary', async () => {
	const child = spawn(process.execPath, [join(PACKAGE_DIR, 'e2e', 'demo.mjs')], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (piece) => (output += piece));
	child.stderr.on('data', (piece) => (output += piece));
	const code = await new Promise((resolve) => child.once('close', resolve));
	expect(output).toMatch(/chunks\s+8 × 10,000,000 bytes, last 10,000,123/);
	expect(output).toMatch(/received 80,000,123 bytes in 8 PUTs, SHA-256 matches/);
	expect(output).toMatch(/status\s+SEND_TO_USER_INBOX/);
	expect(output).toMatch(/account\s+Sandbox Creator/);
	expect(output).not.toMatch(/act\.|rft\.|upload_token/);
	expect(code).toBe(0);
});
