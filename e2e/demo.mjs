// `npm run demo`: the example workflow (examples/upload-draft.json) in a real n8n, run with n8n's
// CLI. By default against the local TikTok sandbox; against a real TikTok app when
// TIKTOK_CLIENT_KEY, TIKTOK_CLIENT_SECRET, TIKTOK_REFRESH_TOKEN and TIKTOK_VIDEO are set.
// Options (`npm run demo -- --help`): --fail-reason makes the sandbox fail the upload's processing.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from '../sandbox/server.mjs';
import { PROCESSING_FAIL_REASONS } from '../sandbox/state.mjs';
import { ensureN8nEngine } from './lib/engine.mjs';
import { CREDENTIAL_TYPE, installPackage, n8nEnvironment, runN8nCli } from './lib/n8nInstance.mjs';
import { freePort } from './lib/ports.mjs';
import { authorizeWithSandbox, refreshAtTikTok } from './lib/tokens.mjs';
import { writeSampleVideo } from './lib/videos.mjs';
import { exampleWorkflow } from './lib/workflows.mjs';

const SCOPES = 'user.info.basic,video.upload';
const SAMPLE_SIZE = 80_000_123;
const TIKTOK_TOKEN_URL = 'https://open.tiktokapis.com/v2/oauth/token/';
const started = Date.now();
const real = ['TIKTOK_CLIENT_KEY', 'TIKTOK_CLIENT_SECRET', 'TIKTOK_REFRESH_TOKEN'].every(
	(name) => process.env[name],
);

const USAGE = `Usage: npm run demo [-- options]     (or: node e2e/demo.mjs [options])

Uploads a sample video as a draft through a real n8n: Read Video → Upload Draft → Wait 3 s →
Check Status → Get User Info, against the local TikTok sandbox, or against your TikTok app when
TIKTOK_CLIENT_KEY, TIKTOK_CLIENT_SECRET, TIKTOK_REFRESH_TOKEN and TIKTOK_VIDEO are set.

Options:
  --fail-reason <reason>  the sandbox accepts every chunk, then its processing fails with this
                          fail_reason, so Check Status shows FAILED with the node's hint
                          (sandbox only; DEMO_FAIL_REASON in the environment works too). One of:
${wrap(PROCESSING_FAIL_REASONS.join(', '), 26, 98)}
  -h, --help              show this text

Environment: DEMO_KEEP=1 keeps the temporary n8n user folder and prints its path.`;

const say = (line = '') => console.log(line);
const bytes = (n) => n.toLocaleString('en-US');
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** The command line (and DEMO_FAIL_REASON); exits with the usage for --help or a bad option. */
function demoOptions() {
	let values;
	try {
		({ values } = parseArgs({
			options: {
				'fail-reason': { type: 'string', default: process.env.DEMO_FAIL_REASON || undefined },
				help: { type: 'boolean', short: 'h', default: false },
			},
		}));
	} catch (error) {
		usageError(error.message);
	}
	if (values.help) {
		say(USAGE);
		process.exit(0);
	}
	const failReason = values['fail-reason'];
	if (failReason !== undefined && !PROCESSING_FAIL_REASONS.includes(failReason))
		usageError(`--fail-reason must be one of ${PROCESSING_FAIL_REASONS.join(', ')}`);
	if (failReason !== undefined && real)
		usageError('--fail-reason works with the local sandbox only: real TikTok decides for itself');
	return { failReason };
}

function usageError(message) {
	console.error(`${message}\n\n${USAGE}`);
	process.exit(2);
}

/** `text` broken into lines of at most `width` characters, each indented by `indent` spaces. */
function wrap(text, indent, width) {
	const lines = [''];
	for (const word of text.split(' ')) {
		if (lines.at(-1) && indent + lines.at(-1).length + word.length + 1 > width) lines.push('');
		lines[lines.length - 1] += `${lines.at(-1) ? ' ' : ''}${word}`;
	}
	return lines.map((line) => `${' '.repeat(indent)}${line}`).join('\n');
}

