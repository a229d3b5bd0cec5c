// The transport's public face: actions and methods import from here.
export { tikTokApiRequest } from './request';
