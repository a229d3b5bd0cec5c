// n8n in queue mode on one machine, loopback only, everything throwaway: a PostgreSQL cluster
// (initdb into a temp folder, its own port), a redis-server without persistence, then n8n main,
// `n8n worker` × N and an `n8n webhook` process — same encryption key, same database, each with its
// own user folder (the package installed as on separate machines), task-broker port and, for
// workers, health port. stop() ends every process group and removes the folder; if the test process
// dies first, a watchdog process does (reaper.mjs).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_DIR } from './engine.mjs';
import { installPackage, n8nEnvironment, runN8nCli, sandboxOverwrites } from './n8nInstance.mjs';
import {
	httpOk,
	logTails,
	startN8nProcess,
	startProcess,
	waitFor,
	waitUntilReady,
} from './n8nProcess.mjs';
import { freePort } from './ports.mjs';
import { groupRegistry, startReaper } from './reaper.mjs';
import { N8nRest } from './rest.mjs';

/** PostgreSQL's and redis-server's locations, installed with apt-get when missing. */
export function ensureQueueDependencies() {
	const result = spawnSync('bash', [join(PACKAGE_DIR, 'scripts', 'install-queue-deps.sh')], {
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error('Installing PostgreSQL/redis-server failed (see above)');
	const values = Object.fromEntries(
		result.stdout
			.trim()
			.split('\n')
			.map((line) => /^(\w+)=(.*)$/.exec(line))
			.filter(Boolean)
			.map(([, key, value]) => [key, value]),
	);
	return { pgBin: values.PG_BIN, redisServer: values.REDIS_SERVER };
}

function redisPing(port) {
	return new Promise((resolve) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		let answer = '';
		socket.once('error', () => resolve(false));
		socket.on('data', (data) => {
			answer += data;
			if (answer.includes('\r\n')) {
				socket.destroy();
				resolve(answer.startsWith('+PONG'));
			}
		});
		socket.once('connect', () => socket.write('PING\r\n'));
	});
}

/** Root may not run PostgreSQL: as root, the server runs as `postgres` (or `nobody`). */
function postgresUser() {
	if (process.getuid?.() !== 0) return undefined;
	for (const name of ['postgres', 'nobody']) {
		const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
		const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
		if (uid.status === 0 && gid.status === 0)
			return { name, uid: Number(uid.stdout), gid: Number(gid.stdout) };
	}
	throw new Error('Running as root, and neither a postgres nor a nobody user exists');
}

async function startPostgres({ root, pgBin, groups }) {
	const dir = join(root, 'postgres');
	mkdirSync(dir);
	const user = postgresUser();
	if (user) chownSync(dir, user.uid, user.gid);
	const as = (bin, args) =>
		user
			? [
					'setpriv',
					[
						'--reuid',
						user.name,
						'--regid',
						String(user.gid),
						'--init-groups',
						'--',
						join(pgBin, bin),
						...args,
					],
				]
			: [join(pgBin, bin), args];
	const data = join(dir, 'data');
	const [initCommand, initArgs] = as('initdb', [
		'-D',
		data,
		'-U',
		'n8n',
		'--auth=trust',
		'-E',
		'UTF8',
		'--no-sync',
	]);
	const init = spawnSync(initCommand, initArgs, { encoding: 'utf8', cwd: dir });
	if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
	const port = await freePort();
	const [command, args] = as('postgres', [
		'-D',
		data,
		'-p',
		String(port),
		'-k',
		dir,
		'-c',
		'listen_addresses=127.0.0.1',
		// Throwaway data: no durability work on the machine's two cores.
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
	]);
	const server = startProcess('postgres', command, args, {
		env: { PATH: process.env.PATH, LANG: 'C' },
		logPath: join(root, 'postgres.log'),
		cwd: dir,
		groups,
	});
	const isReady = () => {
		const ready = spawnSync(join(pgBin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]);
		return Promise.resolve(ready.status === 0);
	};
	await waitFor('PostgreSQL', isReady, server.exited, 60_000);
	const created = spawnSync(
		join(pgBin, 'createdb'),
		['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n'],
		{ encoding: 'utf8' },
	);
	if (created.status !== 0) throw new Error(`createdb failed: ${created.stderr}`);
	// SIGINT is PostgreSQL's "fast shutdown".
	return { ...server, port, stop: () => server.stop('SIGINT', 15_000) };
}

async function startRedis({ root, redisServer, groups }) {
	const dir = join(root, 'redis');
	mkdirSync(dir);
	const port = await freePort();
	const server = startProcess(
		'redis',
		redisServer,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--daemonize',
			'no',
			'--protected-mode',
			'yes',
		],
		{ env: { PATH: process.env.PATH }, logPath: join(root, 'redis.log'), cwd: dir, groups },
	);
	await waitFor('redis-server', () => redisPing(port), server.exited, 30_000);
	return { ...server, port };
}

/**
 * Starts the whole cluster. sandbox: the TikTok sandbox (its hosts go into every n8n's
 * CREDENTIALS_OVERWRITE_DATA). workerConcurrency: jobs per worker (n8n warns below 5). env: extra
 * environment for every n8n process. cluster.filesDir is the folder n8n's file nodes may read
 * (all processes run on this machine, so a worker reads the same files); it goes with the rest.
 */
