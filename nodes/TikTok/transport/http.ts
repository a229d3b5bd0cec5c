import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

import { parseJsonObject } from '../../shared/losslessJson';
import { API_TIMEOUT_MS } from '../../shared/tikTokApi';
import type { TikTokError } from './errors';
import type { CallKind } from './retryPolicy';

export interface HttpResponse {
	statusCode: number;
	body: unknown;
	headers?: Record<string, string | undefined>;
}

/** One TikTok API call of one item. */
export interface ApiCall {
	method: IHttpRequestMethods;
	path: string;
	itemIndex: number;
	kind: CallKind;
	body?: IDataObject;
	qs?: IDataObject;
	/** Token renewals this call may still make (shared by its tries, see retryPolicy.ts). */
	renewalsLeft: number;
}

export interface Envelope {
	data?: IDataObject;
	error?: TikTokError;
}

/**
 * A send that produced no HTTP answer. `mayHaveReached`: the request may have arrived (reset,
 * timeout); otherwise the connection never carried it (refused, name not resolved). Holds only
 * the error's message: the original error carries the request, Authorization header included.
 */
export class SendFailure extends Error {
	constructor(
		message: string,
		readonly mayHaveReached: boolean,
	) {
		super(message);
		this.name = 'SendFailure';
	}
}

/** Connection errors that happen before a request is written: TikTok cannot have seen it. */
const NOT_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];

export function sendFailureFrom(error: unknown): SendFailure {
	const message = error instanceof Error ? error.message : String(error);
	return new SendFailure(
		message,
		!systemCodesIn(error).some((code) => NOT_SENT_CODES.includes(code)),
	);
}

/**
 * System error codes (ECONNREFUSED…) of an error and what it wraps: axios' `code`, or the code
 * word in the messages n8n keeps when it wraps the error in a NodeApiError.
 */
function systemCodesIn(error: unknown): string[] {
	const codes: string[] = [];
	for (const cause of causes(error)) {
		const { code, message, messages } = cause as {
			code?: unknown;
			message?: unknown;
			messages?: unknown;
		};
		if (typeof code === 'string') codes.push(code);
		for (const text of [message, ...(Array.isArray(messages) ? messages : [])]) {
			if (typeof text === 'string') codes.push(...(text.match(/\bE[A-Z]{3,}\b/g) ?? []));
		}
	}
	return codes;
}

/** The error and its `cause` chain (n8n wraps errors of its helpers in NodeApiError). */
function causes(error: unknown): unknown[] {
	const chain: unknown[] = [];
	for (let cause = error; cause && typeof cause === 'object' && chain.length < 10; ) {
		chain.push(cause);
		cause = (cause as { cause?: unknown }).cause;
	}
	return chain;
}

/**
 * The HTTP status of an answer n8n threw (a non-2xx with HTTP errors thrown). n8n's NodeApiError
 * keeps the status as `httpCode` but drops axios' response body.
 */
export function httpStatusIn(error: unknown): number | undefined {
	for (const cause of causes(error)) {
		const { response, httpCode } = cause as { response?: { status?: unknown }; httpCode?: unknown };
		const status = Number(response?.status ?? httpCode ?? NaN);
		if (Number.isInteger(status) && status >= 100) return status;
	}
	return undefined;
}

export function requestOptions(
	apiBaseUrl: string,
	{ method, path, body, qs }: ApiCall,
): IHttpRequestOptions {
	return {
		method,
		url: `${apiBaseUrl.replace(/\/+$/, '')}${path}`,
		qs,
		body,
		headers: body ? { 'Content-Type': 'application/json; charset=UTF-8' } : {},
		// Raw text: the envelope is parsed losslessly (19-digit post ids) and never thrown by axios.
		encoding: 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: API_TIMEOUT_MS,
	};
}

export function parseEnvelope(response: HttpResponse): Envelope {
	return parseJsonObject(response.body) as Envelope;
}

export const isExpiredToken = (response: HttpResponse) =>
	response.statusCode === 401 && parseEnvelope(response).error?.code === 'access_token_invalid';
