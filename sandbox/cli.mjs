// `npm run sandbox`: the local TikTok sandbox on fixed loopback ports until Ctrl-C.
import { parseArgs } from 'node:util';
import { startSandbox } from './server.mjs';

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: process.env.SANDBOX_PORT ?? '8787' },
		'upload-port': { type: 'string', default: process.env.SANDBOX_UPLOAD_PORT ?? '8788' },
	},
});
const sandbox = await startSandbox({
	port: Number(values.port),
	uploadPort: Number(values['upload-port']),
});
console.log(`TikTok sandbox listening on 127.0.0.1
  API base URL      ${sandbox.apiBaseUrl}
  Authorization URL ${sandbox.authUrl}
  Access token URL  ${sandbox.accessTokenUrl}
  Upload host       ${sandbox.uploadBaseUrl}
  Client key        ${sandbox.clientKey}
  Client secret     ${sandbox.clientSecret}
  Inspect           ${sandbox.apiBaseUrl}/__sandbox/state
Press Ctrl-C to stop.`);
const stop = () => sandbox.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
