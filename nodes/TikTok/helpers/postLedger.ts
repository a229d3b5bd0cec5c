import type { INodeExecutionData } from 'n8n-workflow';

/**
 * What a posting operation did for one item of one node run, remembered in this process.
 * n8n's Retry On Fail runs the whole node again, every item, in the same execution and process
 * (also when Continue On Fail turned the first item into an error item), so without this memory
 * an item that already posted, or whose post may have gone through, would be posted again.
 */
export type LedgerEntry =
	| { outcome: 'posted'; items: INodeExecutionData[] }
	| { outcome: 'unknown'; error: Error };

/** n8n retries a node at most 5 times, at most 5 s apart: an hour covers every retry. */
const TTL_MS = 3_600_000;
const MAX_ENTRIES = 10_000;

const entries = new Map<string, { entry: LedgerEntry; expiresAt: number }>();

export function ledgerKey(
	executionId: string,
	nodeName: string,
	runIndex: number,
	itemIndex: number,
): string {
	return JSON.stringify([executionId, nodeName, runIndex, itemIndex]);
}

export function recall(key: string, now = Date.now()): LedgerEntry | undefined {
	const found = entries.get(key);
	if (found && found.expiresAt <= now) {
		entries.delete(key);
		return undefined;
	}
	return found?.entry;
}

export function remember(key: string, entry: LedgerEntry, now = Date.now()): void {
	entries.delete(key);
	entries.set(key, { entry, expiresAt: now + TTL_MS });
	while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
}
