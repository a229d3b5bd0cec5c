import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ledgerKey, recall, remember } from '../helpers/postLedger';
import { isUnknownOutcome } from '../transport/errors';

/**
 * Runs a posting operation for one item at most once per node run. A run that posted returns the
 * same output when n8n runs the node again (Retry On Fail); a run whose outcome is unknown throws
 * the same error again without calling TikTok. Errors from before TikTok acted, or from uploads
 * TikTok never completed, are not remembered: repeating those cannot post twice.
 */
export async function postOnce(
	this: IExecuteFunctions,
	itemIndex: number,
	post: () => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const key = ledgerKey(
		this.getExecutionId(),
		this.getNode().name,
		runIndexOf.call(this, itemIndex),
		itemIndex,
	);
	const earlier = recall(key);
	if (earlier?.outcome === 'posted') return earlier.items;
	if (earlier?.outcome === 'unknown') throw earlier.error;
	try {
		const items = await post();
		remember(key, { outcome: 'posted', items });
		return items;
	} catch (error) {
		if (isUnknownOutcome(error)) remember(key, { outcome: 'unknown', error: error as Error });
		// Both constructors hand back an error that already is of their type.
		if (error instanceof NodeApiError)
			throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
	}
}

/** Which run of this node in the execution (a loop runs it again with new items). */
function runIndexOf(this: IExecuteFunctions, itemIndex: number): number {
	try {
		const runIndex = Number(this.getWorkflowDataProxy(itemIndex).$runIndex);
		return Number.isInteger(runIndex) ? runIndex : 0;
	} catch {
		return 0;
	}
}
