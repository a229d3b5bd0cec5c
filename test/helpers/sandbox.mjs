// One sandbox (or other local server) per test file: started before its tests, closed after them.
import { startMediaServer } from '../../e2e/lib/mediaServer.mjs';
import { standIn } from '../../e2e/lib/standIn.mjs';
import { makeTempDir, removeDir } from '../../e2e/lib/videos.mjs';
import { startSandbox } from '../../sandbox/server.mjs';

/**
 * Starts `start()` in beforeAll and closes it in afterAll. Returns a stand-in for the server that
 * module-level code can hold before beforeAll has run: every property is read from the started
 * server when used.
 */
export function useServer(start) {
	let server;
	beforeAll(async () => {
		server = await start();
	});
	afterAll(async () => {
		await server?.close();
	});
	return standIn(() => server, 'the server');
}

/**
 * The sandbox for one test file. `start`: startSandbox's options, or a function returning them
 * when they depend on another server started first. `reset` before each test: 'state' forgets
 * requests, tokens, uploads and faults; 'config' restores the default config as well; leave it
 * out to keep both from test to test. `configure`: a config patch after each reset.
 */
export function useSandbox({ start = {}, reset, configure } = {}) {
	const sandbox = useServer(() => startSandbox(typeof start === 'function' ? start() : start));
	if (reset || configure) {
		beforeEach(() => {
			if (reset) sandbox.reset({ config: reset === 'config' });
			if (configure) sandbox.configure(configure);
		});
	}
	return sandbox;
}

/**
 * A temp folder that `writeFiles(dir)` fills before the tests, served by a local HTTPS media
 * server, and a sandbox started with `options` that trusts that server for PULL_FROM_URL (a
 * verified domain, its certificate as CA). The folder is removed after the tests.
 */
export function useSandboxWithMedia(writeFiles, options = {}) {
	const dir = makeTempDir();
	beforeAll(() => writeFiles(dir));
	const media = useServer(() => startMediaServer(dir));
	const sandbox = useSandbox({
		start: () => ({ ...options, verifiedDomains: [media.baseUrl], pullCa: media.ca }),
	});
	afterAll(() => removeDir(dir));
	return { media, sandbox };
}

/** Caps and rate limits far above what a file's tests reach: for tests about something else. */
export const UNCAPPED = {
	maxPendingShares: 10_000,
	maxPostsPerDay: 10_000,
	rateLimits: {
		inboxInit: 10_000,
		directPostInit: 10_000,
		contentInit: 10_000,
		statusFetch: 10_000,
		creatorInfo: 10_000,
	},
};

/** Resolves once `condition()` holds; fails after `timeoutMs` naming `what` it waited for. */
export async function until(condition, what, timeoutMs = 5000) {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
