// `npm run screenshots`: PNGs of the TikTok node in n8n's editor for the README (docs/screenshots/).
// Starts the local TikTok sandbox and a real n8n with the built package (as the e2e suite does),
// creates both TikTok credentials and the example workflow through n8n's REST API, then drives
// the editor the way the browser suite does (e2e/lib/editor.mjs: Debian's Chromium, headless,
// through playwright-core, no browser download, nothing leaving 127.0.0.1) to the Upload Draft
// parameters, the canvas, the trigger and both credential dialogs. n8n, Chromium and the sandbox
// are stopped at the end, also when something fails.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startSandbox } from '../sandbox/server.mjs';
import {
	canvasBox,
	dialogBox,
	Editor,
	ensureChromium,
	keepBrowserLocal,
	launchChromium,
	newEditorContext,
	parametersPanelBox,
} from '../e2e/lib/editor.mjs';
import { ensureN8nEngine, PACKAGE_DIR } from '../e2e/lib/engine.mjs';
import { CREDENTIAL_TYPE, startN8n, UNATTENDED_CREDENTIAL_TYPE } from '../e2e/lib/n8nInstance.mjs';
import { exampleWorkflow } from '../e2e/lib/workflows.mjs';

const OUT_DIR = join(PACKAGE_DIR, 'docs', 'screenshots');
// The address n8n shows as its own (OAuth Redirect URL): an https one, as TikTok requires, and the
// same in every run. Nothing is sent there; the browser uses n8n's real 127.0.0.1 address.
const SHOWN_BASE_URL = 'https://n8n.example.com';
const VIEWPORT = { width: 1440, height: 900 };
const TALL_VIEWPORT = { width: 1440, height: 2000 }; // credential dialogs: every field, no scrolling
const SCALE = 2; // sharp on high-density screens; GitHub scales the images down

const started = Date.now();
const say = (line) => console.log(line);

