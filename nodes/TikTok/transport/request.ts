import type { IDataObject, IHttpRequestMethods, JsonObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { sendWithConnectButton } from './auth/connectButton';
import { sendUnattended } from './auth/unattended';
import type { RequestContext } from './context';
import { authenticationOf, cancelSignalOf } from './context';
import { networkError, tikTokApiError, unknownOutcomeError } from './errors';
import type { ApiCall, HttpResponse } from './http';
import { parseEnvelope, SendFailure } from './http';
import type { SendResult } from './retryPolicy';
import { callKindOf, nextStep, retryDelayMs, TOKEN_RENEWALS } from './retryPolicy';

/** The scope each endpoint needs, named in scope_not_authorized errors (docs/tiktok-api.md#scopes). */
const SCOPE_FOR_PATH: Record<string, string> = {
	'/v2/user/info/':
		'user.info.basic (profile fields: user.info.profile, statistics: user.info.stats)',
	'/v2/post/publish/inbox/video/init/': 'video.upload',
	'/v2/post/publish/video/init/': 'video.publish',
	'/v2/post/publish/creator_info/query/': 'video.publish',
	'/v2/post/publish/content/init/': 'video.publish for Direct Post, video.upload for drafts',
	'/v2/post/publish/status/fetch/': 'video.upload or video.publish',
	'/v2/post/publish/cancel/': 'video.upload or video.publish',
	'/v2/video/list/': 'video.list',
	'/v2/video/query/': 'video.list',
};

/** What an init posts, for the unknown-outcome error. */
const ACTION_FOR_PATH: Record<string, string> = {
	'/v2/post/publish/inbox/video/init/': 'draft',
	'/v2/post/publish/video/init/': 'post',
	'/v2/post/publish/content/init/': 'photo post',
};

/**
 * Calls a TikTok JSON API (paths like `/v2/user/info/`) and returns its `data`. The host comes
 * from the credential, so n8n's CREDENTIALS_OVERWRITE_DATA can point a whole n8n elsewhere.
 * Success is `error.code === "ok"`, never the HTTP status alone. Which failures are sent again
 * is decided per call kind in retryPolicy.ts, the only place that repeats an API call.
 */
export async function tikTokApiRequest(
	this: RequestContext,
	method: IHttpRequestMethods,
	path: string,
	itemIndex: number,
	body?: IDataObject,
	qs?: IDataObject,
): Promise<IDataObject> {
	const send =
		authenticationOf(this, itemIndex) === 'unattended' ? sendUnattended : sendWithConnectButton;
	const call: ApiCall = {
		method,
		path,
		itemIndex,
		body,
		qs,
		kind: callKindOf(path, body),
		renewalsLeft: TOKEN_RENEWALS,
	};
	for (let attempt = 1; ; attempt++) {
		const sent = await sendOnce.call(this, send, call);
		const result: SendResult =
			'failure' in sent
				? { failure: sent.failure.mayHaveReached ? 'mayHaveReached' : 'notSent' }
				: {
						statusCode: sent.response.statusCode,
						retryAfter: sent.response.headers?.['retry-after'],
					};
		const step = nextStep(call.kind, result, attempt);
		if (step === 'answer' && 'response' in sent) {
			return envelopeData.call(this, call, sent.response);
		}
		const reason = 'failure' in sent ? sent.failure.message : `HTTP ${sent.response.statusCode}`;
		if (step === 'unknownOutcome') throw lostAnswer.call(this, call, reason);
		if (step !== 'retry' || cancelSignalOf(this)?.aborted) {
			throw networkError(this.getNode(), reason, itemIndex);
		}
		await sleep(retryDelayMs(result, attempt));
	}
}

type Sent = { response: HttpResponse } | { failure: SendFailure };

/** One send through the credential's path; a missing HTTP answer is returned, not thrown. */
async function sendOnce(
	this: RequestContext,
	send: (this: RequestContext, call: ApiCall) => Promise<HttpResponse>,
	call: ApiCall,
): Promise<Sent> {
	try {
		return { response: await send.call(this, call) };
	} catch (error) {
		if (error instanceof SendFailure) return { failure: error };
		// Errors of the credential paths are NodeApiErrors already; the constructor returns them.
		throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
	}
}

function envelopeData(this: RequestContext, call: ApiCall, response: HttpResponse): IDataObject {
	const envelope = parseEnvelope(response);
	if (!envelope.error || envelope.error.code !== 'ok') {
		throw tikTokApiError(
			this.getNode(),
			envelope.error ?? {
				code: `http_${response.statusCode}`,
				message: 'TikTok answered without an error object',
			},
			response.statusCode,
			call.itemIndex,
			SCOPE_FOR_PATH[call.path],
		);
	}
	return envelope.data ?? {};
}

function lostAnswer(this: RequestContext, call: ApiCall, reason: string) {
	return unknownOutcomeError(this.getNode(), {
		action: ACTION_FOR_PATH[call.path] ?? 'request',
		reason,
		itemIndex: call.itemIndex,
	});
}
