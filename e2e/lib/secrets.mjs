// Finds secrets in text that users, logs or execution data could show: every token value the
// sandbox handed out, the client secret, and upload URLs (they carry their own token).
export function findSecrets(text, sandbox) {
	const found = [];
	for (const secret of sandbox.secretValues()) {
		if (secret && text.includes(secret))
			found.push(`${secret.slice(0, 4)}… (${secret.length} chars)`);
	}
	if (text.includes(sandbox.uploadBaseUrl)) found.push('an upload URL');
	if (/upload_token=/.test(text)) found.push('an upload_token parameter');
	return found;
}
