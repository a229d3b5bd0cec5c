// `npm run screenshots`: PNGs of the TikTok node in n8n's editor for the README (docs/screenshots/).
// Starts the local TikTok sandbox and a real n8n with the built package (as the e2e suite does),
// creates both TikTok credentials and the example workflow through n8n's REST API, then drives
// Debian's Chromium (headless, through playwright-core: no browser download) to the Upload Draft
// parameters and both credential dialogs. Everything listens on 127.0.0.1; n8n, Chromium and the
// sandbox are stopped at the end, also when something fails.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startSandbox } from '../sandbox/server.mjs';
import { ensureN8nEngine, PACKAGE_DIR } from '../e2e/lib/engine.mjs';
import { CREDENTIAL_TYPE, startN8n, UNATTENDED_CREDENTIAL_TYPE } from '../e2e/lib/n8nInstance.mjs';
import { exampleWorkflow } from '../e2e/lib/workflows.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT_DIR = join(PACKAGE_DIR, 'docs', 'screenshots');
// The address n8n shows as its own (OAuth Redirect URL): an https one, as TikTok requires, and the
// same in every run. Nothing is sent there; the browser uses n8n's real 127.0.0.1 address.
const SHOWN_BASE_URL = 'https://n8n.example.com';
const VIEWPORT = { width: 1440, height: 900 };
const TALL_VIEWPORT = { width: 1440, height: 2000 }; // credential dialogs: every field, no scrolling
const SCALE = 2; // sharp on high-density screens; GitHub scales the images down
// Without these flags a Chromium on a machine without internet stalls on its own background work.
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
// Whatever n8n may pop up over the editor: toasts, banners, surveys, "what's new".
const POPUP_CLOSERS = [
	'.el-notification .el-notification__closeBtn',
	'[data-test-id="notification-banner-dismiss"]',
	'[data-test-id="banner-stack"] [data-test-id="banner-close"]',
	'[data-test-id="nps-survey-modal"] .el-dialog__headerbtn',
	'.el-dialog:has([data-test-id="whats-new-modal-update-button"]) .el-dialog__headerbtn',
	'.el-dialog:has([data-test-id="whats-new-modal-next-versions-link"]) .el-dialog__headerbtn',
];

const started = Date.now();
const say = (line) => console.log(line);

function preflight() {
	if (!existsSync(CHROMIUM)) {
		return `Chromium not found at ${CHROMIUM}. Install Debian's Chromium:\n  sudo apt-get install -y chromium\nor set CHROMIUM_PATH to another Chromium, then run npm run screenshots again.`;
	}
	if (!existsSync(join(PACKAGE_DIR, 'dist', 'nodes', 'TikTok', 'TikTok.node.js'))) {
		return 'dist/ is missing: run npm run build first (npm run screenshots does).';
	}
	return undefined;
}

