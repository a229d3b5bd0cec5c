// Running the node against a sandbox through an IExecuteFunctions built like n8n's: a Connect
// credential holding a freshly minted token, and the node's execute() (or a loadOptions method)
// for given parameters.
import { defaultConfig } from '../../sandbox/config.mjs';
import { TikTok } from './dist.mjs';
import { createExecuteFunctions, createLoadOptionsFunctions } from './n8nContext.mjs';

/** Every scope the sandbox's app has. */
export const ALL_SCOPES = defaultConfig().appScopes;

/** Token values, the client secret and upload URLs must never appear in outputs or errors. */
export const SECRET_PATTERNS = [
	/act\.[A-Za-z0-9]/,
	/rft\.[A-Za-z0-9]/,
	/upload_token/,
	/sandbox-client-secret/,
	/\/upload\/\?/,
];

export function nodeRunner(getSandbox) {
	async function connectedCredential(scopes = ALL_SCOPES) {
		const sandbox = getSandbox();
		const token = await sandbox.mintToken({ scopes });
		return {
			clientId: sandbox.clientKey,
			clientSecret: sandbox.clientSecret,
			authUrl: sandbox.authUrl,
			accessTokenUrl: sandbox.accessTokenUrl,
			apiBaseUrl: sandbox.apiBaseUrl,
			oauthTokenData: token,
		};
	}

	/** An unattended credential (tikTokUnattendedApi) holding a freshly minted token pair. */
	function unattendedCredential(scopes = ALL_SCOPES) {
		const sandbox = getSandbox();
		const token = sandbox.mintToken({ scopes });
		return {
			clientKey: sandbox.clientKey,
			clientSecret: sandbox.clientSecret,
			accessTokenUrl: sandbox.accessTokenUrl,
			apiBaseUrl: sandbox.apiBaseUrl,
			authorizationCode: '',
			redirectUri: '',
			refreshToken: token.refresh_token,
			accessToken: token.access_token,
		};
	}

	async function run(parameters, options = {}) {
		const credentials = options.credentials ?? (await connectedCredential());
		const context = createExecuteFunctions({ parameters, credentials, ...options });
		const [items] = await new TikTok().execute.call(context);
		return { items, context, credentials };
	}

	/** A loadOptions method of the node, as the editor runs it for an option list. */
	async function loadOptions(method, parameters, options = {}) {
		const credentials = options.credentials ?? (await connectedCredential());
		const context = createLoadOptionsFunctions({ parameters, credentials, ...options });
		return await new TikTok().methods.loadOptions[method].call(context);
	}

	return {
		connectedCredential,
		unattendedCredential,
		run,
		loadOptions,
		apiCallCount: () => getSandbox().state.apiCalls.length,
	};
}

export function expectNoSecrets(value) {
	const text =
		value instanceof Error
			? JSON.stringify({
					message: value.message,
					description: value.description,
					response: value.errorResponse,
					stack: value.stack,
				})
			: JSON.stringify(value);
	for (const pattern of SECRET_PATTERNS) expect(text).not.toMatch(pattern);
}
