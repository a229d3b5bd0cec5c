// One way to drive n8n's editor in a real browser, shared by the browser suite (e2e/browser/) and
// `npm run screenshots`: Debian's Chromium (installed with apt-get when missing by
// scripts/install-browser-deps.sh; no browser download) driven by playwright-core, headless, on
// 127.0.0.1 only. Selectors are n8n 2.8.4's data-test-id attributes (the ones n8n's own
// Playwright suite uses), plus visible texts where n8n has no test id.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_DIR } from './engine.mjs';
import { OWNER } from './rest.mjs';

// Without these flags a Chromium on a machine without internet stalls on its own background work.
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-crash-reporter',
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

/**
 * The Chromium binary: CHROMIUM_PATH, or Debian's, installed with apt-get when missing (root) by
 * scripts/install-browser-deps.sh. Throws with the script's advice when it cannot.
 */
export function ensureChromium() {
	const result = spawnSync('bash', [join(PACKAGE_DIR, 'scripts', 'install-browser-deps.sh')], {
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
	});
	const path = /^CHROMIUM=(.+)$/m.exec(result.stdout ?? '')?.[1];
	if (result.status !== 0 || !path) throw new Error('Chromium is not available (see above)');
	return path;
}

/**
 * Starts headless Chromium (a playwright-core browser server on 127.0.0.1, so its process id is
 * known) and connects to it. `onProcess(pid)` gets the browser's process id, which leads its own
 * process group: register it with the reaper (e2e/lib/reaper.mjs). Returns { browser, pid, close }.
 */
export async function launchChromium({ executablePath, onProcess = () => {} }) {
	const { chromium } = await import('playwright-core');
	const server = await chromium.launchServer({
		executablePath,
		headless: true,
		args: CHROMIUM_ARGS,
		host: '127.0.0.1',
	});
	const pid = server.process().pid;
	onProcess(pid);
	const browser = await chromium.connect(server.wsEndpoint());
	return {
		browser,
		pid,
		async close() {
			await browser.close().catch(() => {});
			await server.close().catch(() => {});
		},
	};
}

/** A browser context for the editor: fixed viewport, locale and time zone; light or dark. */
export function newEditorContext(
	browser,
	{ viewport = { width: 1440, height: 900 }, deviceScaleFactor = 1, colorScheme = 'light' } = {},
) {
	return browser.newContext({
		viewport,
		deviceScaleFactor,
		colorScheme,
		locale: 'en-US',
		timezoneId: 'UTC',
	});
}

/**
 * What the page reports while a test drives it: console errors, page errors, failed requests and
 * HTTP errors, into `events` (pass another watcher's `events` to collect several pages in one).
 */
export function watchPage(page, { name = 'editor', events = [] } = {}) {
	const record = (kind, text, url = '') =>
		events.push({ page: name, kind, text: String(text).slice(0, 2000), url, at: Date.now() });
	page.on('console', (message) => {
		if (['error', 'warning'].includes(message.type()))
			record(`console.${message.type()}`, message.text(), message.location()?.url ?? '');
	});
	page.on('pageerror', (error) => record('pageerror', error.stack ?? error.message));
	page.on('requestfailed', (request) => {
		const reason = request.failure()?.errorText ?? 'failed';
		// ERR_ABORTED: the page went elsewhere before the answer came (navigation), not a failure.
		if (reason !== 'net::ERR_ABORTED') record('requestfailed', reason, request.url());
	});
	page.on('response', (response) => {
		if (response.status() >= 400)
			record(`http ${response.status()}`, response.statusText(), response.url());
	});
	return {
		events,
		/** Events after `since` (ms) that are errors rather than warnings. */
		errors: (since = 0) =>
			events.filter((event) => event.at >= since && event.kind !== 'console.warning'),
	};
}

/**
 * An event that comes from this package: its files, its node or credential types, its name, on
 * n8n's own address (a request the suite blocks from leaving the machine, such as the editor's
 * look-up of the package on registry.npmjs.org, is n8n's doing, not the package's).
 */
