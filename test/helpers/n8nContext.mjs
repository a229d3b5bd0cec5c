// An IExecuteFunctions built the way n8n 2.x builds it for a node (and the ILoadOptionsFunctions
// the editor's option lists run in), from the parts that matter here: parameters, input items,
// credentials, the axios-based httpRequest (ported from n8n-core's convertN8nRequestToAxios), the
// OAuth2 path of httpRequestWithAuthentication (Bearer from the stored oauthTokenData; n8n's own
// refresh only on a thrown 401), and the binary-data helpers of the id-backed (filesystem) and
// in-memory modes. The real-n8n suite in e2e/ checks the rest.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import axios from 'axios';

const BINARY_ENCODING = 'base64';

/** n8n-workflow's isObjectEmpty: cheap for buffers and streams (Object.keys on a 10 MB Buffer is not). */
function isObjectEmpty(value) {
	if (ArrayBuffer.isView(value)) return value.byteLength === 0;
	if (Symbol.iterator in value || Symbol.asyncIterator in value) return false;
	for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) return false;
	return true;
}

export function toAxiosConfig(request) {
	const config = {
		headers: { ...(request.headers ?? {}) },
		method: request.method ?? 'GET',
		timeout: request.timeout,
		url: request.url,
		maxBodyLength: Infinity,
		maxContentLength: Infinity,
		params: request.qs,
	};
	if (request.abortSignal) config.signal = request.abortSignal;
	if (request.encoding !== undefined) config.responseType = request.encoding;
	const { body } = request;
	if (body) {
		const contentTypeKey = Object.keys(config.headers).find(
			(k) => k.toLowerCase() === 'content-type',
		);
		if (contentTypeKey === undefined && body instanceof URLSearchParams) {
			config.headers['Content-Type'] = 'application/x-www-form-urlencoded';
		} else if (
			contentTypeKey &&
			config.headers[contentTypeKey] === 'application/x-www-form-urlencoded'
		) {
			config.data = new URLSearchParams(body);
		}
		if (
			typeof body === 'string' ||
			Buffer.isBuffer(body) ||
			(typeof body === 'object' && !isObjectEmpty(body))
		) {
			config.data = body;
		}
	}
	if (request.json && !Object.keys(config.headers).some((k) => k.toLowerCase() === 'accept')) {
		config.headers.Accept = 'application/json';
	}
	if (!Object.keys(config.headers).some((k) => k.toLowerCase() === 'user-agent')) {
		config.headers['User-Agent'] = 'n8n';
	}
	if (request.ignoreHttpStatusErrors) config.validateStatus = () => true;
	if (config.data === undefined || config.method.toUpperCase() === 'GET') delete config.data;
	return config;
}

export async function httpRequest(request, log) {
	log?.push({ method: request.method, url: request.url, headers: { ...(request.headers ?? {}) } });
	const result = await axios(toAxiosConfig(request));
	if (request.returnFullResponse) {
		return {
			body: result.data,
			headers: result.headers,
			statusCode: result.status,
			statusMessage: result.statusText,
		};
	}
	return result.data;
}

/**
 * Binary data as n8n hands it to a node. mode 'filesystem': an id, metadata and a file stream
 * (pieces of the requested size, like fs.createReadStream with highWaterMark); 'odd-pieces': an
 * id whose stream yields irregular small pieces (S3); 'database': the whole file in one piece, as
 * n8n's database mode reads it back; 'memory': base64 data.
 */
export function binaryFromFile(
	path,
	{ mode = 'filesystem', mimeType = 'video/mp4', fileName = 'video.mp4' } = {},
) {
	if (mode === 'memory') {
		return { data: readFileSync(path).toString(BINARY_ENCODING), mimeType, fileName };
	}
	return {
		id: `${mode}:${path}`,
		data: 'filesystem-v2',
		mimeType,
		fileName,
		fileSize: String(statSync(path).size),
	};
}

