// Login Kit v2 (docs/tiktok-api.md#oauth): authorize auto-approves, or with config.consentPage shows
// a consent page a browser approves or cancels (consent.mjs); the token endpoint is strict about
// client_key, form encoding, single-use codes, exact redirect_uri and refresh-token rotation.
import { createHash } from 'node:crypto';
import {
	ACCESS_DENIED_DESCRIPTION,
	isDecision,
	showConsentPage,
	takeDecision,
} from './consent.mjs';
import { contentTypeOf, logId, randomToken, readSmallBody, sendJson } from './http.mjs';
import { takeFault } from './state.mjs';

export function handleAuthorize(req, res, url, { state, config }) {
	if (isDecision(url.searchParams)) return answerConsent(res, url, { state, config });
	const query = Object.fromEntries(url.searchParams);
	const record = { query: { ...query } };
	state.authorizeRequests.push(record);
	const fail = (message) => {
		res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
		res.end(`TikTok sandbox: ${message}`);
	};
	if (!query.client_key)
		return fail("client_key is missing (client_id is not TikTok's name for it)");
	if (query.client_key !== config.clientKey) return fail('unknown client_key');
	const redirectUri = query.redirect_uri ?? '';
	if (!isValidRedirectUri(redirectUri, config)) return fail('redirect_uri is not registered');

	const back = backTo(query);
	const scopes = String(query.scope ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const error =
		query.response_type !== 'code'
			? 'unsupported_response_type'
			: scopes.length === 0 || scopes.some((s) => !config.appScopes.includes(s))
				? 'invalid_scope'
				: undefined;
	if (error) {
		back.searchParams.set('error', error);
		back.searchParams.set('error_description', `${error} in the authorization request`);
	} else if (config.consentPage) {
		// A browser approves on TikTok's consent screen (consent.mjs); the code comes after Authorize.
		return showConsentPage(res, { state, config, record, query, scopes });
	} else {
		addCode(back, query, scopes, { state, config });
	}
	redirect(res, back);
}

/** Authorize or Cancel on the consent page, for the request checked when the page was shown. */
function answerConsent(res, url, { state, config }) {
	const taken = takeDecision(state, url.searchParams);
	if (taken.error) {
		res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
		return res.end(`TikTok sandbox: ${taken.error}`);
	}
	const back = backTo(taken.query);
	if (taken.decision === 'cancel') {
		back.searchParams.set('error', 'access_denied');
		back.searchParams.set('error_description', ACCESS_DENIED_DESCRIPTION);
	} else {
		addCode(back, taken.query, taken.scopes, { state, config });
	}
	redirect(res, back);
}

/** The redirect URI with the request's state, as TikTok sends it back. */
function backTo(query) {
	const back = new URL(query.redirect_uri);
	if (query.state !== undefined) back.searchParams.set('state', query.state);
	return back;
}

function addCode(back, query, scopes, { state, config }) {
	const code = randomToken('code.', 16);
	state.codes.set(code, {
		clientKey: query.client_key,
		redirectUri: query.redirect_uri,
		scopes,
		challenge: query.code_challenge,
		expiresAt: Date.now() + config.codeTtlSeconds * 1000,
		used: false,
	});
	back.searchParams.set('code', code);
	back.searchParams.set('scopes', scopes.join(','));
}

function redirect(res, location) {
	res.writeHead(302, { Location: location.toString() });
	res.end();
}

function isValidRedirectUri(uri, config) {
	if (config.redirectUris.length) return config.redirectUris.includes(uri);
	try {
		const parsed = new URL(uri);
		return ['http:', 'https:'].includes(parsed.protocol) && !parsed.search && !parsed.hash;
	} catch {
		return false;
	}
}

export async function handleToken(req, res, { state, config }) {
	const body = await readSmallBody(req);
	const form = new URLSearchParams(body);
	const record = {
		grant_type: form.get('grant_type'),
		contentType: contentTypeOf(req),
		hasClientKey: form.has('client_key'),
		hasClientId: form.has('client_id'),
		clientKey: form.get('client_key'),
		basicAuth: /^basic /i.test(String(req.headers.authorization ?? '')),
		ok: false,
		error: undefined,
	};
	state.tokenRequests.push(record);
	const fail = (error, description, status = config.tokenErrorStatus) => {
		record.error = error;
		sendJson(res, status, { error, error_description: description, log_id: logId() });
	};

	const fault = takeFault(state, (f) => f.target === 'token');
	if (fault?.kind === 'status') {
		const error = fault.status >= 500 ? 'temporarily_unavailable' : 'server_error';
		return fail(error, 'Injected fault', fault.status);
	}
	if (fault?.kind === 'errorBody')
		return fail(fault.error ?? 'invalid_grant', 'Injected error body', 200);

	if (record.contentType !== 'application/x-www-form-urlencoded') {
		return fail('invalid_request', 'The request parameters are malformed.');
	}
	if (!form.get('client_key')) return fail('invalid_client', 'client_key is missing.');
	if (
		form.get('client_key') !== config.clientKey ||
		form.get('client_secret') !== config.clientSecret
	) {
		return fail('invalid_client', 'Client key or secret is invalid.');
	}

	const grantType = form.get('grant_type');
	if (grantType === 'authorization_code')
		return exchangeCode(form, record, fail, res, state, config);
	if (grantType === 'refresh_token') return refresh(form, record, fail, res, state, config);
	return fail('unsupported_grant_type', 'The grant type is not supported.');
}

function exchangeCode(form, record, fail, res, state, config) {
	const code = state.codes.get(form.get('code') ?? '');
	if (
		!code ||
		code.used ||
		code.expiresAt < Date.now() ||
		code.clientKey !== form.get('client_key')
	) {
		return fail('invalid_grant', 'Authorization code is expired or invalid.');
	}
	code.used = true; // single use, even when the rest of the request is wrong
	if (form.get('redirect_uri') !== code.redirectUri) {
		return fail(
			'invalid_request',
			'Redirect_uri is not matched with the uri when requesting code.',
		);
	}
	if (code.challenge) {
		const verifier = form.get('code_verifier') ?? '';
		if (createHash('sha256').update(verifier).digest('hex') !== code.challenge) {
			return fail('invalid_request', 'Code verifier or code challenge is invalid.');
		}
	}
	record.ok = true;
	sendJson(res, 200, issueTokens(state, config, code.scopes));
}

function refresh(form, record, fail, res, state, config) {
	const refreshToken = form.get('refresh_token') ?? '';
	const stored = state.refreshTokens.get(refreshToken);
	if (!stored || !stored.valid || stored.expiresAt < Date.now()) {
		return fail('invalid_grant', 'Refresh token is invalid or expired.');
	}
	record.ok = true;
	if (config.rotateRefreshTokens) {
		stored.valid = false; // the old refresh token stops working once a new one is issued
		return sendJson(res, 200, issueTokens(state, config, stored.scopes));
	}
	sendJson(res, 200, issueTokens(state, config, stored.scopes, refreshToken));
}

/** A token pair for the sandbox user, shaped like TikTok's flat token response. */
export function issueTokens(state, config, scopes, keepRefreshToken) {
	const now = Date.now();
	const accessToken = randomToken('act.');
	state.accessTokens.set(accessToken, {
		openId: config.user.open_id,
		scopes,
		expiresAt: now + config.accessTokenTtlSeconds * 1000,
		revoked: false,
	});
	const refreshToken = keepRefreshToken ?? randomToken('rft.');
	if (!keepRefreshToken) {
		state.refreshTokens.set(refreshToken, {
			openId: config.user.open_id,
			scopes,
			expiresAt: now + config.refreshTokenTtlSeconds * 1000,
			valid: true,
		});
	}
	return {
		access_token: accessToken,
		expires_in: config.accessTokenTtlSeconds,
		open_id: config.user.open_id,
		refresh_expires_in: config.refreshTokenTtlSeconds,
		refresh_token: refreshToken,
		scope: scopes.join(','),
		token_type: 'Bearer',
	};
}

export async function handleRevoke(req, res, { state, config }) {
	const form = new URLSearchParams(await readSmallBody(req));
	if (
		form.get('client_key') !== config.clientKey ||
		form.get('client_secret') !== config.clientSecret
	) {
		return sendJson(res, config.tokenErrorStatus, {
			error: 'invalid_client',
			error_description: 'Client key or secret is invalid.',
			log_id: logId(),
		});
	}
	const token = state.accessTokens.get(form.get('token') ?? '');
	if (token) token.revoked = true;
	sendJson(res, 200, {});
}