async function main({ failReason }) {
	say(`TikTok Upload Draft demo: ${real ? 'your TikTok app' : 'local TikTok sandbox (127.0.0.1)'}`);
	if (failReason)
		say(`The sandbox will accept the upload, then fail its processing with ${failReason}.`);
	const engine = ensureN8nEngine();
	say(`n8n ${engine.version} from ${engine.dir}`);

	const root = mkdtempSync(join(tmpdir(), 'tiktok-demo-'));
	const sandbox = real ? undefined : await startSandbox({ processingMs: 1000 });
	try {
		const files = join(root, 'files');
		mkdirSync(files);
		const video = real ? realVideo() : writeSampleVideo(files, 'demo-video.mp4', SAMPLE_SIZE);
		// Taken by the upload of this very video once TikTok's sandbox accepts its init.
		if (failReason) sandbox.addFault({ target: 'processing', failReason, videoSize: video.size });
		const credentialData = real ? await realCredential() : await sandboxCredential(sandbox);
		const env = n8nEnvironment({
			root,
			port: await freePort(),
			brokerPort: await freePort(),
			binaryMode: 'filesystem',
			filesDir: dirname(video.path),
		});
		installPackage(env.N8N_USER_FOLDER);

		// `n8n execute` does not apply CREDENTIALS_OVERWRITE_DATA, so the sandbox's endpoints are in
		// the credential itself (the hidden fields that default to TikTok's hosts).
		const credential = {
			id: 'TikTokDemoCred01',
			name: 'TikTok account',
			type: CREDENTIAL_TYPE,
			data: credentialData,
		};
		const workflow = {
			...exampleWorkflow({ videoPath: video.path, credential, id: 'TikTokDemoFlow01' }),
			active: false,
		};
		writeFileSync(join(root, 'credential.json'), JSON.stringify([credential]), { mode: 0o600 });
		writeFileSync(join(root, 'workflow.json'), JSON.stringify([workflow]));
		say('Importing the credential and examples/upload-draft.json into n8n...');
		await cli(engine, env, ['import:credentials', `--input=${join(root, 'credential.json')}`]);
		await cli(engine, env, ['import:workflow', `--input=${join(root, 'workflow.json')}`]);
		rmSync(join(root, 'credential.json'));
		if (process.env.DEMO_KEEP) say(root);

		say(
			`Running the workflow: Read Video (${bytes(video.size)} bytes) → Upload Draft → Wait 3 s → Check Status → Get User Info`,
		);
		const runStarted = Date.now();
		const result = await cli(engine, env, ['execute', `--id=${workflow.id}`, '--rawOutput'], {
			allowFailure: true,
		});
		const run = parseRun(result.stdout);
		const runMs = Date.now() - runStarted;
		if (!run)
			throw new Error(
				`n8n printed no run (exit ${result.status}):\n${result.stderr.slice(-2000)}${result.stdout.slice(-2000)}`,
			);
		summarise(run, video, sandbox, runMs, failReason);
	} finally {
		await sandbox?.close();
		if (!process.env.DEMO_KEEP) rmSync(root, { recursive: true, force: true });
	}
}

async function sandboxCredential(sandbox) {
	const token = await authorizeWithSandbox(sandbox, SCOPES);
	return {
		clientId: sandbox.clientKey,
		clientSecret: sandbox.clientSecret,
		tikTokScopes: SCOPES,
		authUrl: sandbox.authUrl,
		accessTokenUrl: sandbox.accessTokenUrl,
		apiBaseUrl: sandbox.apiBaseUrl,
		oauthTokenData: token,
	};
}

async function realCredential() {
	const clientKey = process.env.TIKTOK_CLIENT_KEY;
	const clientSecret = process.env.TIKTOK_CLIENT_SECRET;
	const token = await refreshAtTikTok({
		tokenUrl: TIKTOK_TOKEN_URL,
		clientKey,
		clientSecret,
		refreshToken: process.env.TIKTOK_REFRESH_TOKEN,
	});
	// TikTok rotates refresh tokens: the one passed in may stop working, so keep the new one.
	const saved = join(
		process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'),
		'n8n-nodes-tiktok-posting',
		'refresh-token',
	);
	mkdirSync(dirname(saved), { recursive: true });
	writeFileSync(saved, token.refresh_token, { mode: 0o600 });
	chmodSync(saved, 0o600);
	say(
		`TikTok issued a new refresh token; saved to ${saved} (use it as TIKTOK_REFRESH_TOKEN next time).`,
	);
	return {
		clientId: clientKey,
		clientSecret,
		tikTokScopes: token.scope ?? SCOPES,
		oauthTokenData: token,
	};
}