export function binaryHelpers(streamsOpened = []) {
	const pathOf = (id) => id.slice(id.indexOf(':') + 1);
	return {
		async getBinaryMetadata(id) {
			return { fileSize: statSync(pathOf(id)).size };
		},
		async getBinaryStream(id, chunkSize) {
			const path = pathOf(id);
			const stream = id.startsWith('odd-pieces:')
				? Readable.from(oddPieces(path))
				: id.startsWith('database:')
					? Readable.from([readFileSync(path)])
					: createReadStream(path, { highWaterMark: chunkSize });
			streamsOpened.push(stream);
			return stream;
		},
	};
}

async function* oddPieces(path) {
	const sizes = [1, 16_384, 7, 65_536, 999_999, 3];
	let i = 0;
	for await (const piece of createReadStream(path, { highWaterMark: 1_048_576 })) {
		let offset = 0;
		while (offset < piece.length) {
			const size = sizes[i++ % sizes.length];
			yield piece.subarray(offset, offset + size);
			offset += size;
		}
	}
}

/** The INode n8n hands a TikTok node, with the given parameters. */
export function testNode(parameters = {}) {
	return {
		id: 'node-1',
		name: 'TikTok',
		type: 'n8n-nodes-tiktok-posting.tikTok',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { tikTokOAuth2Api: { id: 'credential-1', name: 'TikTok account' } },
	};
}

let executions = 0;

export function createExecuteFunctions({
	parameters,
	items = [{ json: {} }],
	credentials,
	continueOnFail = false,
	// A new id per context, like n8n: the node remembers posts per execution (Retry On Fail).
	executionId = `execution-${++executions}`,
	runIndex = 0,
	cancelSignal,
	requestLog = [],
	streamsOpened = [],
	helperOverrides = {},
}) {
	const node = testNode(parameters);
	const parameterAt = (itemIndex) =>
		typeof parameters === 'function' ? parameters(itemIndex) : parameters;
	const context = {
		getNode: () => node,
		getInputData: () => items,
		getExecutionId: () => executionId,
		getWorkflowDataProxy: () => ({ $runIndex: runIndex }),
		getExecutionCancelSignal: () => cancelSignal,
		continueOnFail: () => continueOnFail,
		getNodeParameter(name, itemIndex, fallback) {
			const value = name
				.split('.')
				.reduce((obj, key) => (obj == null ? undefined : obj[key]), parameterAt(itemIndex));
			if (value === undefined) {
				if (arguments.length >= 3) return fallback;
				throw new Error(`Could not get parameter "${name}"`);
			}
			return value;
		},
		async getCredentials(type) {
			if (type !== 'tikTokOAuth2Api') throw new Error(`Node does not have credential type ${type}`);
			return structuredClone(credentials);
		},
		helpers: {
			httpRequest: (request) => httpRequest(request, requestLog),
			async httpRequestWithAuthentication(type, request) {
				const data = await context.getCredentials(type);
				const token = data.oauthTokenData?.access_token;
				if (!token) throw new Error('Unable to sign without access token');
				return httpRequest(
					{ ...request, headers: { ...(request.headers ?? {}), Authorization: `Bearer ${token}` } },
					requestLog,
				);
			},
			...binaryHelpers(streamsOpened),
			...helperOverrides,
			returnJsonArray: (data) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (data, { itemData }) =>
				data.map((d) => ({ ...d, pairedItem: itemData })),
		},
	};
	return context;
}

/**
 * The context n8n runs a loadOptions method in (the editor asking for a list): no items, no
 * execution (getExecutionId gives undefined), no cancel signal, and getNodeParameter(name,
 * fallback) without an item index. The rest as in an execution.
 */
export function createLoadOptionsFunctions({ parameters, credentials, requestLog = [] }) {
	const execution = createExecuteFunctions({ parameters, credentials, requestLog });
	return {
		getNode: execution.getNode,
		getExecutionId: () => undefined,
		getCredentials: execution.getCredentials,
		getNodeParameter(name, fallback) {
			const value = parameters[name];
			if (value !== undefined) return value;
			if (arguments.length >= 2) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		getCurrentNodeParameter: (name) => parameters[name],
		helpers: {
			httpRequest: execution.helpers.httpRequest,
			httpRequestWithAuthentication: execution.helpers.httpRequestWithAuthentication,
		},
	};
}
