// A local file server on 127.0.0.1 that the sandbox pulls videos and photos from, as TikTok pulls
// from a verified domain (https, test-only self-signed certificate), or that an example workflow
// reads a feed and downloads videos from (plain http: n8n's HTTP Request node and RSS trigger).
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join, normalize } from 'node:path';
import { PACKAGE_DIR } from './engine.mjs';

const TLS_DIR = join(PACKAGE_DIR, 'test', 'fixtures', 'tls');

const CONTENT_TYPES = {
	mp4: 'video/mp4',
	xml: 'application/rss+xml',
	jpg: 'image/jpeg',
	json: 'application/json',
};

export async function startMediaServer(rootDir, { tls = true } = {}) {
	const handler = (req, res) => {
		const path = normalize(
			join(rootDir, decodeURIComponent(new URL(req.url, 'http://x').pathname)),
		);
		const stat = path.startsWith(rootDir) ? statSync(path, { throwIfNoEntry: false }) : undefined;
		if (!stat?.isFile()) {
			res.writeHead(404).end();
			return;
		}
		const type = CONTENT_TYPES[path.split('.').pop()] ?? 'application/octet-stream';
		res.writeHead(200, { 'Content-Length': stat.size, 'Content-Type': type });
		createReadStream(path).pipe(res);
	};
	const cert = tls ? readFileSync(join(TLS_DIR, 'cert.pem'), 'utf8') : undefined;
	const server = tls
		? createHttpsServer({ key: readFileSync(join(TLS_DIR, 'key.pem')), cert }, handler)
		: createHttpServer(handler);
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const baseUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${server.address().port}/`;
	return {
		baseUrl,
		/** The self-signed certificate it presents (https): the CA a client must trust. */
		ca: cert,
		urlOf: (name) => `${baseUrl}${encodeURIComponent(name)}`,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}