function realVideo() {
	const path = process.env.TIKTOK_VIDEO;
	if (!path)
		throw new Error(
			'Set TIKTOK_VIDEO to the path of an .mp4, .mov or .webm to upload to your TikTok inbox.',
		);
	return { path, size: statSync(path).size };
}

async function cli(engine, env, args, { allowFailure = false } = {}) {
	const result = await runN8nCli(engine, env, args);
	if (result.status !== 0 && !allowFailure) {
		throw new Error(
			`n8n ${args[0]} failed (exit ${result.status}):\n${result.stderr}${result.stdout}`,
		);
	}
	return result;
}

/** `n8n execute --rawOutput` prints the run as JSON, sometimes after log lines. */
function parseRun(stdout) {
	for (let at = stdout.indexOf('{'); at !== -1; at = stdout.indexOf('\n{', at + 1)) {
		try {
			return JSON.parse(stdout.slice(at));
		} catch {}
	}
	return undefined;
}

function summarise(run, video, sandbox, runMs, failReason) {
	const runData = run.data?.resultData?.runData ?? {};
	const output = (name) => runData[name]?.[0]?.data?.main?.[0]?.[0]?.json;
	const error = run.data?.resultData?.error;
	const upload = output('Upload Draft');
	const status = output('Check Status');
	const user = output('Get User Info');
	say('');
	if (upload) {
		const last = upload.video_size - (upload.total_chunk_count - 1) * upload.chunk_size;
		say(`  publish id   ${upload.publish_id}`);
		say(
			`  video        ${basename(video.path)}, ${bytes(upload.video_size)} bytes (${upload.mime_type})`,
		);
		say(
			`  chunks       ${upload.total_chunk_count} × ${bytes(upload.chunk_size)} bytes, last ${bytes(last)}`,
		);
	}
	if (sandbox && upload) {
		const received = sandbox.state.uploads[upload.publish_id];
		const exact = received?.sha256 === video.sha256 && received?.bytesReceived === video.size;
		say(
			`  sandbox      received ${bytes(received?.bytesReceived ?? 0)} bytes in ${received?.ranges.length ?? 0} PUTs, SHA-256 ${exact ? 'matches' : 'DOES NOT match'}`,
		);
	}
	if (status) say(`  status       ${status.status}: ${status.status_hint ?? ''}`);
	if (status?.fail_reason)
		say(`  fail reason  ${status.fail_reason}: ${status.fail_reason_hint ?? ''}`);
	if (user) say(`  account      ${user.display_name} (open_id ${user.open_id})`);
	say(
		`  elapsed      workflow ${seconds(runMs)} (n8n CLI start included), demo ${seconds(Date.now() - started)}`,
	);
	if (error || !upload || !status || !user) {
		say(
			`\nThe workflow failed${error ? `: ${error.message}${error.description ? `\n  ${error.description}` : ''}` : '.'}`,
		);
		process.exitCode = 1;
	} else if (failReason) {
		const asked = status.status === 'FAILED' && status.fail_reason === failReason;
		say(
			asked
				? `\nDone: TikTok accepted the upload, then processing failed with ${failReason} (as asked); Check Status reports it with the hint above.`
				: `\nThe sandbox was asked to fail processing with ${failReason}, but Check Status reported ${status.status}${status.fail_reason ? ` (${status.fail_reason})` : ''}.`,
		);
		if (!asked) process.exitCode = 1;
	} else {
		say(
			`\nDone: the video is a draft in ${sandbox ? "the sandbox creator's" : 'your'} TikTok inbox.`,
		);
	}
}

main(demoOptions()).catch((error) => {
	console.error(`\nDemo failed: ${error.message}`);
	process.exitCode = 1;
});
