// A local https file server on 127.0.0.1 (test-only self-signed certificate) that the sandbox
// pulls videos and photos from, as TikTok pulls from a verified domain.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:https';
import { join, normalize } from 'node:path';
import { PACKAGE_DIR } from './engine.mjs';

const TLS_DIR = join(PACKAGE_DIR, 'test', 'fixtures', 'tls');

export async function startMediaServer(rootDir) {
	const server = createServer(
		{ key: readFileSync(join(TLS_DIR, 'key.pem')), cert: readFileSync(join(TLS_DIR, 'cert.pem')) },
		(req, res) => {
			const path = normalize(
				join(rootDir, decodeURIComponent(new URL(req.url, 'https://x').pathname)),
			);
			const stat = path.startsWith(rootDir) ? statSync(path, { throwIfNoEntry: false }) : undefined;
			if (!stat?.isFile()) {
				res.writeHead(404).end();
				return;
			}
			res.writeHead(200, {
				'Content-Length': stat.size,
				'Content-Type': 'application/octet-stream',
			});
			createReadStream(path).pipe(res);
		},
	);
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const baseUrl = `https://127.0.0.1:${server.address().port}/`;
	return {
		baseUrl,
		urlOf: (name) => `${baseUrl}${encodeURIComponent(name)}`,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}