async function main() {
	const problem = preflight();
	if (problem) {
		console.error(problem);
		process.exitCode = 1;
		return;
	}
	let chromium;
	try {
		({ chromium } = await import('playwright-core'));
	} catch {
		console.error('playwright-core is missing: run npm ci.');
		process.exitCode = 1;
		return;
	}

	const engine = ensureN8nEngine();
	say(`Screenshots of the TikTok node in n8n ${engine.version}, Chromium ${CHROMIUM}`);
	mkdirSync(OUT_DIR, { recursive: true });
	const profile = mkdtempSync(join(tmpdir(), 'tiktok-screenshots-chromium-'));
	let sandbox;
	let n8n;
	let context;
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

		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: VIEWPORT,
			deviceScaleFactor: SCALE,
			colorScheme: 'light',
			locale: 'en-US',
			timezoneId: 'UTC',
		});
		// Logged in as the owner: the REST login's cookie, and the browser id n8n bound it to (the
		// editor keeps it in localStorage and sends it with every request).
		await context.addCookies([
			{ name: 'n8n-auth', value: n8n.rest.cookie.replace(/^n8n-auth=/, ''), url: n8n.baseUrl },
		]);
		await context.addInitScript((browserId) => {
			localStorage.setItem('n8n-browserId', browserId);
		}, n8n.rest.browserId);
		const page = context.pages()[0] ?? (await context.newPage());
		page.setDefaultTimeout(30_000);

		// 1. Upload Draft's parameters: n8n opens a node's panel (NDV) from /workflow/<id>/<node id>.
		await page.goto(`${n8n.baseUrl}/workflow/${workflow.id}/${upload.id}`);
		await page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]').waitFor();
		await settle(page);
		await shoot(page, 'upload-draft-parameters.png', await parametersPanelBox(page));

		// The canvas with the example workflow (Escape closes the panel).
		await page.keyboard.press('Escape');
		await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });
		await settle(page);
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
		await page.goto(`${n8n.baseUrl}/workflow/${notifyWorkflow.id}/${trigger.id}`);
		await page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]').waitFor();
		// Open the Webhook URLs section on its Production URL: the address to paste into TikTok.
		await page.getByText('Webhook URLs', { exact: true }).click();
		await page.getByText('Production URL', { exact: true }).click();
		await settle(page);
		await shoot(page, 'tiktok-trigger-parameters.png', await parametersPanelBox(page));

		// 2. and 3. The credential dialogs, tall enough to show every field without scrolling.
		await page.setViewportSize(TALL_VIEWPORT);
		for (const [id, file] of [
			[credential.id, 'credential-oauth2.png'],
			[unattended.id, 'credential-unattended.png'],
		]) {
			await page.goto(`${n8n.baseUrl}/home/credentials/${id}`);
			const dialog = page.locator('.el-dialog:has([data-test-id="credential-edit-dialog"])');
			await dialog.waitFor();
			await settle(page);
			await shoot(page, file, await dialogBox(dialog));
		}
		say(`Done in ${seconds(Date.now() - started)}.`);
	} finally {
		await context?.close().catch(() => {});
		await n8n?.stop();
		await sandbox?.close();
		rmSync(profile, { recursive: true, force: true });
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
		scopes: 'user.info.basic,video.upload',
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

/** Lets fonts, icons and transitions finish, and closes anything n8n popped up. */
async function settle(page) {
	await page.evaluate(() => document.fonts.ready);
	await page.waitForLoadState('networkidle').catch(() => {});
	for (const selector of POPUP_CLOSERS) {
		for (const closer of await page.locator(selector).all()) {
			if (await closer.isVisible()) await closer.click().catch(() => {});
		}
	}
	await page.mouse.move(0, VIEWPORT.height - 1); // no hover states or tooltips in the picture
	await page.waitForTimeout(800);
}

/**
 * The dialog's box, cut below its last field: n8n caps a dialog's height and scrolls inside it, so
 * the caps are lifted first (the viewport is tall enough for every field).
 */
async function dialogBox(dialog) {
	return dialog.evaluate((root) => {
		for (const element of [root, ...root.querySelectorAll('*')]) {
			const style = getComputedStyle(element);
			if (element.scrollHeight > element.clientHeight + 1 || style.maxHeight !== 'none') {
				element.style.maxHeight = 'none';
				if (/auto|scroll|hidden/.test(style.overflowY)) element.style.overflowY = 'visible';
			}
		}
		const box = root.getBoundingClientRect();
		let bottom = box.top;
		for (const element of root.querySelectorAll('*')) {
			if (element.childElementCount > 0 && !['BUTTON', 'svg'].includes(element.tagName)) continue;
			const rect = element.getBoundingClientRect();
			if (rect.width > 0 && rect.height > 0) bottom = Math.max(bottom, rect.bottom);
		}
		return {
			x: box.left,
			y: box.top,
			width: box.width,
			height: Math.min(box.height, bottom - box.top + 32),
		};
	});
}

/**
 * The NDV's middle column (tabs, Execute step, parameters), cut below the last parameter: the
 * column runs to the bottom of the window whatever its content.
 */
function parametersPanelBox(page) {
	return page.evaluate(() => {
		const ndv = document.querySelector('[data-test-id="ndv"]');
		const parameters = ndv.querySelector('[data-test-id="node-parameters"]');
		const execute = ndv.querySelector('[data-test-id="node-execute-button"]');
		let panel = parameters;
		while (panel.parentElement && !panel.contains(execute)) panel = panel.parentElement;
		const box = panel.getBoundingClientRect();
		let bottom = box.top;
		const items = '[data-test-id^="parameter-"], [data-test-id^="collection-parameter"]';
		for (const element of parameters.querySelectorAll(items)) {
			const rect = element.getBoundingClientRect();
			if (rect.height > 0 && rect.width > 0) bottom = Math.max(bottom, rect.bottom);
		}
		return {
			x: box.left,
			y: box.top,
			width: box.width,
			height: Math.min(box.height, bottom - box.top + 20),
		};
	});
}

/** The workflow's nodes on the canvas, with a margin. */
function canvasBox(page) {
	return page.evaluate(() => {
		const parts = '[data-test-id="canvas-node"], [data-test-id="canvas-handle-plus-wrapper"]';
		const nodes = [...document.querySelectorAll(parts)].map((node) => node.getBoundingClientRect());
		const margin = 40;
		const left = Math.min(...nodes.map((r) => r.left)) - margin;
		const top = Math.min(...nodes.map((r) => r.top)) - margin;
		const right = Math.max(...nodes.map((r) => r.right)) + margin;
		const bottom = Math.max(...nodes.map((r) => r.bottom)) + margin + 30; // labels below nodes
		return { x: Math.max(0, left), y: Math.max(0, top), width: right - left, height: bottom - top };
	});
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
