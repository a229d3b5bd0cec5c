// The unattended credential's n8n side, emulated as n8n 2.8.4 does it (n8n-core
// httpRequestWithAuthentication, cli CredentialsHelper.preAuthentication): the credential is read
// from the database for every request, the hook runs on an empty access token or after a thrown
// 401 (then n8n sends the request once more), its output is saved, and n8n wraps what it throws
// in a NodeApiError. The real thing is in e2e/unattended.e2e.test.mjs and e2e/queue/.
import { setTimeout as sleep } from 'node:timers/promises';
import { NodeApiError, TikTok, TikTokUnattendedApi } from './dist.mjs';
import { createExecuteFunctions, httpRequest } from './n8nContext.mjs';

const TYPE = 'tikTokUnattendedApi';

/**
 * One stored credential, as n8n's credentials table holds it. saveDelayMs: how long a save takes
 * to land (a busy worker, a slow database), so losers see the refusal before the winner's save.
 */
export function credentialStore(data, { saveDelayMs = 300 } = {}) {
	const store = { data: { ...data }, saves: 0 };
	store.read = async () => {
		await sleep(1);
		return structuredClone(store.data);
	};
	store.save = async (data) => {
		await sleep(saveDelayMs);
		store.data = structuredClone(data);
		store.saves++;
	};
	return store;
}

/** An execution of the node whose n8n side works like n8n 2.8.4's on the given store. */
export function unattendedExecution(store, parameters, executionId, requestLog = []) {
	const context = createExecuteFunctions({ parameters, executionId, requestLog });
	const hook = new TikTokUnattendedApi().preAuthentication;
	const hookContext = { helpers: { httpRequest: (request) => httpRequest(request, requestLog) } };
	const preAuthentication = async (credentials, expired) => {
		if (credentials.accessToken !== '' && !expired) return undefined;
		const output = await hook.call(hookContext, credentials);
		const saved = Object.assign(credentials, output);
		await store.save(saved);
		return saved;
	};
	const authenticated = (credentials, request) => ({
		...request,
		headers: { ...(request.headers ?? {}), Authorization: `Bearer ${credentials.accessToken}` },
	});
	context.getCredentials = async (type) => {
		if (type !== TYPE) throw new Error(`Node does not have credential type ${type}`);
		return store.read();
	};
	context.helpers.httpRequestWithAuthentication = async function (type, request) {
		let credentials;
		try {
			credentials = await context.getCredentials(type);
			await preAuthentication(credentials, false);
			return await httpRequest(authenticated(credentials, request), requestLog);
		} catch (error) {
			if (error.response?.status === 401) {
				try {
					await preAuthentication(credentials, true);
					return await httpRequest(authenticated(credentials, request), requestLog);
				} catch (error) {
					throw new NodeApiError(context.getNode(), error);
				}
			}
			throw new NodeApiError(context.getNode(), error);
		}
	};
	return new TikTok().execute.call(context).then(([items]) => items);
}
