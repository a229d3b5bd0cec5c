// Test videos: pseudo-random bytes written in 1 MiB pieces (never one big buffer), with their hash.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makeTempDir() {
	return mkdtempSync(join(tmpdir(), 'tiktok-unit-'));
}

export function removeDir(dir) {
	rmSync(dir, { recursive: true, force: true });
}

export function writeVideo(dir, name, size) {
	const path = join(dir, name);
	const hash = createHash('sha256');
	writeFileSync(path, Buffer.alloc(0));
	let seed = size % 251;
	for (let written = 0; written < size; ) {
		const piece = Buffer.allocUnsafe(Math.min(1_048_576, size - written));
		for (let i = 0; i < piece.length; i++)
			piece[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16;
		hash.update(piece);
		appendFileSync(path, piece);
		written += piece.length;
	}
	return { path, size, sha256: hash.digest('hex') };
}