export const fromPackage = (event) =>
	!/^https?:\/\/(?!127\.0\.0\.1[:/])/.test(event.url) &&
	/n8n-nodes-tiktok-posting|tikTok(OAuth2|Unattended)Api|tiktok\.(dark\.)?svg|\btikTok\b/i.test(
		`${event.text} ${event.url}`,
	);

/**
 * Keeps the browser on this machine: requests to 127.0.0.1 go through, `pages` (URL prefix → HTML)
 * are answered locally, anything else is blocked and listed in the returned array.
 */
export async function keepBrowserLocal(context, pages = {}) {
	const blocked = [];
	await context.route('**/*', (route) => {
		const url = route.request().url();
		const local = Object.entries(pages).find(([prefix]) => url.startsWith(prefix));
		if (local) return route.fulfill({ status: 200, contentType: 'text/html', body: local[1] });
		if (/^(https?|wss?):\/\/127\.0\.0\.1[:/]/.test(url) || /^(data|blob|about):/.test(url))
			return route.fallback();
		blocked.push(url);
		return route.abort('blockedbyclient');
	});
	return blocked;
}

/**
 * n8n's editor in one page: sign-in, canvas, node panel (the "node creator"), node view (NDV),
 * credential dialog, executions. Methods wait for what they act on; assertions stay in the tests.
 */
export class Editor {
	constructor(page, baseUrl) {
		this.page = page;
		this.baseUrl = baseUrl;
	}

	// --- sign-in and navigation ---------------------------------------------------------------

	/** The sign-in form, as the owner set up through n8n's REST API (e2e/lib/rest.mjs). */
	async signIn(owner = OWNER) {
		const { page } = this;
		await page.goto(`${this.baseUrl}/signin`);
		await page.locator('[data-test-id="emailOrLdapLoginId"] input').fill(owner.email);
		await page.locator('[data-test-id="password"] input').fill(owner.password);
		await page.locator('[data-test-id="form-submit-button"]').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	}

	async newWorkflow() {
		await this.page.goto(`${this.baseUrl}/workflow/new`);
		await this.page.locator('[data-test-id="canvas-wrapper"]').waitFor();
	}

	/** n8n opens a node's view from /workflow/<id>/<node id>. */
	async openWorkflowNode(workflowId, nodeId) {
		await this.page.goto(`${this.baseUrl}/workflow/${workflowId}/${nodeId}`);
		await this.parameters.waitFor();
	}

	async openCredential(credentialId) {
		await this.page.goto(`${this.baseUrl}/home/credentials/${credentialId}`);
		await this.credentialDialog.waitFor();
	}

	// --- node panel ---------------------------------------------------------------------------

	get nodeCreator() {
		return this.page.locator('[data-test-id="node-creator"]');
	}

	/** Opens the node panel afresh (the canvas's + on an empty workflow) and searches. */
	async searchNodes(text) {
		const { page } = this;
		await this.closeNodeCreator();
		const first = page.locator('[data-test-id="canvas-plus-button"]');
		if (await first.isVisible()) await first.click();
		else await page.locator('[data-test-id="node-creator-plus-button"]').click();
		await page.locator('[data-test-id="node-creator-search-bar"]').fill(text);
	}

	/** An entry of the node panel by its exact name (a node, an action or a trigger event). */
	creatorItem(name) {
		return this.nodeCreator
			.locator('[data-test-id="item-iterator-item"]')
			.filter({
				has: this.page.locator('[data-test-id="node-creator-item-name"]', {
					hasText: new RegExp(`^${escapeRegExp(name)}$`),
				}),
			})
			.first();
	}

	/** Names of the entries under a category header ("Actions (9)", "Triggers (9)"), in order. */
	async creatorSection(title) {
		const header = this.nodeCreator.locator('[data-test-id="node-creator-category-item"]', {
			hasText: title,
		});
		await header.waitFor();
		return header.evaluate((element) => {
			const item = element.closest('[data-test-id="item-iterator-item"]') ?? element;
			const names = [];
			// The category's items follow its header as siblings until the next category.
			for (let next = item.nextElementSibling; next; next = next.nextElementSibling) {
				if (next.querySelector('[data-test-id="node-creator-category-item"]')) break;
				for (const name of next.querySelectorAll('[data-test-id="node-creator-item-name"]'))
					names.push(name.textContent.trim());
			}
			return names;
		});
	}

