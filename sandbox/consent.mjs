// The authorize screen a browser sees (config.consentPage: true): TikTok's consent page with the
// app's name, the account, the scopes asked for, and Authorize / Cancel. Off by default, so the
// tests that need no browser keep getting the code at once (oauth.mjs). Authorize and Cancel come
// back as a GET to the same authorize path (the sandbox routes nothing else there) carrying only
// the one-time id of the request shown; the client_key, redirect_uri, scopes and state checked
// when the page was shown are the ones used, whatever else the decision's URL says.
import { randomToken } from './http.mjs';

export const CONSENT_PARAM = 'sandbox_consent';
export const DECISION_PARAM = 'sandbox_decision';
export const DEFAULT_APP_NAME = 'TikTok sandbox app';

/** What TikTok's consent screen says each scope lets the app do. */
export const SCOPE_TEXTS = {
	'user.info.basic': 'Read your profile info (avatar, display name)',
	'user.info.profile': 'Read your profile details (bio, profile link, verified status, username)',
	'user.info.stats': 'Read your statistics (likes, followers, following, videos)',
	'video.upload': 'Share content to your TikTok inbox as drafts',
	'video.publish': 'Post content directly to your TikTok profile',
	'video.list': 'Read your public videos',
};

/** The redirect's error_description when the user presses Cancel (error=access_denied; docs/tiktok-api.md#authorize). */
export const ACCESS_DENIED_DESCRIPTION = 'The user denied the authorization request.';

const pending = (state) => (state.consents ??= new Map());

/**
 * Remembers a checked authorize request and answers the consent page. `record` is its entry in
 * state.authorizeRequests (it gets consent: 'shown', later 'authorized' or 'cancelled').
 */
export function showConsentPage(res, { state, config, record, query, scopes }) {
	const id = randomToken('consent.', 16);
	pending(state).set(id, { record, query, scopes });
	record.consent = 'shown';
	res.writeHead(200, {
		'Content-Type': 'text/html; charset=utf-8',
		'Cache-Control': 'no-store',
		// The page runs no script. (No form-action: browsers apply it to the redirect that follows the
		// form, and that redirect goes to the app's redirect URI on another host.)
		'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
	});
	res.end(
		consentHtml({ id, appName: config.appName ?? DEFAULT_APP_NAME, user: config.user, scopes }),
	);
}

/**
 * Takes the decision for a consent id once. Returns { record, query, scopes, decision } or
 * { error } for an unknown or already answered id, or a decision that is neither button.
 */
export function takeDecision(state, searchParams) {
	const id = searchParams.get(CONSENT_PARAM) ?? '';
	const decision = searchParams.get(DECISION_PARAM);
	const request = pending(state).get(id);
	if (!request) return { error: 'this consent request is unknown or was already answered' };
	if (decision !== 'authorize' && decision !== 'cancel')
		return { error: `${DECISION_PARAM} must be authorize or cancel` };
	pending(state).delete(id);
	request.record.consent = decision === 'authorize' ? 'authorized' : 'cancelled';
	return { ...request, decision };
}

export const isDecision = (searchParams) => searchParams.has(CONSENT_PARAM);

function consentHtml({ id, appName, user, scopes }) {
	const items = scopes
		.map(
			(scope) =>
				`<li data-scope="${escape(scope)}"><strong>${escape(SCOPE_TEXTS[scope] ?? scope)}</strong><code>${escape(scope)}</code></li>`,
		)
		.join('\n');
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authorize ${escape(appName)} – TikTok sandbox</title>
<style>
body { font-family: system-ui, sans-serif; background: #f1f1f2; margin: 0; color: #161823; }
main { max-width: 420px; margin: 40px auto; background: #fff; border-radius: 8px; padding: 28px; }
h1 { font-size: 20px; margin: 0 0 8px; }
p { color: #555; font-size: 14px; }
ul { padding: 0; list-style: none; }
li { padding: 10px 0; border-bottom: 1px solid #eee; font-size: 14px; }
li code { display: block; color: #888; font-size: 12px; margin-top: 2px; }
.buttons { display: flex; gap: 12px; margin-top: 24px; }
button { flex: 1; padding: 12px; border-radius: 4px; font-size: 15px; border: 1px solid #ccc; background: #fff; cursor: pointer; }
button[value="authorize"] { background: #fe2c55; color: #fff; border-color: #fe2c55; }
</style>
</head>
<body>
<main>
<p>TikTok sandbox (127.0.0.1): nothing here is TikTok.</p>
<h1 id="app-name">${escape(appName)} would like to access your TikTok account</h1>
<p id="account">Logged in as ${escape(user?.display_name ?? '')} (@${escape(user?.username ?? '')})</p>
<p>This app will be able to:</p>
<ul id="scopes">
${items}
</ul>
<form method="get" action="/v2/auth/authorize/">
<input type="hidden" name="${CONSENT_PARAM}" value="${escape(id)}">
<div class="buttons">
<button type="submit" name="${DECISION_PARAM}" value="cancel">Cancel</button>
<button type="submit" name="${DECISION_PARAM}" value="authorize">Authorize</button>
</div>
</form>
</main>
</body>
</html>
`;
}

function escape(text) {
	return String(text).replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
	);
}
