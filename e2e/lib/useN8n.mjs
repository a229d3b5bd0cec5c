// One sandbox and one n8n for an e2e test file (or a describe block), as useSandbox() in
// test/helpers/sandbox.mjs is for a unit test file: started before its tests, stopped after them.
import { startSandbox } from '../../sandbox/server.mjs';
import { startMediaServer } from './mediaServer.mjs';
import { startN8n } from './n8nInstance.mjs';
import { connectCredential } from './scenario.mjs';
import { standIn } from './standIn.mjs';
import { makeTempDir, removeDir } from './videos.mjs';

/**
 * `engine`: ensureN8nEngine()'s. `sandbox`: startSandbox's options. `n8n`: further startN8n
 * options (binaryMode, env). `media`: 'https' starts a media server on `files` first, a verified
 * domain of the sandbox that its URL pulls trust; 'http' a plain one (a feed server). `connect`:
 * connectCredential's options (e.g. scopes) for a Connect-button credential, or false for none.
 *
 * Returns `files`, a folder that exists from now on and that n8n's file nodes may read, and
 * stand-ins for `sandbox`, `n8n`, `media` and `credential` (standIn.mjs). afterAll stops n8n, then
 * the sandbox and the media server, and removes `files`.
 */
export function useN8n({
	engine,
	sandbox: sandboxOptions = {},
	n8n: n8nOptions = {},
	media: mediaKind,
	connect = {},
}) {
	const files = makeTempDir('tiktok-e2e-files-');
	const started = {};
	beforeAll(async () => {
		if (mediaKind) started.media = await startMediaServer(files, { tls: mediaKind === 'https' });
		started.sandbox = await startSandbox({
			...(mediaKind === 'https'
				? { verifiedDomains: [started.media.baseUrl], pullCa: started.media.ca }
				: {}),
			...sandboxOptions,
		});
		started.n8n = await startN8n({
			engine,
			sandbox: started.sandbox,
			filesDir: files,
			...n8nOptions,
		});
		if (connect)
			({ credential: started.credential } = await connectCredential(
				started.n8n,
				started.sandbox,
				connect,
			));
	});
	afterAll(async () => {
		await started.n8n?.stop();
		await started.sandbox?.close();
		await started.media?.close();
		removeDir(files);
	});
	const of = (name) => standIn(() => started[name], name);
	return {
		files,
		sandbox: of('sandbox'),
		n8n: of('n8n'),
		media: of('media'),
		credential: of('credential'),
	};
}