export async function startQueueCluster({
	engine,
	sandbox,
	workers = 2,
	workerConcurrency = 5,
	databaseMaxFileSizeMiB = 512,
	env: extra = {},
}) {
	const { pgBin, redisServer } = ensureQueueDependencies();
	const root = mkdtempSync(join(tmpdir(), 'tiktok-queue-'));
	chmodSync(root, 0o755); // the postgres user must reach its folder inside
	const groups = groupRegistry(root);
	startReaper(root);
	const filesDir = join(root, 'files');
	mkdirSync(filesDir);
	const processes = [];
	const cluster = {
		root,
		filesDir,
		workers: [],
		async stop() {
			// n8n first (it still talks to both), then redis and PostgreSQL.
			const n8n = processes.filter((p) => p.role);
			await Promise.all(n8n.map((p) => p.stop()));
			await Promise.all(processes.filter((p) => !p.role).map((p) => p.stop()));
			rmSync(root, { recursive: true, force: true }); // the reaper ends on seeing it gone
		},
	};
	try {
		const postgres = await startPostgres({ root, pgBin, groups });
		processes.push(postgres);
		const redis = await startRedis({ root, redisServer, groups });
		processes.push(redis);
		cluster.postgres = postgres;
		cluster.redis = redis;

		const encryptionKey = randomBytes(24).toString('hex');
		const mainPort = await freePort();
		const webhookPort = await freePort();
		const webhookUrl = `http://127.0.0.1:${webhookPort}`;
		const queueEnv = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: '',
			N8N_ENCRYPTION_KEY: encryptionKey,
			// Queue mode's default, spelled out: binary data lives in PostgreSQL.
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE: String(databaseMaxFileSizeMiB),
			// Manual runs (the editor's button, /rest/workflows/:id/run) go to the workers too.
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			WEBHOOK_URL: `${webhookUrl}/`,
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			...extra,
		};
		const overwrites = sandbox ? sandboxOverwrites(sandbox) : undefined;

		const startRole = async (role, name, args, { port, env = {} }) => {
			const processRoot = join(root, name);
			mkdirSync(processRoot);
			const processEnv = n8nEnvironment({
				root: processRoot,
				port,
				brokerPort: await freePort(),
				binaryMode: 'database',
				filesDir,
				overwrites,
				extra: { ...queueEnv, ...env },
			});
			installPackage(processEnv.N8N_USER_FOLDER);
			const started = startN8nProcess(engine, args, processEnv, {
				name,
				logPath: join(root, `${name}.log`),
				cwd: processRoot,
				groups,
			});
			const instance = {
				...started,
				role,
				root: processRoot,
				env: processEnv,
				baseUrl: `http://127.0.0.1:${port}`,
				/** An n8n CLI command (export:credentials, …) on this process's settings and database. */
				cli: (cliArgs) => runN8nCli(engine, processEnv, cliArgs),
			};
			processes.push(instance);
			return instance;
		};

		// Main first: it runs the database migrations the others wait for.
		const main = await startRole('main', 'main', ['start'], {
			port: mainPort,
			env: { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' }, // the webhook process serves them
		});
		cluster.main = main;
		await waitUntilReady(main.baseUrl, main.exited);
		main.rest = new N8nRest(main.baseUrl);
		await main.rest.setupOwner();
		cluster.rest = main.rest;

		cluster.startWorker = async (index) => {
			const healthPort = await freePort();
			const worker = await startRole(
				'worker',
				`worker-${index + 1}`,
				['worker', `--concurrency=${workerConcurrency}`],
				{
					port: await freePort(),
					env: {
						QUEUE_HEALTH_CHECK_ACTIVE: 'true',
						QUEUE_HEALTH_CHECK_PORT: String(healthPort),
						N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					},
				},
			);
			worker.index = index;
			worker.healthUrl = `http://127.0.0.1:${healthPort}/healthz/readiness`;
			/** Execution ids this worker started, from its log ("Worker started execution 12 (job 12)"). */
			worker.startedExecutions = () =>
				[...worker.readLog().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
			worker.ready = waitFor(worker.name, httpOk(worker.healthUrl), worker.exited).then(() =>
				waitFor(
					`${worker.name} queue`,
					async () => /n8n worker is now ready/.test(worker.readLog()),
					worker.exited,
				),
			);
			cluster.workers[index] = worker;
			return worker;
		};
		/** Replaces a stopped or killed worker with a fresh process (same name, new log). */
		cluster.restartWorker = async (index) => {
			const remove = async (worker) => {
				await worker.stop();
				processes.splice(processes.indexOf(worker), 1);
				rmSync(join(root, worker.name), { recursive: true, force: true });
			};
			await remove(cluster.workers[index]);
			for (let attempt = 1; ; attempt++) {
				const worker = await cluster.startWorker(index);
				try {
					await worker.ready;
					return worker;
				} catch (error) {
					// A port freePort() handed out can be taken before n8n listens on it: once more.
					await remove(worker);
					if (attempt >= 2) throw error;
				}
			}
		};
		for (let index = 0; index < workers; index++) await cluster.startWorker(index);
		cluster.webhook = await startRole('webhook', 'webhook', ['webhook'], {
			port: webhookPort,
		});
		await Promise.all([
			...cluster.workers.map((w) => w.ready),
			waitFor('n8n webhook', httpOk(`${webhookUrl}/healthz/readiness`), cluster.webhook.exited),
		]);
		cluster.webhookUrl = webhookUrl;
		/** Which worker's log names the execution as started there (name, or undefined). */
		cluster.workerOf = (executionId) =>
			cluster.workers.find((w) => w.startedExecutions().includes(String(executionId)))?.name;
		return cluster;
	} catch (error) {
		const logs = logTails(processes, 30);
		await cluster.stop().catch(() => {});
		throw new Error(`${error.message}\n${logs}`);
	}
}
