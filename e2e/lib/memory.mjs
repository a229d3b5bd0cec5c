// Resident memory of a process and all its descendants (n8n plus its task runners), read from
// /proc at a fixed rate, so a peak during an upload is seen even when it lasts a moment.
import { readdirSync, readFileSync } from 'node:fs';

function parentOf(pid) {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
	} catch {
		return undefined;
	}
}

function rssBytes(pid) {
	try {
		const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : 0;
	} catch {
		return 0; // the process ended between listing and reading
	}
}

export function processTree(rootPid) {
	const children = new Map();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const parent = parentOf(entry);
		if (parent === undefined) continue;
		if (!children.has(parent)) children.set(parent, []);
		children.get(parent).push(Number(entry));
	}
	const tree = [];
	const queue = [rootPid];
	while (queue.length) {
		const pid = queue.shift();
		tree.push(pid);
		queue.push(...(children.get(pid) ?? []));
	}
	return tree;
}

export function treeRss(rootPid) {
	return processTree(rootPid).reduce((sum, pid) => sum + rssBytes(pid), 0);
}

/** Samples the tree's RSS every intervalMs (default 50 ms = 20 Hz) until stop(). */
export function sampleTreeRss(rootPid, intervalMs = 50) {
	const samples = [];
	const timer = setInterval(() => samples.push(treeRss(rootPid)), intervalMs);
	samples.push(treeRss(rootPid));
	return {
		samples,
		stop() {
			clearInterval(timer);
			samples.push(treeRss(rootPid));
			return { peak: Math.max(...samples), count: samples.length, median: median(samples) };
		},
	};
}

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

export const MB = 1_000_000;
export const formatMb = (bytes) => `${(bytes / MB).toFixed(1)} MB`;
