// A local file server on 127.0.0.1 for the sandbox's PULL_FROM_URL downloads (http, or https
// with the test-only certificate in test/fixtures/tls). Files live in memory; a few paths
// misbehave on purpose:
//   /files/<name>         200 with the file, written in 64 KiB pieces
//   /slow/<name>          the first half, then waits until release() (or the client hangs up)
//   /cut/<name>           announces the full Content-Length, sends half and closes the socket
//   /redirect/<name>      302 to /files/<name>
//   /status/<code>        answers that status with a small body
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

const TLS_DIR = new URL('../fixtures/tls/', import.meta.url);
export const TEST_CA = readFileSync(new URL('cert.pem', TLS_DIR), 'utf8');
const PIECE = 65_536;

export async function startMediaServer({ tls = false } = {}) {
	const files = new Map();
	const requests = [];
	const waiting = new Set();
	const hangUps = [];

	const handler = (req, res) => {
		const url = new URL(req.url, 'http://media');
		requests.push({ method: req.method, path: url.pathname, search: url.search });
		const [, kind, rest = ''] = /^\/([a-z]+)\/(.*)$/.exec(url.pathname) ?? [];
		const data = files.get(decodeURIComponent(rest));
		if (kind === 'status') {
			res.writeHead(Number(rest), { 'Content-Type': 'text/plain' }).end('status');
			return;
		}
		if (kind === 'redirect') {
			res.writeHead(302, { Location: `/files/${rest}` }).end();
			return;
		}
		if (!data || req.method !== 'GET') {
			res.writeHead(404).end();
			return;
		}
		res.writeHead(200, {
			'Content-Length': data.length,
			'Content-Type': 'application/octet-stream',
		});
		const half = Math.floor(data.length / 2);
		if (kind === 'files') return writeInPieces(res, data, () => res.end());
		if (kind === 'cut') return writeInPieces(res, data.subarray(0, half), () => res.destroy());
		if (kind === 'slow') {
			res.on('close', () => {
				if (!res.writableFinished) hangUps.push(url.pathname);
			});
			writeInPieces(res, data.subarray(0, half), () => {
				const finish = () => {
					if (!res.destroyed) writeInPieces(res, data.subarray(half), () => res.end());
				};
				waiting.add(finish);
			});
			return;
		}
		res.writeHead(404).end();
	};

	const server = tls
		? createHttpsServer(
				{
					key: readFileSync(new URL('key.pem', TLS_DIR)),
					cert: readFileSync(new URL('cert.pem', TLS_DIR)),
				},
				handler,
			)
		: createHttpServer(handler);
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const baseUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${server.address().port}`;
	return {
		baseUrl,
		requests,
		hangUps,
		/** Adds a file; returns its URL under `kind` (files, slow, cut, redirect). */
		add(name, data, kind = 'files') {
			files.set(name, data);
			return `${baseUrl}/${kind}/${encodeURIComponent(name)}`;
		},
		url: (path) => `${baseUrl}${path}`,
		/** Lets every /slow/ response send its second half. */
		release() {
			for (const finish of waiting) finish();
			waiting.clear();
		},
		close() {
			server.closeAllConnections();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

function writeInPieces(res, data, done) {
	let offset = 0;
	const next = () => {
		while (offset < data.length) {
			const piece = data.subarray(offset, offset + PIECE);
			offset += piece.length;
			if (!res.write(piece)) return res.once('drain', next);
		}
		done();
	};
	next();
}
