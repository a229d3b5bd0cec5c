/**
 * The two credential types, as the code names them. The credential classes and each node's
 * credentials block spell the names out: n8n's lint reads them only as literals there
 * (test/unit/shared.test.mjs checks that all of them agree).
 */
export const CREDENTIAL_TYPE = 'tikTokOAuth2Api';
export const UNATTENDED_CREDENTIAL_TYPE = 'tikTokUnattendedApi';

/** The credential a node's Authentication value selects; the Connect button unless Unattended. */
export function credentialTypeFor(authentication: string): string {
	return authentication === 'unattended' ? UNATTENDED_CREDENTIAL_TYPE : CREDENTIAL_TYPE;
}
