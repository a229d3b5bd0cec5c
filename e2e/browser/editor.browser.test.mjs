// The editor path in a real browser (issue 21): a real n8n (e2e/n8n-version) with the built
// package, the local TikTok sandbox showing its consent page, and headless Chromium driven through
// the UI only (the owner account is set up through n8n's REST API, which the UI would only repeat).
// Each step asserts what the page shows. On a failure the step's screenshot(s), n8n's log and the
// browser console are kept in .e2e-tmp/browser/<time>/ (secrets replaced by [redacted]).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startSandbox } from '../../sandbox/server.mjs';
import { operationsOf, packageTypes, visibleProperties } from '../lib/description.mjs';
import {
	Editor,
	expectCount,
	expectHidden,
	expectText,
	expectValue,
	expectVisible,
	ensureChromium,
	fromPackage,
	keepBrowserLocal,
	launchChromium,
	newEditorContext,
	watchPage,
} from '../lib/editor.mjs';
import { ensureN8nEngine, PACKAGE_DIR } from '../lib/engine.mjs';
import { startN8n } from '../lib/n8nInstance.mjs';
import { groupRegistry, startReaper } from '../lib/reaper.mjs';
import { findSecrets } from '../lib/secrets.mjs';
import { writeSampleVideo } from '../lib/videos.mjs';

const APP_NAME = 'n8n browser suite';
// Above TikTok's 64 MB single-chunk limit, so the Chunk Size set in the panel decides the plan:
// 3 chunks of 20 MB, the last one carrying the remainder.
const VIDEO_SIZE = 70_000_123;
const CHUNK_MB = 20;
const UNATTENDED_REDIRECT_URI = 'https://example.com/tiktok/callback';
const MANUAL_TRIGGER = 'When clicking ‘Execute workflow’';
const READ_NODE = 'Read/Write Files from Disk';
const ICON_SHARE = 0.5; // at least half of an icon's pixels stand out from what is behind it

const engine = ensureN8nEngine();
const types = packageTypes();
const tikTok = types.nodes.tikTok.description;
const trigger = types.nodes.tikTokTrigger.description;
const oauth2 = types.credentials.tikTokOAuth2Api;
// n8n names a node added from the panel after its action text.
const actionOf = (value) =>
	operationsOf(tikTok).find((operation) => operation.value === value).action;
const UPLOAD_NODE = actionOf('uploadDraft');
const STATUS_NODE = actionOf('checkStatus');

let sandbox;
let n8n;
let files;
let video;
let chrome;
let browserRoot;
let context;
let page;
let watcher;
let editor;
let blocked = [];
const codes = []; // authorization codes seen in the browser, redacted from what is kept
const failures = { dir: undefined, steps: [] };
const done = new Set();
const found = {}; // what one step finds and a later one uses

beforeAll(async () => {
	const executablePath = ensureChromium();
	// Chromium in a process group of its own and the sample video, in a folder the reaper removes
	// (with Chromium) if this process dies first.
	browserRoot = mkdtempSync(join(tmpdir(), 'tiktok-browser-'));
	const groups = groupRegistry(browserRoot);
	startReaper(browserRoot);
	files = join(browserRoot, 'files');
	mkdirSync(files);
	video = writeSampleVideo(files, 'clip.mp4', VIDEO_SIZE);
	sandbox = await startSandbox({ consentPage: true, appName: APP_NAME });
	n8n = await startN8n({ engine, sandbox, filesDir: files });
	chrome = await launchChromium({ executablePath, onProcess: (pid) => groups.add(pid) });
	context = await newEditorContext(chrome.browser);
	// Nothing leaves the machine. The unattended credential's redirect URI gets a page that only
	// shows its address (nothing listens there), as a user's own callback page would.
	blocked = await keepBrowserLocal(context, {
		[UNATTENDED_REDIRECT_URI]: '<p>Copy the code from the address bar.</p>',
	});
	page = await context.newPage();
	page.setDefaultTimeout(30_000);
	watcher = watchPage(page);
	// Popups (the consent page, n8n's OAuth callback) and tabs report into the same list.
	context.on('page', (opened) => watchPage(opened, { name: 'popup', events: watcher.events }));
	editor = new Editor(page, n8n.baseUrl);
});