	/** Opens a category ("Triggers (9)") that n8n shows collapsed. */
	async expandCreatorSection(title) {
		const header = this.nodeCreator.locator('[data-test-id="node-creator-category-item"]', {
			hasText: title,
		});
		const before = await this.creatorSection(title);
		if (before.length === 0) await header.click();
	}

	/** Closes the node panel (Escape goes back one level from an entry's details first). */
	async closeNodeCreator() {
		for (let i = 0; i < 4 && (await this.nodeCreator.isVisible()); i++) {
			await this.page.keyboard.press('Escape');
			await this.nodeCreator.waitFor({ state: 'hidden', timeout: 1000 }).catch(() => {});
		}
		await this.nodeCreator.waitFor({ state: 'hidden' });
	}

	/** Searches, opens `node` and clicks `action` in it: the node is added and its view opens. */
	async addNode(search, node, action) {
		await this.searchNodes(search);
		await this.creatorItem(node).click();
		if (action) await this.creatorItem(action).click();
	}

	// --- canvas -------------------------------------------------------------------------------

	canvasNode(name) {
		return this.page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	}

	async openNode(name) {
		await this.canvasNode(name).dblclick();
		await this.parameters.waitFor();
	}

	/** Runs the workflow (Execute workflow) and waits until `lastNode` shows success or an error. */
	async executeWorkflow(lastNode, timeout = 120_000) {
		await this.page.locator('[data-test-id="execute-workflow-button"]').click();
		return this.nodeRunState(lastNode, timeout);
	}

	/** 'success' or 'error' once the canvas node shows either. */
	async nodeRunState(name, timeout = 120_000) {
		const node = this.canvasNode(name);
		const success = node.locator('[data-test-id="canvas-node-status-success"]');
		const error = node.locator('[data-test-id="canvas-node-status-error"]');
		await success.or(error).first().waitFor({ timeout });
		return (await success.count()) > 0 ? 'success' : 'error';
	}

	// --- node view (NDV) ----------------------------------------------------------------------

	get ndv() {
		return this.page.locator('[data-test-id="ndv"]');
	}

	get parameters() {
		return this.ndv.locator('[data-test-id="node-parameters"]');
	}

	async closeNdv() {
		await this.ndv.locator('[data-test-id="ndv-close-button"]').click();
		await this.ndv.waitFor({ state: 'hidden' });
	}

	/** A parameter's whole row (label, Fixed/Expression, input, hint) by its parameter name. */
	parameterItem(name) {
		return this.parameters
			.locator('[data-test-id="parameter-item"]')
			.filter({ has: this.page.locator(`[data-test-id="parameter-input-${name}"]`) })
			.first();
	}

	/** The option names and descriptions an options parameter offers (its open dropdown). */
	async parameterOptions(name) {
		await this.parameters.locator(`[data-test-id="parameter-input-${name}"]`).click();
		const list = this.page.locator('.el-select-dropdown:visible').last();
		await list.locator('[data-test-id="parameter-input-item"]').first().waitFor();
		const options = await list
			.locator('[data-test-id="parameter-input-item"]')
			.evaluateAll((items) =>
				items.map((item) => ({
					name:
						item.querySelector('.option-headline')?.textContent.trim() ?? item.textContent.trim(),
					description: item.querySelector('.option-description')?.textContent.trim() ?? '',
				})),
			);
		await this.page.keyboard.press('Escape');
		await list.waitFor({ state: 'hidden' });
		return options;
	}

	/** The options a collection parameter ("Add Option") offers, by display name. */
	async collectionOptions() {
		await this.parameters.locator('[data-test-id="collection-parameter-add"]').click();
		const list = this.page.locator('.el-select-dropdown:visible').last();
		const items = list.locator('[data-test-id="collection-parameter-option"]');
		await items.first().waitFor();
		const names = (await items.allInnerTexts()).map((text) => text.trim());
		await this.page.keyboard.press('Escape');
		await list.waitFor({ state: 'hidden' });
		return names;
	}

