// The transport's public face: actions and methods import from here.
export { CREDENTIAL_TYPE, UNATTENDED_CREDENTIAL_TYPE } from './auth/credentialTypes';
export { tikTokApiRequest } from './request';