afterAll(async () => {
	if (failures.dir && n8n) {
		writeFileSync(join(failures.dir, 'n8n.log'), redact(n8n.readLog()));
		writeFileSync(join(failures.dir, 'blocked-requests.txt'), blocked.join('\n'));
		writeFileSync(
			join(failures.dir, 'browser-console.json'),
			redact(JSON.stringify(watcher?.events ?? [], null, 1)),
		);
		console.error(
			`Browser suite: ${failures.steps.length} step(s) failed; screenshots, n8n.log and the browser console are in ${relative(PACKAGE_DIR, failures.dir)}/`,
		);
	}
	await chrome?.close();
	await n8n?.stop();
	await sandbox?.close();
	if (browserRoot) rmSync(browserRoot, { recursive: true, force: true });
});

/**
 * A step of the suite. `needs`: steps whose outcome this one builds on; when one of them failed,
 * this one fails at once saying so. A failing step keeps screenshots of every open page.
 */
function step(name, fn, { needs = [] } = {}) {
	test(name, async () => {
		const missing = needs.filter((other) => !done.has(other));
		if (missing.length) throw new Error(`not run: needs "${missing.join('", "')}", which failed`);
		try {
			await fn();
			done.add(name);
		} catch (error) {
			await keepFailure(name, error);
			throw error;
		}
	});
}

async function keepFailure(name, error) {
	failures.dir ??= join(
		PACKAGE_DIR,
		'.e2e-tmp',
		'browser',
		new Date().toISOString().replace(/[:.]/g, '-'),
	);
	mkdirSync(failures.dir, { recursive: true });
	const base = `${String(failures.steps.length + 1).padStart(2, '0')}-${name.replace(/\W+/g, '-').slice(0, 60)}`;
	failures.steps.push(name);
	writeFileSync(join(failures.dir, `${base}.txt`), redact(`${name}\n\n${error.stack ?? error}`));
	for (const [index, open] of (context?.pages() ?? []).entries()) {
		await new Editor(open, n8n.baseUrl).redact(secretValues());
		await open
			.screenshot({ path: join(failures.dir, `${base}${index ? `-popup${index}` : ''}.png`) })
			.catch(() => {});
	}
}

const secretValues = () => [...sandbox.secretValues(), ...codes, sandbox.uploadBaseUrl];
const redact = (text) =>
	secretValues().reduce((out, secret) => out.split(secret).join('[redacted]'), text);

/** Trigger events as n8n's node panel names them: "On " + the option's name, lower case. */
const normal = (text) =>
	text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();

// n8n's editor asks every node with a resource and operation for an output schema
// (/schemas/<node type>/<version>/<resource>/<operation>.json, served from a package's __schema__
// folder) and logs the 404 when a package ships none, as this one does: not a failure.
const missingSchema = (event) =>
	/\/schemas\/n8n-nodes-tiktok-posting\.[^/]+\/[\d.]+\/[^/]+\/[^/]+\.json$/.test(event.url);

step('sign in through the form', async () => {
	await editor.signIn();
	await expectVisible(page.locator('[data-test-id="main-sidebar-settings"]'));
});

step(
	'1. node panel: "TikTok" lists the TikTok node with its triggers (TikTok Trigger) and icons',
	async () => {
		found.since = Date.now();
		await editor.newWorkflow();
		await editor.searchNodes('TikTok');
		const item = editor.creatorItem('TikTok');
		await expectVisible(item);
		expect(await Editor.iconVisibility(item.locator('img').first())).toMatchObject({
			file: 'tiktok.svg',
			loaded: true,
		});
		// A new workflow asks for a trigger first: the entry opens on TikTok Trigger's events.
		await item.click();
		const events = trigger.properties.find((p) => p.name === 'events').options;
		const triggers = await editor.creatorSection(`Triggers (${events.length})`);
		expect(triggers.map(normal)).toEqual(events.map((event) => normal(`On ${event.name}`)));
		for (const name of triggers) {
			const icon = editor.creatorItem(name).locator('img').first();
			expect(await Editor.iconVisibility(icon)).toMatchObject({
				file: 'tiktok.svg',
				loaded: true,
				shown: true,
			});
		}
		await editor.closeNodeCreator();
	},
);