	/** Adds a collection option ("Add Option" → `displayName`). */
	async addCollectionOption(displayName) {
		await this.parameters.locator('[data-test-id="collection-parameter-add"]').click();
		const list = this.page.locator('.el-select-dropdown:visible').last();
		await list
			.locator('[data-test-id="collection-parameter-option"]', { hasText: displayName })
			.click();
		await list.waitFor({ state: 'hidden' });
	}

	/** Types into a text or number parameter in Fixed mode (replacing what it holds). */
	async fillParameter(name, value) {
		const input = this.parameters
			.locator(`[data-test-id="parameter-input-${name}"]`)
			.locator('input, textarea')
			.first();
		await input.fill(String(value));
		await input.press('Tab');
	}

	/**
	 * Switches a parameter to Expression and types `expression` the way a person does: n8n closes
	 * `{{` itself, so only what goes between the braces is typed after it. Returns the editor's text.
	 */
	async typeExpression(name, expression) {
		const item = this.parameterItem(name);
		await item.locator('[data-test-id="input-label"]').hover();
		await item.locator('[data-test-id="radio-button-expression"]').click();
		const editor = item.locator('[data-test-id="inline-expression-editor-input"]');
		await editor.click();
		const inner = /^\{\{\s*(.*?)\s*\}\}$/.exec(expression);
		if (inner) {
			await this.page.keyboard.type('{{');
			await this.page.keyboard.type(inner[1]);
		} else {
			await this.page.keyboard.type(expression);
		}
		await item.locator('[data-test-id="input-label"]').click(); // leave the editor
		return (await editor.innerText()).trim();
	}

	/** Execute step in the node view; waits for the output's success or error. */
	async executeStep(timeout = 120_000) {
		await this.ndv.locator('[data-test-id="node-execute-button"]').first().click();
		return this.outputState(timeout);
	}

	get output() {
		return this.page.locator('[data-test-id="output-panel"]');
	}

	async outputState(timeout = 120_000) {
		const success = this.output.locator('[data-test-id="node-run-status-success"]');
		const error = this.output.locator('[data-test-id="node-error-message"]');
		await success.or(error).first().waitFor({ timeout });
		return (await success.count()) > 0 ? 'success' : 'error';
	}

	/** The output panel's items as the JSON view shows them (parsed from the page's text). */
	async outputJson() {
		await this.output.locator('[data-test-id="radio-button-json"]').click();
		const container = this.output.locator('[data-test-id="ndv-data-container"]');
		let parsed;
		await poll(
			() => container.innerText(),
			(text) => {
				try {
					parsed = JSON.parse(String(text).replace(/\n\s*/g, ''));
					return Array.isArray(parsed);
				} catch {
					return false; // still rendering
				}
			},
			'expected the output panel to show its items as JSON',
			15_000,
		);
		return parsed;
	}

	// --- credentials --------------------------------------------------------------------------

	/** The credential dialog (its header with name and Save is outside credential-edit-dialog). */
	get credentialDialog() {
		return this.page.locator('.el-dialog:has([data-test-id="credential-edit-dialog"])');
	}

	/** Node view → Credential to connect with → Create new credential. */
	async createCredentialFromNode() {
		await this.parameters.locator('[data-test-id="node-credentials-select"]').click();
		await this.page.locator('[data-test-id="node-credentials-select-item-new"]').click();
		await this.credentialDialog.waitFor();
	}

	/** Credentials → Create credential → type → Continue. */
	async createCredential(typeDisplayName) {
		const { page } = this;
		await page.goto(`${this.baseUrl}/home/credentials/create`);
		await page.locator('[data-test-id="new-credential-type-select"]').click();
		await page.keyboard.type(typeDisplayName);
		await page
			.locator('[data-test-id="new-credential-type-select-option"]', { hasText: typeDisplayName })
			.click();
		await page.locator('[data-test-id="new-credential-type-button"]').click();
		await this.credentialDialog.waitFor();
	}

	credentialField(name) {
		return this.credentialDialog.locator(`[data-test-id="parameter-input-${name}"] input`).first();
	}

