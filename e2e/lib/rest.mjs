// The parts of n8n's internal REST API (/rest, the one its editor uses) that the suite needs:
// owner setup, credentials, the OAuth2 Connect flow, workflows and manual runs.
import { randomUUID } from 'node:crypto';

export const OWNER = {
	email: 'owner@tiktok-e2e.invalid',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-password-1',
};

export class N8nRest {
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		this.cookie = '';
		this.browserId = randomUUID(); // n8n binds its auth cookie to the browser id header
	}

	async request(method, path, body) {
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: {
				'browser-id': this.browserId,
				...(this.cookie ? { cookie: this.cookie } : {}),
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			redirect: 'manual',
		});
		const setCookie = response.headers.getSetCookie?.() ?? [];
		const auth = setCookie.find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		const text = await response.text();
		if (!response.ok)
			throw new Error(`n8n ${method} ${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
		const json = text ? JSON.parse(text) : {};
		return json.data ?? json;
	}

	async setupOwner() {
		await this.request('POST', '/rest/owner/setup', OWNER);
		if (!this.cookie)
			await this.request('POST', '/rest/login', {
				emailOrLdapLoginId: OWNER.email,
				password: OWNER.password,
			});
	}

	createCredential(name, type, data) {
		return this.request('POST', '/rest/credentials', { name, type, data });
	}

	getCredential(id) {
		return this.request('GET', `/rest/credentials/${id}?includeData=true`);
	}

	/**
	 * The Connect button: n8n builds the authorize URL, the "browser" follows it to the sandbox
	 * (which approves at once) and follows the redirect back to n8n's callback.
	 */
	async connectOAuth2(credentialId) {
		const authorizeUrl = await this.request(
			'GET',
			`/rest/oauth2-credential/auth?id=${credentialId}`,
		);
		const approval = await fetch(authorizeUrl, { redirect: 'manual' });
		const callbackUrl = approval.headers.get('location');
		if (approval.status !== 302 || !callbackUrl) {
			throw new Error(`authorize answered HTTP ${approval.status}: ${await approval.text()}`);
		}
		const callback = await fetch(callbackUrl, {
			headers: { cookie: this.cookie, 'browser-id': this.browserId },
			redirect: 'manual',
		});
		const page = await callback.text();
		return {
			authorizeUrl: new URL(authorizeUrl),
			callbackUrl: new URL(callbackUrl),
			status: callback.status,
			page,
		};
	}

	createWorkflow(workflow) {
		return this.request('POST', '/rest/workflows', { active: false, settings: {}, ...workflow });
	}

	/** Activates a saved workflow as the editor's Publish/Active switch does (n8n 2.x; 1.x: PATCH). */
	async activateWorkflow(workflow) {
		try {
			return await this.request('POST', `/rest/workflows/${workflow.id}/activate`, {
				versionId: workflow.versionId,
			});
		} catch (error) {
			if (!/HTTP 404/.test(error.message)) throw error;
			return this.request('PATCH', `/rest/workflows/${workflow.id}`, {
				active: true,
				versionId: workflow.versionId,
			});
		}
	}

	/** Runs a saved workflow as the editor's "Execute workflow" button does; returns its id. */
	async runWorkflow(workflow, triggerName) {
		const result = await this.request('POST', `/rest/workflows/${workflow.id}/run`, {
			workflowData: workflow,
			triggerToStartFrom: { name: triggerName },
		});
		if (!result.executionId)
			throw new Error(`n8n did not start the run: ${JSON.stringify(result)}`);
		return result.executionId;
	}

	/**
	 * Waits for an execution to finish and returns n8n's stored record (data still serialised).
	 * Polls the summary list: the full record carries in-memory binary data (hundreds of MB).
	 */
	async waitForExecution(workflowId, executionId, timeoutMs = 1_200_000) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const { results = [] } = await this.request('GET', `/rest/executions?filter=${filter}`);
			const summary = results.find((execution) => String(execution.id) === String(executionId));
			if (summary && !['new', 'running', 'waiting'].includes(summary.status)) {
				return this.request('GET', `/rest/executions/${executionId}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 300));
		}
		throw new Error(`execution ${executionId} did not finish in ${timeoutMs / 1000} s`);
	}
}