step(
	'1b. Manual Trigger and Read/Write Files from Disk (the sample video) added from the node panel',
	async () => {
		await editor.addNode('manual', 'Manual Trigger');
		await expectVisible(editor.canvasNode(MANUAL_TRIGGER));
		await editor.addNode('Read/Write Files', READ_NODE, 'Read File(s) From Disk');
		await editor.parameters.waitFor();
		await editor.fillParameter('fileSelector', video.path);
		await editor.closeNdv();
		await expectVisible(editor.canvasNode(READ_NODE));
	},
);

step(
	'1c. node panel: every TikTok action is listed with its icon',
	async () => {
		await editor.searchNodes('TikTok');
		await editor.creatorItem('TikTok').click();
		const operations = operationsOf(tikTok);
		const actions = await editor.creatorSection(`Actions (${operations.length})`);
		expect(actions).toEqual(operations.map((operation) => operation.action));
		for (const action of operations) {
			const icon = editor.creatorItem(action.action).locator('img').first();
			expect(await Editor.iconVisibility(icon)).toMatchObject({
				file: 'tiktok.svg',
				loaded: true,
				shown: true,
			});
		}
		// The TikTok Trigger is offered here too, under its own header.
		await expectVisible(
			editor.nodeCreator.locator('[data-test-id="node-creator-category-item"]', {
				hasText: 'Triggers (',
			}),
		);
	},
	{
		needs: [
			'1b. Manual Trigger and Read/Write Files from Disk (the sample video) added from the node panel',
		],
	},
);

step(
	'2. Video → Upload Draft: the panel shows the inbox notice, the options and every operation with its description, no console errors from the package',
	async () => {
		await editor.creatorItem(UPLOAD_NODE).click();
		await editor.parameters.waitFor();
		await expectText(editor.ndv.locator('[data-test-id="node-title-container"]'), UPLOAD_NODE);
		const shown = visibleProperties(tikTok, {
			resource: 'video',
			operation: 'uploadDraft',
			videoSource: 'binary',
		});
		const notice = shown.find((p) => p.type === 'notice');
		await expectVisible(editor.parameters.getByText(notice.displayName, { exact: true }));
		const options = shown.find((p) => p.name === 'options').options.map((o) => o.displayName);
		expect(await editor.collectionOptions()).toEqual(options);
		// Every operation of every resource with its description, as the Operation list shows them.
		for (const resource of tikTok.properties.find((p) => p.name === 'resource').options) {
			if (resource.value !== 'video') await selectOption('resource', resource.name);
			const expected = operationsOf(tikTok)
				.filter((o) => o.resourceValue === resource.value)
				.map(({ name, description }) => ({ name, description }));
			const listed = (await editor.parameterOptions('operation')).filter(
				(o) => o.name !== 'Custom API Call',
			);
			expect({ resource: resource.name, operations: listed }).toEqual({
				resource: resource.name,
				operations: expected,
			});
		}
		await selectOption('resource', 'Video');
		await expectValue(
			editor.parameters.locator('[data-test-id="parameter-input-operation"] input'),
			'Upload Draft',
		);
		await expectVisible(editor.parameters.getByText(notice.displayName, { exact: true }));
		const fromUs = watcher
			.errors(found.since)
			.filter(fromPackage)
			.filter((event) => !missingSchema(event));
		expect(fromUs).toEqual([]);
	},
	{ needs: ['1c. node panel: every TikTok action is listed with its icon'] },
);

async function selectOption(name, optionName) {
	await editor.parameters.locator(`[data-test-id="parameter-input-${name}"]`).click();
	const list = page.locator('.el-select-dropdown:visible').last();
	await list
		.locator('[data-test-id="parameter-input-item"]', { hasText: optionName })
		.first()
		.click();
	await list.waitFor({ state: 'hidden' });
}

const CREDENTIAL_STEP =
	'3. credential from the node: Connect my account → consent page → Cancel leaves an error and no token; Authorize → popup closes, dialog says connected';
const SCOPES_STEP =
	"3a. credential from the node: Connect using → OAuth2 shows the credential's default Scopes";
