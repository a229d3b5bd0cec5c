import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

/** What a TikTok request runs in: a node execution, or the editor loading the privacy levels. */
export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

const isExecution = (context: RequestContext): context is IExecuteFunctions =>
	'getInputData' in context;

/** The node's Authentication: the item's in an execution, the node's own when loading options. */
export function authenticationOf(context: RequestContext, itemIndex: number): string {
	return (
		isExecution(context)
			? context.getNodeParameter('authentication', itemIndex, 'oAuth2')
			: context.getNodeParameter('authentication', 'oAuth2')
	) as string;
}

/** The execution's cancel signal; loading options has none. */
export function cancelSignalOf(context: RequestContext): AbortSignal | undefined {
	return isExecution(context) ? context.getExecutionCancelSignal?.() : undefined;
}
