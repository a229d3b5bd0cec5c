// Preloaded into the benchmark's n8n through NODE_OPTIONS=--require (bench/run.mjs). With
// BENCH_PRELOAD_DIR set, writes <dir>/<pid>.gc.json when the process exits (n8n exits through
// process.exit on SIGTERM): every garbage collection with its wall-clock start, and one moment on
// both clocks. With BENCH_CPU_PROFILE=1 as well, also <dir>/<pid>.cpuprofile, a CPU profile from
// the start (Node refuses --cpu-prof in NODE_OPTIONS); its timestamps are monotonic microseconds.
'use strict';
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { PerformanceObserver, performance, constants } = require('node:perf_hooks');

const dir = process.env.BENCH_PRELOAD_DIR;
if (dir) {
	// Each collection and its reason on n8n's stdout (its log), for looking into one run.
	if (process.env.BENCH_TRACE_GC) require('node:v8').setFlagsFromString('--trace-gc');
	const clock = { epochMs: Date.now(), monoUs: Number(process.hrtime.bigint() / 1000n) };
	const gcs = [];
	const kinds = {
		[constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
		[constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
		[constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
		[constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
	};
	new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) {
			gcs.push({
				epochMs: performance.timeOrigin + entry.startTime,
				ms: entry.duration,
				kind: kinds[entry.detail?.kind] ?? 'other',
			});
		}
	}).observe({ entryTypes: ['gc'] });
	let session;
	if (process.env.BENCH_CPU_PROFILE) {
		session = new Session();
		session.connect();
		session.post('Profiler.enable');
		session.post('Profiler.setSamplingInterval', { interval: 500 });
		session.post('Profiler.start');
	}
	process.once('exit', () => {
		writeFileSync(join(dir, `${process.pid}.gc.json`), JSON.stringify({ ...clock, gcs }));
		// The session is on this thread: the callback runs before post() returns.
		session?.post('Profiler.stop', (error, result) => {
			if (!error)
				writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
		});
	});
}