// The credential's visible Scopes field, whatever its parameter name.
const scopesField = oauth2.properties.find(
	(p) => p.displayName === 'Scopes' && p.type === 'string',
);
const defaultScopes = scopesField.default;

step(
	SCOPES_STEP,
	async () => {
		await editor.createCredentialFromNode();
		await editor.credentialDialog.getByText('OAuth2 (Connect Button)').click();
		await expectText(editor.credentialDialog, 'TikTok OAuth2 API');
		// n8n's credential dialog keeps its own `scopes` (the user's permissions) in the same object
		// as the credential's fields when "Connect using" switches type: a field named `scopes` showed
		// "aiAssistant:manage,annotationTag:create,…" instead of its default (hence `tikTokScopes`).
		await editor.credentialField(scopesField.name).scrollIntoViewIfNeeded(); // in a failure's screenshot
		const scopes = await editor.credentialField(scopesField.name).inputValue();
		expect({ scopes: scopes.length > 60 ? `${scopes.slice(0, 60)}…` : scopes }).toEqual({
			scopes: defaultScopes,
		});
	},
	{
		needs: [
			'2. Video → Upload Draft: the panel shows the inbox notice, the options and every operation with its description, no console errors from the package',
		],
	},
);

step(
	CREDENTIAL_STEP,
	async () => {
		if (!(await editor.credentialDialog.isVisible())) {
			await editor.createCredentialFromNode();
			await editor.credentialDialog.getByText('OAuth2 (Connect Button)').click();
		}
		await editor.fillCredential({
			clientId: sandbox.clientKey,
			clientSecret: sandbox.clientSecret,
		});

		// Cancel on TikTok's consent page.
		const tokenRequests = sandbox.state.tokenRequests.length;
		let popup = await editor.connectMyAccount();
		await expectConsentPage(popup);
		await popup.getByRole('button', { name: 'Cancel' }).click();
		await popup.waitForURL(/\/rest\/oauth2-credential\/callback/);
		await expectText(popup.locator('body'), 'Failed to connect');
		await popup.getByText('More details').click();
		await expectText(popup.locator('body'), 'access_denied');
		expect(sandbox.state.authorizeRequests.at(-1).consent).toBe('cancelled');
		expect(sandbox.state.tokenRequests).toHaveLength(tokenRequests);
		await popup.close();
		await expectHidden(
			editor.credentialDialog.locator('[data-test-id="oauth-connect-success-banner"]'),
		);
		await expectVisible(editor.credentialDialog.locator('[data-test-id="oauth-connect-button"]'));

		// Authorize.
		popup = await editor.connectMyAccount();
		await expectConsentPage(popup);
		const closed = popup.waitForEvent('close', { timeout: 20_000 });
		await popup.getByRole('button', { name: 'Authorize' }).click();
		await popup.waitForURL(/\/rest\/oauth2-credential\/callback/);
		codes.push(...[new URL(popup.url()).searchParams.get('code')].filter(Boolean));
		await expectText(popup.locator('body'), 'Connection successful');
		await closed;
		await expectText(
			editor.credentialDialog.locator('[data-test-id="oauth-connect-success-banner"]'),
			'Account connected',
		);
		expect(sandbox.state.authorizeRequests.at(-1).consent).toBe('authorized');
		expect(sandbox.state.tokenRequests.at(-1)).toMatchObject({
			grant_type: 'authorization_code',
			clientKey: sandbox.clientKey,
			ok: true,
		});
		found.credentialName = await editor.credentialDialog
			.locator('[data-test-id="credential-name"]')
			.innerText();
		await editor.closeCredentialDialog();
		await expectValue(
			editor.parameters.locator('[data-test-id="node-credentials-select"] input'),
			found.credentialName.trim(),
		);
	},
	{
		needs: [
			'2. Video → Upload Draft: the panel shows the inbox notice, the options and every operation with its description, no console errors from the package',
		],
	},
);

async function expectConsentPage(popup) {
	await expectText(
		popup.locator('#app-name'),
		`${APP_NAME} would like to access your TikTok account`,
		{ exact: true },
	);
	const scopes = await popup
		.locator('#scopes li')
		.evaluateAll((items) => items.map((li) => li.dataset.scope));
	expect(scopes).toEqual(defaultScopes.split(','));
	await expectVisible(popup.getByRole('button', { name: 'Authorize' }));
	await expectVisible(popup.getByRole('button', { name: 'Cancel' }));
}

