// The node is tested as n8n loads it: the compiled CommonJS in dist/ (npm test builds first).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** Any compiled module, by its path under dist/ (the same instance the node uses). */
export const fromDist = (path) => require(`../../dist/${path}`);
const dist = (path) => fromDist(`nodes/TikTok/${path}`);

export const chunkPlan = dist('helpers/chunkPlan.js');
export const chunkReader = dist('helpers/chunkReader.js');
export const losslessJson = fromDist('nodes/shared/losslessJson.js');
export const { TikTok } = dist('TikTok.node.js');
export const { TikTokOAuth2Api } = require('../../dist/credentials/TikTokOAuth2Api.credentials.js');
export const { NodeApiError, NodeOperationError } = require('n8n-workflow');
export const {
	TikTokUnattendedApi,
} = require('../../dist/credentials/TikTokUnattendedApi.credentials.js');
export const { TikTokTrigger } = require('../../dist/nodes/TikTokTrigger/TikTokTrigger.node.js');
export const triggerSignature = require('../../dist/nodes/TikTokTrigger/signature.js');
export const triggerEvents = require('../../dist/nodes/TikTokTrigger/events.js');
