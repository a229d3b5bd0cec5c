// Sample videos for the unit and end-to-end suites, the demo and the benchmark: random bytes
// written in 1 MiB pieces (never one big buffer) with their SHA-256, so the sandbox's hash proves a
// byte-exact upload. And the throwaway folders they are written into, and the top-level boxes of
// a small real MP4 (the fixtures) to build other MP4s from.
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PIECE = 1_048_576;

export function writeSampleVideo(dir, name, size) {
	const path = join(dir, name);
	const hash = createHash('sha256');
	const piece = Buffer.allocUnsafe(PIECE);
	const fd = openSync(path, 'w');
	try {
		for (let written = 0; written < size; ) {
			const bytes = randomFillSync(piece).subarray(0, Math.min(PIECE, size - written));
			if (written === 0) Buffer.from('\0\0\0\x18ftypmp42').copy(bytes); // looks like an MP4
			hash.update(bytes);
			writeSync(fd, bytes);
			written += bytes.length;
		}
	} finally {
		closeSync(fd);
	}
	return { path, size, sha256: hash.digest('hex') };
}

/** A new empty folder under the system's temp folder. */
export function makeTempDir(prefix = 'tiktok-files-') {
	return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir) {
	rmSync(dir, { recursive: true, force: true });
}

/** The top-level boxes of an MP4 held in a buffer (ftyp, moov, mdat, …), by type. */
export function topBoxes(data) {
	const boxes = {};
	for (let offset = 0; offset < data.length; ) {
		const size = data.readUInt32BE(offset);
		boxes[data.toString('latin1', offset + 4, offset + 8)] = data.subarray(offset, offset + size);
		offset += size;
	}
	return boxes;
}