const UPLOAD_STEP =
	'4. Execute workflow: Read/Write Files from Disk → Upload Draft; the output shows publish_id and the chunk plan; the sandbox has the same bytes';
step(
	UPLOAD_STEP,
	async () => {
		await editor.addCollectionOption('Chunk Size (MB)');
		await editor.fillParameter('chunkSize', CHUNK_MB);
		await editor.closeNdv();
		expect(await editor.executeWorkflow(UPLOAD_NODE)).toBe('success');
		found.workflowUrl = page.url();
		await editor.openNode(UPLOAD_NODE);
		const [item] = await editor.outputJson();
		const chunk = CHUNK_MB * 1_000_000;
		expect(item).toMatchObject({
			publish_id: expect.stringMatching(/^v_inbox_file~v2\.\d+$/),
			video_size: VIDEO_SIZE,
			chunk_size: chunk,
			total_chunk_count: 3,
			file_name: 'clip.mp4',
		});
		const received = sandbox.state.uploads[item.publish_id];
		expect(received).toMatchObject({
			complete: true,
			bytesReceived: VIDEO_SIZE,
			sha256: video.sha256,
		});
		expect(received.ranges).toEqual([
			`0-${chunk - 1}`,
			`${chunk}-${2 * chunk - 1}`,
			`${2 * chunk}-${VIDEO_SIZE - 1}`,
		]);
		found.publishId = item.publish_id;
		await editor.closeNdv();
	},
	{ needs: [CREDENTIAL_STEP] },
);

step(
	'5. Check Status with {{ $json.publish_id }} typed in, executed alone: the output shows the status',
	async () => {
		const inits = sandbox.state.apiCalls.length;
		const uploads = Object.keys(sandbox.state.uploads).length;
		await editor.canvasNode(UPLOAD_NODE).click();
		await editor.addNode('TikTok', 'TikTok', STATUS_NODE);
		await editor.parameters.waitFor();
		await expectText(editor.ndv.locator('[data-test-id="node-title-container"]'), STATUS_NODE);
		expect(await editor.typeExpression('publishId', '{{ $json.publish_id }}')).toBe(
			'{{ $json.publish_id }}',
		);
		await expectText(
			editor.parameterItem('publishId').locator('[data-test-id="parameter-input-hint"]'),
			found.publishId,
			{ exact: true },
		);
		expect(await editor.executeStep()).toBe('success');
		const [status] = await editor.outputJson();
		expect(status).toMatchObject({ publish_id: found.publishId, status: 'SEND_TO_USER_INBOX' });
		// Alone: Upload Draft's stored output fed it; nothing was uploaded again.
		expect(Object.keys(sandbox.state.uploads)).toHaveLength(uploads);
		expect(sandbox.state.apiCalls.slice(inits).map((call) => call.endpoint)).toEqual([
			'statusFetch',
		]);
		await editor.closeNdv();
	},
	{ needs: [UPLOAD_STEP] },
);

step(
	'6. TikTok Trigger: the panel shows the Production URL; after Publish a signed event to it appears in the executions list',
	async () => {
		await editor.newWorkflow();
		await editor.searchNodes('TikTok');
		await editor.creatorItem('TikTok').click();
		await editor.creatorItem('On all events').click();
		await editor.parameters.waitFor();
		await expectText(editor.ndv.locator('[data-test-id="node-title-container"]'), 'TikTok Trigger');
		await editor.ndv.getByText('Webhook URLs', { exact: true }).click();
		await editor.ndv.getByText('Production URL', { exact: true }).click();
		const urlPattern = new RegExp(`${n8n.baseUrl}/webhook/[0-9a-f-]{36}/webhook`);
		const shownUrl = (await editor.parameters.innerText()).match(urlPattern)?.[0];
		expect(shownUrl).toMatch(urlPattern);
		const notice = trigger.properties.find((p) => p.type === 'notice').displayName;
		await expectVisible(editor.parameters.getByText(notice, { exact: true }));
		// The credential connected in step 3 is picked for the new node.
		await expectValue(
			editor.parameters.locator('[data-test-id="node-credentials-select"] input'),
			found.credentialName.trim(),
		);
		await editor.closeNdv();
		await editor.publishWorkflow();
		const [delivery] = await sandbox.sendWebhookEvent({
			url: shownUrl,
			event: 'post.publish.inbox_delivered',
			content: { publish_id: found.publishId, publish_type: 'INBOX_SHARE' },
		});
		expect(delivery.status).toBe(200);
		const entries = await editor.executionsList();
		await expectCount(entries, 1, { timeout: 30_000 });
		await expectText(entries.first(), 'Succeeded');
	},
	{ needs: [CREDENTIAL_STEP] },
);

