// Power-user operations inside a real n8n: Direct Post from a binary, Upload Draft from a URL
// (the sandbox pulls it from a local https server) and Wait for Completion; the privacy list the
// editor shows comes from the creator info through n8n's load-options endpoint.
import { ensureN8nEngine } from './lib/engine.mjs';
import { NODE_TYPE } from './lib/n8nInstance.mjs';
import { runWorkflow } from './lib/scenario.mjs';
import { findSecrets } from './lib/secrets.mjs';
import { useN8n } from './lib/useN8n.mjs';
import { writeSampleVideo } from './lib/videos.mjs';
import { manualWorkflow, readThenUploadWorkflow, tikTokNode } from './lib/workflows.mjs';

const engine = ensureN8nEngine();
const WAIT = { waitForCompletion: true, pollIntervalSeconds: 2, waitTimeoutSeconds: 60 };
const { files, sandbox, media, n8n, credential } = useN8n({
	engine,
	media: 'https',
	sandbox: { processingMs: 500 },
	connect: { scopes: 'user.info.basic,video.upload,video.publish' },
});
const video = writeSampleVideo(files, 'post.mp4', 70_000_123);

test('Read/Write Files from Disk → Direct Post, waiting: published, byte-exact, exact post ids', async () => {
	const post = tikTokNode(
		'Direct Post',
		{
			resource: 'video',
			operation: 'directPost',
			videoSource: 'binary',
			binaryPropertyName: 'data',
			privacyLevel: 'PUBLIC_TO_EVERYONE',
			title: 'Sandbox #cat 😀 @tiktok',
			options: { allowComment: true, isAiGenerated: true, ...WAIT },
		},
		credential,
		[440, 0],
	);
	const run = await runWorkflow(
		n8n,
		engine,
		readThenUploadWorkflow('direct post', video.path, post),
	);
	expect(run.result.status).toBe('success');
	const [json] = run.result.outputOf('Direct Post');
	expect(json).toMatchObject({
		status: 'PUBLISH_COMPLETE',
		total_chunk_count: 7,
		creator_nickname: 'Sandbox Creator',
	});
	expect(json.publicaly_available_post_id[0]).toMatch(/^\d{19}$/);
	const received = sandbox.state.uploads[json.publish_id];
	expect(received).toMatchObject({ sha256: video.sha256, bytesReceived: video.size });
	expect(received.postInfo).toMatchObject({
		privacy_level: 'PUBLIC_TO_EVERYONE',
		title: 'Sandbox #cat 😀 @tiktok',
		disable_comment: false,
		is_aigc: true,
	});
	expect(findSecrets(JSON.stringify(run.execution), sandbox)).toEqual([]);
});

test('Upload Draft from a URL, then Check Status waiting: in the inbox with every byte downloaded', async () => {
	const run = await runWorkflow(
		n8n,
		engine,
		manualWorkflow('draft from url', credential, [
			[
				'Upload Draft',
				{
					resource: 'video',
					operation: 'uploadDraft',
					videoSource: 'url',
					videoUrl: media.urlOf('post.mp4'),
					options: {},
				},
			],
			[
				'Check Status',
				{
					resource: 'video',
					operation: 'checkStatus',
					publishId: '={{ $json.publish_id }}',
					options: WAIT,
				},
			],
		]),
	);
	expect(run.result.status).toBe('success');
	const [json] = run.result.outputOf('Check Status');
	expect(json).toMatchObject({ status: 'SEND_TO_USER_INBOX', downloaded_bytes: video.size });
	expect(json.status_checks).toBeGreaterThanOrEqual(1);
	expect(sandbox.state.uploads[json.publish_id]).toMatchObject({ sha256: video.sha256 });
});

test("the editor's privacy list is the creator's options (n8n's load-options endpoint)", async () => {
	sandbox.configure({ creator: { privateAccount: true } });
	try {
		const options = await n8n.rest.request('POST', '/rest/dynamic-node-parameters/options', {
			nodeTypeAndVersion: { name: NODE_TYPE, version: 1 },
			methodName: 'getPrivacyLevels',
			path: 'parameters.privacyLevel',
			currentNodeParameters: {
				authentication: 'oAuth2',
				resource: 'video',
				operation: 'directPost',
				privacyLevel: '',
			},
			credentials: { tikTokOAuth2Api: { id: credential.id, name: credential.name } },
		});
		expect(options.map((option) => option.value)).toEqual([
			'FOLLOWER_OF_CREATOR',
			'MUTUAL_FOLLOW_FRIENDS',
			'SELF_ONLY',
		]);
	} finally {
		sandbox.configure({ creator: { privateAccount: false } });
	}
});