	async fillCredential(fields) {
		for (const [name, value] of Object.entries(fields))
			await this.credentialField(name).fill(value);
	}

	/** Connect my account: returns the popup n8n opens (the TikTok authorize page). */
	async connectMyAccount() {
		const popup = this.page.context().waitForEvent('page');
		await this.credentialDialog.locator('[data-test-id="oauth-connect-button"]').click();
		const opened = await popup;
		await opened.waitForLoadState();
		return opened;
	}

	async saveCredential() {
		await this.credentialDialog.locator('[data-test-id="credential-save-button"]').click();
	}

	async closeCredentialDialog() {
		await this.credentialDialog.locator('.el-dialog__headerbtn').click();
		await this.credentialDialog.waitFor({ state: 'hidden' });
	}

	// --- publishing and executions ------------------------------------------------------------

	/** Publish (n8n 2.x's activation): the publish dialog, then its confirmation. */
	async publishWorkflow() {
		const { page } = this;
		await page.locator('[data-test-id="workflow-open-publish-modal-button"]').click();
		await page.locator('[data-test-id="workflow-publish-button"]').click();
		const done = page.locator('[data-test-id="activation-modal"]');
		await done.waitFor();
		await done.getByRole('button', { name: 'Got it' }).click();
		await page.locator('[data-test-id="workflow-active-version-indicator"]').waitFor();
	}

	/** The workflow's Executions tab: its list entries' texts, newest first. */
	async executionsList() {
		const { page } = this;
		await page.locator('[data-test-id="radio-button-executions"]').click();
		const list = page.locator('[data-test-id="current-executions-list"]');
		await list.waitFor();
		return list.locator('[data-test-id^="execution-details-"]');
	}

	// --- looks --------------------------------------------------------------------------------

	/**
	 * How an icon <img> looks against what is behind it: its file, whether it loaded, and the share
	 * of its opaque pixels that stand out from the background (WCAG contrast ratio of at least 2).
	 * A dark icon on a dark canvas loads fine but has a small share.
	 */
	static iconVisibility(img) {
		return img.evaluate(async (element) => {
			await element.decode().catch(() => {});
			let background;
			for (let node = element; node && !background; node = node.parentElement) {
				const color = getComputedStyle(node).backgroundColor;
				const alpha = /rgba\([^)]*,\s*([\d.]+)\)/.exec(color)?.[1];
				if (color && color !== 'transparent' && (alpha === undefined || Number(alpha) > 0.9))
					background = color;
			}
			background ??= getComputedStyle(document.body).backgroundColor || 'rgb(255, 255, 255)';
			const [br, bg, bb] = background.match(/\d+(\.\d+)?/g).map(Number);
			const luminance = (r, g, b) => {
				const channel = (v) => {
					const c = v / 255;
					return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
				};
				return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
			};
			const backgroundLuminance = luminance(br, bg, bb);
			const size = 64;
			const canvas = document.createElement('canvas');
			canvas.width = size;
			canvas.height = size;
			const context = canvas.getContext('2d');
			let opaque = 0;
			let standingOut = 0;
			if (element.naturalWidth > 0) {
				context.drawImage(element, 0, 0, size, size);
				const { data } = context.getImageData(0, 0, size, size);
				for (let i = 0; i < data.length; i += 4) {
					if (data[i + 3] < 200) continue;
					opaque++;
					const l = luminance(data[i], data[i + 1], data[i + 2]);
					const ratio =
						(Math.max(l, backgroundLuminance) + 0.05) / (Math.min(l, backgroundLuminance) + 0.05);
					if (ratio >= 2) standingOut++;
				}
			}
			const box = element.getBoundingClientRect();
			return {
				file: new URL(element.currentSrc || element.src).pathname.split('/').pop(),
				loaded: element.complete && element.naturalWidth > 0,
				shown: box.width > 0 && box.height > 0,
				background,
				opaquePixels: opaque,
				share: opaque ? Math.round((standingOut / opaque) * 100) / 100 : 0,
			};
		});
	}

	/** Lets fonts, icons and transitions finish, and closes anything n8n popped up. */
	async settle() {
		const { page } = this;
		await page.evaluate(() => document.fonts.ready);
		await page.waitForLoadState('networkidle').catch(() => {});
		for (const selector of POPUP_CLOSERS) {
			for (const closer of await page.locator(selector).all()) {
				if (await closer.isVisible()) await closer.click().catch(() => {});
			}
		}
		const viewport = page.viewportSize();
		await page.mouse.move(0, (viewport?.height ?? 900) - 1); // no hover states or tooltips
		await page.waitForTimeout(800);
	}

	/**
	 * Replaces every occurrence of the given values in the page's text and form fields with
	 * [redacted], so a screenshot kept after a failure shows no token, secret or code.
	 */
	async redact(values) {
		const secrets = values.filter((value) => typeof value === 'string' && value.length >= 6);
		if (secrets.length === 0) return;
		for (const frame of this.page.frames()) {
			await frame
				.evaluate((list) => {
					const scrub = (text) =>
						list.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
					const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
					for (let node = walker.nextNode(); node; node = walker.nextNode())
						if (list.some((secret) => node.nodeValue.includes(secret)))
							node.nodeValue = scrub(node.nodeValue);
					for (const field of document.querySelectorAll('input, textarea'))
						if (list.some((secret) => field.value.includes(secret)))
							field.value = scrub(field.value);
				}, secrets)
				.catch(() => {});
		}
	}
}

