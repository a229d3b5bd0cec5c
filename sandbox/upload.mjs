// The upload host (docs/tiktok-api.md#chunk-upload). Every chunk is checked against the plan declared at
// init and hashed as it streams in; nothing is buffered. A chunk is hashed into a copy of the
// committed hash, committed only when the whole chunk arrived, so a retried chunk keeps the
// final SHA-256 right.
//
// Chunk faults (shapes in state.mjs) are matched by chunkIndex = the number of chunks accepted so
// far, upload.ranges.length, when the PUT arrives. Before-effect faults strike before any check;
// afterEffect faults only once the chunk is committed, so a refused PUT does not use them up.
import { createHash } from 'node:crypto';
import { expectedRange } from './chunk-rules.mjs';
import { AFTER_EFFECT, takeFault } from './state.mjs';

const VIDEO_TYPES = ['video/mp4', 'video/quicktime', 'video/webm'];

export function handleUpload(req, res, url, { state, config }) {
	const upload = state.uploads.get(url.searchParams.get('upload_id') ?? '');
	if (
		req.method !== 'PUT' ||
		url.pathname !== '/upload/' ||
		!upload ||
		upload.uploadToken !== url.searchParams.get('upload_token')
	) {
		return finish(req, res, 404, 'No upload task for this URL.');
	}
	const index = upload.ranges.length;
	const put = {
		range: String(req.headers['content-range'] ?? ''),
		status: 0,
		contentType: String(req.headers['content-type'] ?? ''),
		contentLength:
			req.headers['content-length'] === undefined
				? undefined
				: Number(req.headers['content-length']),
		authorizationHeaderSent: req.headers.authorization !== undefined,
	};
	upload.puts.push(put);
	const reject = (status, message) => {
		put.status = status;
		finish(req, res, status, message);
	};

	const fault = takeFault(
		state,
		(f) => f.target === 'chunk' && (f.chunkIndex === undefined || f.chunkIndex === index),
	);
	if (
		fault?.kind === 'expired' ||
		Date.now() - upload.createdAt > config.uploadUrlTtlSeconds * 1000
	) {
		return reject(403, 'The upload URL has expired.');
	}
	if (fault?.kind === 'status') return reject(fault.status, 'Injected fault.');
	if (upload.complete) return reject(416, 'The upload is already complete.');
	// Chunks are sequential: a PUT while another is still streaming overlaps it.
	if (upload.chunkInFlight) return reject(416, 'Another chunk of this upload is still being sent.');

	if (!VIDEO_TYPES.includes(put.contentType.split(';')[0].trim()))
		return reject(400, 'Unsupported Content-Type.');
	// The type of the first committed chunk; that chunk's answer may have been lost to a fault.
	if (upload.contentType && upload.contentType !== put.contentType)
		return reject(400, 'Content-Type changed between chunks.');

	const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(put.range);
	if (!match) return reject(400, 'Malformed Content-Range.');
	const [start, end, total] = match.slice(1).map(Number);
	if (total !== upload.videoSize || end < start)
		return reject(400, 'Content-Range does not match the video size.');
	if (start !== upload.bytesReceived)
		return reject(416, 'Content-Range does not match the upload progress.');
	const [expectedStart, expectedEnd] = expectedRange(upload, index);
	if (start !== expectedStart || end !== expectedEnd)
		return reject(416, 'Chunk boundaries do not follow chunk_size.');
	const length = end - start + 1;
	if (put.contentLength !== length)
		return reject(400, 'Content-Length does not match Content-Range.');

	receiveChunk(req, res, state, {
		upload,
		put,
		index,
		start,
		end,
		length,
		resetAfter: fault?.kind === 'reset' ? Math.floor(length / 2) : undefined,
	});
}

function receiveChunk(req, res, state, { upload, put, index, start, end, length, resetAfter }) {
	const hash = (upload.hash ?? createHash('sha256')).copy();
	let received = 0;
	upload.chunkInFlight = true;
	req.on('close', () => (upload.chunkInFlight = false));
	req.on('data', (piece) => {
		received += piece.length;
		if (received > length) return;
		hash.update(piece);
		if (resetAfter !== undefined && received >= resetAfter) {
			put.status = 'reset';
			req.socket.destroy();
		}
	});
	req.on('end', () => {
		upload.chunkInFlight = false;
		if (received !== length) {
			put.status = 400;
			return reply(res, 400, 'Content-Length does not match the body.');
		}
		upload.hash = hash;
		upload.bytesReceived += length;
		upload.ranges.push(`${start}-${end}`);
		upload.contentType ??= put.contentType;
		const done = upload.bytesReceived === upload.videoSize;
		put.status = done ? 201 : 206;
		if (done) {
			upload.sha256 = hash.copy().digest('hex');
			upload.complete = true;
			upload.completedAt = Date.now();
		}
		const fault = takeFault(
			state,
			(f) => f.target === 'chunk' && (f.chunkIndex === undefined || f.chunkIndex === index),
			AFTER_EFFECT,
		);
		if (fault) {
			put.afterEffect = true;
			if (fault.kind === 'reset') {
				put.status = 'reset';
				return req.socket.destroy();
			}
			put.status = fault.status;
			return reply(res, fault.status, 'Injected fault after the chunk was committed.');
		}
		res.writeHead(put.status, {
			'Content-Range': `bytes 0-${upload.bytesReceived - 1}/${upload.videoSize}`,
		});
		res.end();
	});
	req.on('error', () => {});
}

/** Answers once the body is drained (read and dropped, never kept), so clients see the status. */
function finish(req, res, status, message) {
	req.on('end', () => reply(res, status, message));
	req.on('error', () => {});
	req.resume();
}

function reply(res, status, message) {
	if (res.headersSent) return;
	res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
	res.end(message);
}
