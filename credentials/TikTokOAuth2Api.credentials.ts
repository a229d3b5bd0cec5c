import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * TikTok Login Kit (web) through n8n's OAuth2 Connect button. TikTok names the client id
 * `client_key`; n8n always sends `client_id`, so `client_key` is added to the authorize URL and to
 * the code exchange by expressions over this credential's own fields ($self). Every TikTok host
 * is a field, so CREDENTIALS_OVERWRITE_DATA can point a whole n8n at another TikTok (a sandbox).
 */
export class TikTokOAuth2Api implements ICredentialType {
	name = 'tikTokOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'TikTok OAuth2 API';

	icon = {
		light: 'file:../icons/tiktok.svg',
		dark: 'file:../icons/tiktok.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/n8n-nodes-tiktok-posting/n8n-nodes-tiktok-posting#credentials';

	properties: INodeProperties[] = [
		{
			displayName:
				"In your TikTok app (developers.tiktok.com) add Login Kit and the Content Posting API, and register n8n's OAuth Redirect URL shown above (it must be HTTPS), and paste the app's Client key into Client ID. Unaudited apps can only post to private accounts.",
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Client Key',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'The Client key of your TikTok app',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The Client secret of your TikTok app',
		},
		{
			displayName: 'Scopes',
			// Not `scopes`: n8n's credential dialog (2.8) keeps its own `scopes` (the user's permissions)
			// in the same object and writes them into a field of that name (docs/n8n-internals.md#oauth2-credential).
			name: 'tikTokScopes',
			type: 'string',
			default: 'user.info.basic,video.upload',
			description:
				'Comma-separated TikTok scopes to request; each must be enabled in your TikTok app. Add user.info.profile and user.info.stats for profile and statistics fields. Reconnect after changing.',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			// TikTok wants a comma-separated list; n8n keeps commas when the string contains one.
			default: '={{$self["tikTokScopes"]}}',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: 'https://www.tiktok.com/v2/auth/authorize/',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: 'https://open.tiktokapis.com/v2/oauth/token/',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'hidden',
			default: 'https://open.tiktokapis.com',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '={{"client_key=" + encodeURIComponent($self["clientId"])}}',
		},
		{
			displayName: 'Additional Body Properties',
			name: 'additionalBodyProperties',
			type: 'hidden',
			default: '={{JSON.stringify({ client_key: $self["clientId"] })}}',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];
}
