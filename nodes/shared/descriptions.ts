import type { INodeProperties } from 'n8n-workflow';

/**
 * Both nodes' Authentication choice; each node adds a description of its own. The values pick
 * the entry of the node's credentials block (credentialTypeFor).
 */
export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'OAuth2 (Connect Button)', value: 'oAuth2' },
		{ name: 'Unattended (Auto-Refresh)', value: 'unattended' },
	],
	default: 'oAuth2',
};
