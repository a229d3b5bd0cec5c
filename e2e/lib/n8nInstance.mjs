// One isolated n8n: its own user folder, temp dir, ports and encryption key, loopback only, no
// telemetry, the built package installed the way a self-hosted user installs a community package
// (copied into <user folder>/.n8n/nodes/node_modules/<name>), and the sandbox's hosts given to the
// credential's hidden fields through CREDENTIALS_OVERWRITE_DATA, as an admin would for a whole n8n.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { n8nCommand, PACKAGE_DIR } from './engine.mjs';
import { logTails, startN8nProcess, waitUntilReady } from './n8nProcess.mjs';
import { freePort } from './ports.mjs';
import { groupRegistry, startReaper } from './reaper.mjs';
import { N8nRest } from './rest.mjs';

export const PACKAGE_NAME = 'n8n-nodes-tiktok-posting';
export const NODE_TYPE = `${PACKAGE_NAME}.tikTok`;
export const CREDENTIAL_TYPE = 'tikTokOAuth2Api';
export const UNATTENDED_CREDENTIAL_TYPE = 'tikTokUnattendedApi';

/** Copies what npm would install (package.json and dist/) into an n8n user folder. */
export function installPackage(userFolder) {
	const target = join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	mkdirSync(target, { recursive: true });
	cpSync(join(PACKAGE_DIR, 'package.json'), join(target, 'package.json'));
	cpSync(join(PACKAGE_DIR, 'dist'), join(target, 'dist'), { recursive: true });
	return target;
}

/** The sandbox's endpoints for the credential's hidden fields. */
export function sandboxOverwrites(sandbox) {
	return {
		[CREDENTIAL_TYPE]: {
			authUrl: sandbox.authUrl,
			accessTokenUrl: sandbox.accessTokenUrl,
			apiBaseUrl: sandbox.apiBaseUrl,
		},
		[UNATTENDED_CREDENTIAL_TYPE]: {
			accessTokenUrl: sandbox.accessTokenUrl,
			apiBaseUrl: sandbox.apiBaseUrl,
		},
	};
}

/** Environment shared by `n8n start` and the `n8n` CLI commands run against the same folder. */
export function n8nEnvironment({
	root,
	port,
	brokerPort,
	binaryMode,
	filesDir,
	overwrites,
	extra,
}) {
	const env = {
		PATH: process.env.PATH,
		HOME: join(root, 'home'),
		TMPDIR: join(root, 'tmp'),
		NO_PROXY: '127.0.0.1,localhost',
		N8N_USER_FOLDER: join(root, 'user'),
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_PUBLIC_API_DISABLED: 'true',
		N8N_LOG_LEVEL: 'info',
		N8N_DEFAULT_BINARY_DATA_MODE: binaryMode,
		N8N_RESTRICT_FILE_ACCESS_TO: filesDir,
		...(overwrites ? { CREDENTIALS_OVERWRITE_DATA: JSON.stringify(overwrites) } : {}),
		...extra,
	};
	for (const dir of [env.HOME, env.TMPDIR, env.N8N_USER_FOLDER])
		mkdirSync(dir, { recursive: true });
	return env;
}

/**
 * Starts `n8n start` and waits until it is ready. binaryMode: 'filesystem' or 'default'
 * (in memory). filesDir: the only folder n8n's file nodes may read.
 */
export async function startN8n({
	engine,
	sandbox,
	binaryMode = 'filesystem',
	filesDir,
	env: extra = {},
	extraPackages = [], // folders of further packages to install (the benchmark's comparison node)
}) {
	const root = mkdtempSync(join(tmpdir(), 'tiktok-n8n-'));
	const groups = groupRegistry(root);
	startReaper(root); // n8n and its runners must not outlive a test process that dies first
	const port = await freePort();
	const env = n8nEnvironment({
		root,
		port,
		brokerPort: await freePort(),
		binaryMode,
		filesDir: filesDir ?? join(root, 'files'),
		overwrites: sandbox ? sandboxOverwrites(sandbox) : undefined,
		extra,
	});
	installPackage(env.N8N_USER_FOLDER);
	for (const folder of extraPackages) {
		const { name } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
		cpSync(folder, join(env.N8N_USER_FOLDER, '.n8n', 'nodes', 'node_modules', name), {
			recursive: true,
		});
	}
	const logPath = join(root, 'n8n.log');
	const child = startN8nProcess(engine, ['start'], env, { logPath, groups });
	const baseUrl = `http://127.0.0.1:${port}`;
	const instance = {
		root,
		env,
		baseUrl,
		pid: child.pid,
		userFolder: env.N8N_USER_FOLDER,
		tmpDir: env.TMPDIR,
		// Filesystem binary mode's folder: n8n 2.x `storage`, 1.x `binaryData`.
		binaryDataDir: join(
			env.N8N_USER_FOLDER,
			'.n8n',
			engine.version.startsWith('1.') ? 'binaryData' : 'storage',
		),
		/** Runs an n8n CLI command (import:*, export:*, execute) against this instance's folder. */
		cli: (args) => runN8nCli(engine, env, args),
		logPath,
		readLog: child.readLog,
		rest: new N8nRest(baseUrl),
		async stop({ keepFiles = false } = {}) {
			await child.stop();
			if (keepFiles) writeFileSync(join(root, '.keep'), '');
			else rmSync(root, { recursive: true, force: true });
		},
	};
	try {
		await waitUntilReady(baseUrl, child.exited);
		await instance.rest.setupOwner();
	} catch (error) {
		const logs = logTails([child]);
		await instance.stop({ keepFiles: true });
		throw new Error(`${error.message}\n${logs}`);
	}
	return instance;
}

/**
 * n8n's own CLI on the same user folder (import:*, export:*, execute). Asynchronous, so a sandbox
 * in this process keeps answering; a CLI process opens its own task broker, so a port of its own.
 */
export async function runN8nCli(engine, env, args, { onOutput } = {}) {
	const cli = n8nCommand(engine, args, {
		...env,
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		// `execute` prints its result through the logger at level info.
		N8N_LOG_LEVEL: args[0] === 'execute' ? 'info' : 'warn',
	});
	const child = spawn(cli.command, cli.args, {
		env: cli.env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (piece) => {
		stdout += piece;
		onOutput?.(String(piece));
	});
	child.stderr.on('data', (piece) => (stderr += piece));
	const [status, signal] = await new Promise((resolve) =>
		child.once('close', (...result) => resolve(result)),
	);
	return { status, signal, stdout, stderr };
}

/** The credential's stored data, decrypted by n8n itself (`n8n export:credentials --decrypted`). */
export async function exportCredentialData(instance, credentialId) {
	const output = join(instance.root, `credential-${credentialId}.json`);
	const result = await instance.cli([
		'export:credentials',
		`--id=${credentialId}`,
		'--decrypted',
		`--output=${output}`,
	]);
	if (result.status !== 0) throw new Error(`export:credentials failed: ${result.stderr}`);
	const [credential] = JSON.parse(readFileSync(output, 'utf8'));
	rmSync(output);
	return credential.data;
}