// --- assertions on what the page shows -----------------------------------------------------
// playwright-core has no expect(); these wait like Playwright's web-first assertions and fail with
// what was expected and what the page showed.

async function poll(read, ok, describe, timeout) {
	const deadline = Date.now() + timeout;
	let actual;
	for (;;) {
		actual = await read().catch((error) => `(${error.message.split('\n')[0]})`);
		if (ok(actual)) return actual;
		if (Date.now() > deadline)
			throw new Error(`${describe}; the page shows: ${JSON.stringify(actual)}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** The element is visible. */
export async function expectVisible(locator, { timeout = 15_000 } = {}) {
	await locator
		.first()
		.waitFor({ state: 'visible', timeout })
		.catch((error) => {
			throw new Error(`expected ${locator} to be visible (${error.message.split('\n')[0]})`);
		});
}

/** No element of the locator is visible (none there, or all hidden). */
export function expectHidden(locator, { timeout = 15_000 } = {}) {
	return poll(
		async () => {
			for (const element of await locator.all()) if (await element.isVisible()) return 'visible';
			return 'hidden';
		},
		(state) => state === 'hidden',
		`expected ${locator} not to be visible`,
		timeout,
	);
}

/** The element's text contains `expected` (string) or matches it (RegExp); `exact`: equals it. */
export function expectText(locator, expected, { exact = false, timeout = 15_000 } = {}) {
	const ok = (text) =>
		typeof text === 'string' &&
		(expected instanceof RegExp
			? expected.test(text)
			: exact
				? text.trim() === expected
				: text.includes(expected));
	return poll(
		() => locator.first().innerText(),
		ok,
		`expected ${locator} to ${exact ? 'read' : 'show'} ${expected}`,
		timeout,
	);
}

/** As many elements as `count`. */
export function expectCount(locator, count, { timeout = 15_000 } = {}) {
	return poll(
		() => locator.count(),
		(n) => n === count,
		`expected ${count} of ${locator}`,
		timeout,
	);
}

/** An input's value. */
export function expectValue(locator, value, { timeout = 15_000 } = {}) {
	return poll(
		() => locator.first().inputValue(),
		(actual) => actual === value,
		`expected ${locator} to hold ${JSON.stringify(value)}`,
		timeout,
	);
}

// --- boxes for screenshots ------------------------------------------------------------------

/**
 * The dialog's box, cut below its last field: n8n caps a dialog's height and scrolls inside it, so
 * the caps are lifted first (the viewport must be tall enough for every field).
 */
export function dialogBox(dialog) {
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
 * The node view's middle column (tabs, Execute step, parameters), cut below the last parameter: the
 * column runs to the bottom of the window whatever its content.
 */
export function parametersPanelBox(page) {
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
export function canvasBox(page) {
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

function escapeRegExp(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
