// How the harness runs a long-lived process (n8n, and the queue cluster's PostgreSQL and redis-server):
// in a process group of its own, so stopping it also ends its children (n8n's task runners);
// listed for the reaper (reaper.mjs) while it runs; its output in a log file; ready when a check
// passes, failing at once if it exits first. n8nInstance.mjs (one n8n) and queueCluster.mjs (main,
// workers, webhook process) both start n8n through startN8nProcess().
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { n8nCommand } from './engine.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `command` in its own process group, stdout and stderr into `logPath`, its pid in `groups`
 * (reaper.mjs's groupRegistry) until it exits. `exited` resolves with the exit code, or the signal.
 */
export function startProcess(name, command, args, { env, logPath, cwd, groups }) {
	const log = createWriteStream(logPath);
	const child = spawn(command, args, {
		env,
		cwd,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout.pipe(log);
	child.stderr.pipe(log);
	groups.add(child.pid);
	const exited = new Promise((resolve) =>
		child.once('exit', (code, signal) => resolve(code ?? signal)),
	);
	exited.then(() => groups.delete(child.pid));
	const killGroup = (signal = 'SIGKILL') => {
		try {
			process.kill(-child.pid, signal);
		} catch {} // the group is gone already
	};
	const running = () => child.exitCode === null && child.signalCode === null;
	return {
		name,
		pid: child.pid,
		logPath,
		exited,
		running,
		readLog: () => readFileSync(logPath, 'utf8'),
		/** Sends `signal` to the whole process group (n8n and its task runner). */
		kill: killGroup,
		/** `signal` to the group, SIGKILL after `graceMs`; then whatever of the group outlived it. */
		async stop(signal = 'SIGTERM', graceMs = 20_000) {
			if (running()) {
				killGroup(signal);
				const timer = setTimeout(() => killGroup('SIGKILL'), graceMs);
				await exited;
				clearTimeout(timer);
			}
			killGroup('SIGKILL');
			await new Promise((resolve) => log.end(resolve));
		},
	};
}

/** `n8n <args>` (start, worker, webhook) with `env` on the Node its version needs (engine.mjs). */
export function startN8nProcess(engine, args, env, { name = 'n8n', logPath, cwd, groups }) {
	const command = n8nCommand(engine, args, env);
	return startProcess(name, command.command, command.args, {
		env: command.env,
		logPath,
		cwd,
		groups,
	});
}

/** Resolves once `check()` resolves truthy; fails if `exited` resolves first or after `timeoutMs`. */
export async function waitFor(what, check, exited, timeoutMs = 240_000) {
	let exitCode;
	exited?.then((code) => (exitCode = code));
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (exitCode !== undefined) throw new Error(`${what} exited (${exitCode}) before it was ready`);
		if (await check().catch(() => false)) return;
		await sleep(300);
	}
	throw new Error(`${what} was not ready after ${timeoutMs / 1000} s`);
}

export const httpOk = (url) => () => fetch(url).then((r) => r.ok);

/**
 * An n8n main process is ready for the REST API: /healthz answers before the database migrations
 * finish, /healthz/readiness does not, and the REST routes are mounted a little after readiness.
 */
export function waitUntilReady(baseUrl, exited, timeoutMs) {
	const ready = httpOk(`${baseUrl}/healthz/readiness`);
	const rest = httpOk(`${baseUrl}/rest/settings`);
	return waitFor('n8n', async () => (await ready()) && (await rest()), exited, timeoutMs);
}

/** The last `lines` lines of each process's log, headed by its name and path: for an error. */
export function logTails(processes, lines = 40) {
	return processes
		.map((p) => {
			let tail = '';
			try {
				tail = p.readLog().split('\n').slice(-lines).join('\n');
			} catch {} // no log yet
			return `--- ${p.name} log (${p.logPath}) ---\n${tail}`;
		})
		.join('\n');
}