step(
	'7. the unattended credential: code from the consent page, Save shows no error and spends no code',
	async () => {
		const authorize = new URL(sandbox.authUrl);
		authorize.search = new URLSearchParams({
			client_key: sandbox.clientKey,
			response_type: 'code',
			scope: 'user.info.basic,video.upload',
			redirect_uri: UNATTENDED_REDIRECT_URI,
			state: 'n8n',
		}).toString();
		const tab = await context.newPage();
		await tab.goto(authorize.href);
		await tab.getByRole('button', { name: 'Authorize' }).click();
		await tab.waitForURL(`${UNATTENDED_REDIRECT_URI}**`);
		const code = /[?&]code=([^&]+)/.exec(tab.url())?.[1];
		expect(code).toBeTruthy();
		codes.push(code, decodeURIComponent(code));
		await tab.close();
		const tokenRequests = sandbox.state.tokenRequests.length;
		await editor.createCredential('TikTok Unattended (Auto-Refresh) API');
		await editor.fillCredential({
			clientKey: sandbox.clientKey,
			clientSecret: sandbox.clientSecret,
			authorizationCode: code,
			redirectUri: UNATTENDED_REDIRECT_URI,
		});
		await editor.saveCredential();
		const dialog = editor.credentialDialog;
		await expectVisible(
			dialog.locator('[data-test-id="credentials-config-container-test-success"]'),
		);
		await expectCount(
			dialog.locator('[data-test-id="credentials-config-container-test-error"]'),
			0,
		);
		await expectCount(page.locator('.el-notification--error, .el-notification .el-icon-error'), 0);
		expect(sandbox.state.tokenRequests).toHaveLength(tokenRequests); // the code is spent by the first run only
		await editor.closeCredentialDialog();
	},
);

step(
	'8. light and dark theme: the TikTok icon is visible on both (icon.light / icon.dark)',
	async () => {
		const looks = {};
		for (const scheme of ['light', 'dark']) {
			await page.emulateMedia({ colorScheme: scheme });
			await editor.newWorkflow();
			await editor.searchNodes('TikTok');
			const panel = await Editor.iconVisibility(
				editor.creatorItem('TikTok').locator('img').first(),
			);
			await editor.closeNodeCreator();
			let canvas;
			if (found.workflowUrl) {
				await page.goto(found.workflowUrl);
				canvas = await Editor.iconVisibility(editor.canvasNode(UPLOAD_NODE).locator('img').first());
			}
			looks[scheme] = { panel, canvas };
		}
		await page.emulateMedia({ colorScheme: 'light' });
		console.log(
			`TikTok icon, share of pixels standing out from the background: ${JSON.stringify(looks)}`,
		);
		for (const [scheme, file] of [
			['light', 'tiktok.svg'],
			['dark', 'tiktok.dark.svg'],
		]) {
			for (const [where, look] of Object.entries(looks[scheme])) {
				if (!look) continue;
				expect({
					scheme,
					where,
					file: look.file,
					loaded: look.loaded,
					visible: look.share >= ICON_SHARE,
					share: look.share,
				}).toEqual({ scheme, where, file, loaded: true, visible: true, share: look.share });
			}
		}
	},
);

step('no errors from the package in the browser console, no secret on any page', async () => {
	expect(
		watcher
			.errors()
			.filter(fromPackage)
			.filter((event) => !missingSchema(event)),
	).toEqual([]);
	const text = await page.locator('body').innerText();
	expect(findSecrets(text, sandbox)).toEqual([]);
});