async function main() {
	if (!existsSync(join(PACKAGE_DIR, 'dist', 'nodes', 'TikTok', 'TikTok.node.js'))) {
		console.error('dist/ is missing: run npm run build first (npm run screenshots does).');
		process.exitCode = 1;
		return;
	}
	// Debian's Chromium (apt-get when missing and run as root), or CHROMIUM_PATH.
	const executablePath = ensureChromium();
	const engine = ensureN8nEngine();
	say(`Screenshots of the TikTok node in n8n ${engine.version}, Chromium ${executablePath}`);
	mkdirSync(OUT_DIR, { recursive: true });
	let sandbox;
	let n8n;
	let chrome;
	try {
		sandbox = await startSandbox();
		n8n = await startN8n({
			engine,
			sandbox,
			env: { N8N_EDITOR_BASE_URL: SHOWN_BASE_URL, WEBHOOK_URL: `${SHOWN_BASE_URL}/` },
		});
		say(`n8n ready at ${n8n.baseUrl} (${seconds(Date.now() - started)})`);

		// What a user has after setting up: a connected OAuth2 credential, an unattended one with a
		// refresh token, and the example workflow (Read Video → Upload Draft → … ) using the first.
		const credential = await connectedCredential(n8n, sandbox);
		const unattended = await n8n.rest.createCredential(
			'TikTok account (unattended)',
			UNATTENDED_CREDENTIAL_TYPE,
			{
				clientKey: sandbox.clientKey,
				clientSecret: sandbox.clientSecret,
				refreshToken: sandbox.mintToken().refresh_token,
			},
		);
		const workflowData = exampleWorkflow({ videoPath: '/data/videos/clip.mp4', credential });
		const upload = workflowData.nodes.find((node) => node.name === 'Upload Draft');
		upload.parameters.options = { chunkSize: 10, waitForCompletion: false };
		const workflow = await n8n.rest.createWorkflow(workflowData);

		chrome = await launchChromium({ executablePath });
		const context = await newEditorContext(chrome.browser, {
			viewport: VIEWPORT,
			deviceScaleFactor: SCALE,
		});
		await keepBrowserLocal(context);
		const page = await context.newPage();
		page.setDefaultTimeout(30_000);
		const editor = new Editor(page, n8n.baseUrl);
		await editor.signIn();

		// 1. Upload Draft's parameters: n8n opens a node's panel (NDV) from /workflow/<id>/<node id>.
		await editor.openWorkflowNode(workflow.id, upload.id);
		await editor.settle();
		await shoot(page, 'upload-draft-parameters.png', await parametersPanelBox(page));

		// The canvas with the example workflow.
		await editor.closeNdv();
		await editor.settle();
		await shoot(page, 'example-workflow.png', await canvasBox(page));

		// 4. The TikTok Trigger's panel (callback-URL notice, events), from the example workflow.
		const notify = JSON.parse(
			readFileSync(join(PACKAGE_DIR, 'examples', 'notify-when-draft-reaches-inbox.json'), 'utf8'),
		);
		for (const node of notify.nodes) {
			if (node.credentials?.tikTokOAuth2Api)
				node.credentials.tikTokOAuth2Api = { id: credential.id, name: credential.name };
		}
		const notifyWorkflow = await n8n.rest.createWorkflow(notify);
		const trigger = notify.nodes.find((node) => node.name === 'TikTok Trigger');
		await editor.openWorkflowNode(notifyWorkflow.id, trigger.id);
		// Open the Webhook URLs section on its Production URL: the address to paste into TikTok.
		await editor.ndv.getByText('Webhook URLs', { exact: true }).click();
		await editor.ndv.getByText('Production URL', { exact: true }).click();
		await editor.settle();
		await shoot(page, 'tiktok-trigger-parameters.png', await parametersPanelBox(page));

		// 2. and 3. The credential dialogs, tall enough to show every field without scrolling.
		await page.setViewportSize(TALL_VIEWPORT);
		for (const [id, file] of [
			[credential.id, 'credential-oauth2.png'],
			[unattended.id, 'credential-unattended.png'],
		]) {
			await editor.openCredential(id);
			await editor.settle();
			await shoot(page, file, await dialogBox(editor.credentialDialog));
		}
		say(`Done in ${seconds(Date.now() - started)}.`);
	} finally {
		await chrome?.close();
		await n8n?.stop();
		await sandbox?.close();
	}
}

/**
 * An OAuth2 credential connected with the Connect button flow: n8n's authorize URL, the sandbox's
 * approval, then n8n's callback, reached at its real address rather than SHOWN_BASE_URL.
 */
async function connectedCredential(n8n, sandbox) {
	const credential = await n8n.rest.createCredential('TikTok account', CREDENTIAL_TYPE, {
		clientId: sandbox.clientKey,
		clientSecret: sandbox.clientSecret,
		tikTokScopes: 'user.info.basic,video.upload',
	});
	const authorizeUrl = await n8n.rest.request(
		'GET',
		`/rest/oauth2-credential/auth?id=${credential.id}`,
	);
	const approval = await fetch(authorizeUrl, { redirect: 'manual' });
	const callback = new URL(approval.headers.get('location') ?? '', SHOWN_BASE_URL);
	await fetch(new URL(`${callback.pathname}${callback.search}`, n8n.baseUrl), {
		headers: { cookie: n8n.rest.cookie, 'browser-id': n8n.rest.browserId },
		redirect: 'manual',
	});
	const { data } = await n8n.rest.getCredential(credential.id);
	if (!data?.oauthTokenData) throw new Error('The TikTok OAuth2 credential did not connect.');
	return credential;
}

async function shoot(page, file, clip) {
	const path = join(OUT_DIR, file);
	await page.screenshot({ path, clip, animations: 'disabled' });
	say(`  ${relative(PACKAGE_DIR, path)}`);
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

// Ctrl-C or a kill: exit normally so startN8n's exit hook ends n8n's process group.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

main().catch((error) => {
	console.error(`\nScreenshots failed: ${error.stack ?? error.message}`);
	process.exitCode = 1;
});
