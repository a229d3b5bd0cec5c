// Assertions the default suite and the version-matrix smoke suite share (jest's global `expect`).

/** The Connect button sent client_key on authorize and on the code exchange, and n8n stored a token. */
export function expectConnectedWithClientKey(n8n, sandbox, connection) {
	expect(connection.authorizeUrl.searchParams.get('client_key')).toBe(sandbox.clientKey);
	expect(connection.page).not.toMatch(/error/i);
	const [authorize] = sandbox.state.authorizeRequests;
	expect(authorize.query).toMatchObject({
		client_key: sandbox.clientKey,
		redirect_uri: `${n8n.baseUrl}/rest/oauth2-credential/callback`,
	});
	const [exchange] = sandbox.state.tokenRequests;
	expect(exchange).toMatchObject({
		grant_type: 'authorization_code',
		hasClientKey: true,
		clientKey: sandbox.clientKey,
		ok: true,
	});
}

/** The example workflow's upload arrived complete, in `chunkCount` ranges, with the file's SHA-256. */
export function expectByteExact(run, video, chunkCount) {
	expect(run.result.status).toBe('success');
	expect(run.uploaded).toMatchObject({ video_size: video.size, total_chunk_count: chunkCount });
	expect(run.received).toMatchObject({
		complete: true,
		bytesReceived: video.size,
		sha256: video.sha256,
	});
	expect(run.received.ranges).toHaveLength(chunkCount);
	expect(run.received.ranges.at(-1)).toBe(
		`${(chunkCount - 1) * run.uploaded.chunk_size}-${video.size - 1}`,
	);
	expect(run.result.outputOf('Check Status')[0]).toMatchObject({ status: 'SEND_TO_USER_INBOX' });
}
