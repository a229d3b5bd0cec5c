import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { TikTokType } from './node.type';
import * as photo from './photo/Photo.resource';
import { postOnce } from './postOnce';
import * as user from './user/User.resource';
import * as video from './video/Video.resource';

/** Operations that create a draft or a post: run at most once per item and node run (postOnce). */
const POSTING_OPERATIONS = ['video.uploadDraft', 'video.directPost', 'photo.post'];

type Operation = (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;

const operations: {
	[R in keyof TikTokType]: Record<TikTokType[R], Operation>;
} = {
	video: {
		uploadDraft: video.uploadDraft.execute,
		directPost: video.directPost.execute,
		checkStatus: video.checkStatus.execute,
		cancel: video.cancel.execute,
		get: video.get.execute,
		getMany: video.getMany.execute,
	},
	photo: { post: photo.post.execute },
	user: {
		getUserInfo: user.getUserInfo.execute,
		getCreatorInfo: user.getCreatorInfo.execute,
	},
};

/** Runs the chosen operation for each item, one after another (TikTok limits are per account). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const returnData: INodeExecutionData[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const resource = this.getNodeParameter('resource', itemIndex) as keyof TikTokType;
		const operation = this.getNodeParameter('operation', itemIndex) as string;
		const run = (operations[resource] as Record<string, Operation> | undefined)?.[operation];
		try {
			if (!run) {
				throw new NodeOperationError(
					this.getNode(),
					`The operation "${operation}" is not known for "${resource}"`,
					{ itemIndex },
				);
			}
			const execute = async () => await run.call(this, itemIndex);
			returnData.push(
				...(POSTING_OPERATIONS.includes(`${resource}.${operation}`)
					? await postOnce.call(this, itemIndex, execute)
					: await execute()),
			);
		} catch (error) {
			if (!this.continueOnFail()) {
				// Both constructors hand back an error that already is of their type.
				if (error instanceof NodeApiError)
					throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
				throw new NodeOperationError(this.getNode(), error as Error, {
					itemIndex,
				});
			}
			returnData.push({
				json: errorJson(error),
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [returnData];
}

/** The error item for Continue On Fail: message, fix and TikTok's code and log_id when known. */
function errorJson(error: unknown): IDataObject {
	const json: IDataObject = {
		error: error instanceof Error ? error.message : String(error),
	};
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.description) json.description = error.description;
	}
	if (error instanceof NodeApiError) {
		const response = error.errorResponse as IDataObject | undefined;
		if (typeof response?.code === 'string') json.code = response.code;
		if (typeof response?.log_id === 'string') json.log_id = response.log_id;
	}
	return json;
}
