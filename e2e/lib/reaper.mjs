// Cleanup that survives the test process: the end-to-end harnesses start n8n, PostgreSQL and
// redis-server in process groups of their own, and a watchdog removes them if the test dies first.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The process groups under <root>, mirrored to <root>/groups for the reaper: a group is listed from
 * its spawn until its leader exits.
 */
export function groupRegistry(root) {
	const pids = new Set();
	const write = () => {
		try {
			writeFileSync(join(root, 'groups'), [...pids].join('\n'));
		} catch {} // the folder is gone: everything was stopped
	};
	return {
		add: (pid) => (pids.add(pid), write()),
		delete: (pid) => (pids.delete(pid), write()),
	};
}

/**
 * A watchdog beside the test process. Handlers in the test process cannot clean up after a
 * SIGKILL or a CI timeout, and under jest they do not even run on SIGTERM or Ctrl-C (the test
 * sees a sandboxed `process`). Once the test process is gone, the reaper kills every group listed
 * in <root>/groups and removes <root> (unless <root>/.keep exists: kept for its logs); it ends
 * by itself when <root> was removed by a normal stop.
 */
export function startReaper(root) {
	const script = `
const { existsSync, readFileSync, rmSync } = require('node:fs');
const [testPid, root] = process.argv.slice(1);
setInterval(() => {
	if (!existsSync(root)) process.exit(0);
	try {
		process.kill(Number(testPid), 0);
		return;
	} catch {}
	let groups = [];
	try {
		groups = readFileSync(root + '/groups', 'utf8').split('\\n').filter(Boolean);
	} catch {}
	for (const pid of groups) {
		try {
			process.kill(-Number(pid), 'SIGKILL');
		} catch {}
	}
	if (!existsSync(root + '/.keep')) rmSync(root, { recursive: true, force: true });
	process.exit(0);
}, 1000);`;
	spawn(process.execPath, ['-e', script, String(process.pid), root], {
		detached: true,
		stdio: 'ignore',
	}).unref();
}
