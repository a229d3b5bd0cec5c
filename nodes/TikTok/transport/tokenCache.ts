import { createHash } from 'crypto';

/**
 * Access tokens this node obtained by refreshing, kept in memory only for the rest of the same
 * workflow execution (an OAuth2 credential cannot be written back by a node). Keyed by execution
 * and a fingerprint of the stored refresh token, so a reconnected credential never picks up an
 * old entry. Small and time-bound: entries die with the token or after MAX_ENTRIES newer ones.
 */
export interface RefreshedToken {
	accessToken: string;
	refreshToken: string;
	expiresAt: number;
}

const MAX_ENTRIES = 100;
const entries = new Map<string, RefreshedToken>();

export function tokenCacheKey(executionId: string, storedRefreshToken: string): string {
	const fingerprint = createHash('sha256').update(storedRefreshToken).digest('hex').slice(0, 32);
	return `${executionId}:${fingerprint}`;
}

export function getRefreshedToken(key: string): RefreshedToken | undefined {
	const entry = entries.get(key);
	if (entry && entry.expiresAt <= Date.now()) {
		entries.delete(key);
		return undefined;
	}
	return entry;
}

export function setRefreshedToken(key: string, token: RefreshedToken): void {
	entries.delete(key);
	entries.set(key, token);
	while (entries.size > MAX_ENTRIES) {
		const oldest = entries.keys().next().value as string;
		entries.delete(oldest);
	}
}
