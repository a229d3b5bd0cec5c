import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { TikTokWebhookBody } from './events';

/** How many event keys the trigger remembers; TikTok retries one event for up to 72 hours. */
export const REMEMBERED_EVENTS = 1000;

/** How many trigger nodes (workflow × node × mode) keep an in-process memory; least recent out. */
const REMEMBERED_SCOPES = 100;

/**
 * The same event delivered twice has the same fields; the signature timestamp may differ. Also
 * the output's `event_key`, so a workflow can dedupe further down (e.g. Remove Duplicates).
 */
export function eventKey(body: TikTokWebhookBody): string {
	const fields = [body.client_key, body.event, body.create_time, body.user_openid, body.content];
	return createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 32);
}

/**
 * Why static data alone is not enough (n8n 2.8.4, LiveWebhooks.executeWebhook and
 * WebhookHelpers.executeWebhook): every production webhook request reads the workflow row afresh
 * (its own copy of the static data), runs the trigger, starts the execution (WorkflowRunner.run:
 * database writes, so other requests run meanwhile) and only then, in its response callback,
 * calls WorkflowStaticDataService.saveStaticData, which writes that copy's whole object back if
 * an assignment marked it changed (UPDATE ... SET staticData; last write wins). Concurrent
 * deliveries thus miss each other's keys, and a copy saved late overwrites keys saved meanwhile.
 *
 * So each trigger node also keeps its keys in this module (one per n8n process), checked and
 * updated synchronously: no request can slip in between the check and the update. The copy of
 * every request gets this very array, not a snapshot of it, so whichever copy n8n saves last
 * holds every key the process knows at that moment; keys only the copy had (saved by another
 * process or before a restart) are merged in as the oldest. Several webhook processes (queue
 * mode) each have their own memory and share only the static data, with the races above.
 */
interface Memory {
	keys: string[]; // oldest first; shared with the static data copies of recent requests
	known: Set<string>;
}

const memories = new Map<string, Memory>();

function memoryOf(scope: string): Memory {
	let memory = memories.get(scope);
	if (memory) {
		memories.delete(scope); // re-inserted below: the Map's order is least recently used first
	} else {
		memory = { keys: [], known: new Set() };
	}
	memories.set(scope, memory);
	if (memories.size > REMEMBERED_SCOPES) memories.delete(memories.keys().next().value as string);
	return memory;
}

/**
 * Says whether `key` was seen before in this trigger node (`scope`: workflow, node and mode),
 * remembers it, and leaves the union of the process's keys and the stored ones (the last `limit`,
 * oldest out) in `staticData.recentEventKeys`, which n8n saves after the delivery. Synchronous
 * on purpose: concurrent deliveries in one process are decided one after the other.
 */
export function seenBefore(
	staticData: IDataObject,
	key: string,
	scope: string,
	limit = REMEMBERED_EVENTS,
): boolean {
	const memory = memoryOf(scope);
	const stored = staticData.recentEventKeys;
	const older: string[] = [];
	if (Array.isArray(stored) && stored !== memory.keys) {
		for (const value of stored) {
			if (typeof value !== 'string' || memory.known.has(value)) continue;
			memory.known.add(value);
			older.push(value);
		}
		memory.keys.unshift(...older);
	}
	const seen = memory.known.has(key);
	if (!seen) {
		memory.known.add(key);
		memory.keys.push(key);
	}
	const excess = memory.keys.length - limit;
	if (excess > 0) for (const old of memory.keys.splice(0, excess)) memory.known.delete(old);
	// An assignment is what makes n8n save the copy: done when the copy lacks a key or holds one
	// too many, so a duplicate whose copy is complete writes nothing.
	const differs = stored === memory.keys ? !seen || excess > 0 : !sameKeys(stored, memory.keys);
	if (differs) staticData.recentEventKeys = memory.keys;
	return seen;
}

function sameKeys(stored: unknown, keys: string[]): boolean {
	if (!Array.isArray(stored) || stored.length !== keys.length) return false;
	return stored.every((value, index) => value === keys[index]);
}

/** For tests: forgets every in-process memory (as a restart of n8n does). */
export function forgetAllRecentEvents(): void {
	memories.clear();
}
