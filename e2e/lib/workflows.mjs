// Workflows as n8n stores them. The demo's workflow is the one shipped in examples/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_DIR } from './engine.mjs';
import { NODE_TYPE } from './n8nInstance.mjs';

export const EXAMPLE_PATH = join(PACKAGE_DIR, 'examples', 'upload-draft.json');
export const TRIGGER = 'Manual Trigger';

/**
 * examples/upload-draft.json with the video path and credential filled in: Manual Trigger →
 * Read Video (Read/Write Files from Disk) → Upload Draft → Wait → Check Status → Get User Info.
 */
export function exampleWorkflow({ videoPath, credential, id, chunkSizeMb }) {
	const workflow = JSON.parse(readFileSync(EXAMPLE_PATH, 'utf8'));
	for (const node of workflow.nodes) {
		if (node.name === 'Read Video') node.parameters.fileSelector = videoPath;
		if (node.type === NODE_TYPE)
			node.credentials = { tikTokOAuth2Api: { id: credential.id, name: credential.name } };
		if (node.name === 'Upload Draft' && chunkSizeMb)
			node.parameters.options = { chunkSize: chunkSizeMb };
	}
	if (id) workflow.id = id;
	return workflow;
}

const CREDENTIAL_OF = { oAuth2: 'tikTokOAuth2Api', unattended: 'tikTokUnattendedApi' };

/** A TikTok node for hand-built workflows, with either authentication. */
export function tikTokNode(name, parameters, credential, position, authentication = 'oAuth2') {
	return {
		id: name.toLowerCase().replace(/\W+/g, '-'),
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position,
		parameters: { authentication, ...parameters },
		credentials: { [CREDENTIAL_OF[authentication]]: { id: credential.id, name: credential.name } },
	};
}

/** The Manual Trigger node every hand-built workflow starts with (named TRIGGER). */
export const manualTrigger = () => ({
	id: 'trigger',
	name: TRIGGER,
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
});

/** Manual Trigger followed by TikTok nodes: steps are [name, parameters]. */
export function manualWorkflow(name, credential, steps, authentication = 'oAuth2') {
	const nodes = steps.map(([stepName, parameters], i) =>
		tikTokNode(stepName, parameters, credential, [220 * (i + 1), 0], authentication),
	);
	return {
		name,
		nodes: [manualTrigger(), ...nodes],
		connections: chain(TRIGGER, ...steps.map(([n]) => n)),
	};
}

/** Read/Write Files from Disk reading the video: a path, or an expression giving one. */
export function readVideoNode(fileSelector) {
	return {
		id: 'read',
		name: 'Read Video',
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1,
		position: [220, 0],
		parameters: { operation: 'read', fileSelector, options: {} },
	};
}

/** Manual Trigger → Read Video (Read/Write Files from Disk) → `uploadNode`. */
export function readThenUploadWorkflow(name, videoPath, uploadNode) {
	const read = readVideoNode(videoPath);
	return {
		name,
		nodes: [manualTrigger(), read, { ...uploadNode, position: [440, 0] }],
		connections: chain(TRIGGER, read.name, uploadNode.name),
	};
}

/** Connections for nodes that run one after another. */
export function chain(...names) {
	const connections = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}
