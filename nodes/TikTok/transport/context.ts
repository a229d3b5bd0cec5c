import type { IExecuteFunctions } from 'n8n-workflow';

/** The Connect-button (OAuth2) credential's type name. */
export const CREDENTIAL_TYPE = 'tikTokOAuth2Api';
/** The unattended (auto-refresh) credential's type name. */
export const UNATTENDED_CREDENTIAL_TYPE = 'tikTokUnattendedApi';

/** What a TikTok request runs in. Load-options contexts are passed in as this type too. */
export type RequestContext = IExecuteFunctions;
