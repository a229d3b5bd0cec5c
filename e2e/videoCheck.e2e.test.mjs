// What TikTok checks later, checked before the upload, inside a real n8n: real video files (the
// header fixtures) read from disk, the creator's longest post, TikTok failing a post after it
// accepted the bytes (the sandbox's processing faults), and Video → Get for the published link.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROCESSING_FAIL_REASONS } from '../sandbox/state.mjs';
import { ensureN8nEngine, PACKAGE_DIR } from './lib/engine.mjs';
import { runWorkflow } from './lib/scenario.mjs';
import { findSecrets } from './lib/secrets.mjs';
import { useN8n } from './lib/useN8n.mjs';
import { chain, readThenUploadWorkflow, tikTokNode } from './lib/workflows.mjs';

const engine = ensureN8nEngine();
const FIXTURES = join(PACKAGE_DIR, 'test', 'fixtures', 'video');
const WAIT = { waitForCompletion: true, pollIntervalSeconds: 2, waitTimeoutSeconds: 30 };
const { files, sandbox, n8n, credential } = useN8n({
	engine,
	sandbox: { processingMs: 300, maxPendingShares: 1000 },
	connect: { scopes: 'user.info.basic,video.upload,video.publish,video.list' },
});
for (const name of ['h264-faststart.mp4', 'h264-moov-at-end.mp4', 'h264-15fps.mp4'])
	copyFileSync(join(FIXTURES, name), join(files, name));

const draft = (options = {}) => ({
	resource: 'video',
	operation: 'uploadDraft',
	binaryPropertyName: 'data',
	options,
});
const directPost = (options = {}) => ({
	resource: 'video',
	operation: 'directPost',
	binaryPropertyName: 'data',
	privacyLevel: 'PUBLIC_TO_EVERYONE',
	title: 'checked in n8n',
	options,
});
const run = async (name, file, nodeName, parameters) => {
	const workflow = readThenUploadWorkflow(
		name,
		join(files, file),
		tikTokNode(nodeName, parameters, credential, [440, 0]),
	);
	const result = await runWorkflow(n8n, engine, workflow);
	expect(findSecrets(JSON.stringify(result.execution), sandbox)).toEqual([]);
	return result;
};
const inits = () => sandbox.state.apiCalls.filter((call) => /Init$/.test(call.endpoint)).length;

test('Upload Draft of a real MP4 whose moov sits at the end: its facts in the output, uploaded', async () => {
	const { result } = await run('facts', 'h264-moov-at-end.mp4', 'Upload Draft', draft());
	expect(result.status).toBe('success');
	const [json] = result.outputOf('Upload Draft');
	expect(json).toMatchObject({
		video_check: 'passed',
		duration_sec: 2,
		width: 640,
		height: 360,
		frame_rate: 30,
		codec: 'h264',
	});
	expect(sandbox.state.uploads[json.publish_id]).toMatchObject({ complete: true });
});

test('a 15 fps video stops before anything is sent, naming the number and the fix', async () => {
	const before = inits();
	const { result } = await run('15 fps', 'h264-15fps.mp4', 'Upload Draft', draft());
	expect(result.status).toBe('error');
	expect(result.errorOf('Upload Draft').message).toMatch(/15 fps; TikTok accepts 23–60 fps/);
	expect(inits()).toBe(before);
});

test("Direct Post longer than the creator's limit stops before init, naming both durations", async () => {
	sandbox.configure({ creator: { max_video_post_duration_sec: 1 } });
	try {
		const before = inits();
		const { result } = await run('too long', 'h264-faststart.mp4', 'Direct Post', directPost());
		expect(result.status).toBe('error');
		expect(result.errorOf('Direct Post').message).toMatch(
			/2(\.\d+)? s long; this creator can post at most 1 s/,
		);
		expect(inits()).toBe(before);
	} finally {
		sandbox.configure({ creator: { max_video_post_duration_sec: 600 } });
	}
});

const HINTS = {
	duration_check_failed: /longer or shorter than this creator's allowed duration/,
	spam_risk_text: /flagged the caption text/,
};

test.each(PROCESSING_FAIL_REASONS.map((reason) => [reason, HINTS[reason] ?? /\w/]))(
	'TikTok fails the post after the upload with %s: the waiting item shows the reason and its hint',
	async (failReason, hint) => {
		sandbox.addFault({ target: 'processing', failReason });
		const { result } = await run(failReason, 'h264-faststart.mp4', 'Upload Draft', draft(WAIT));
		expect(result.status).toBe('success');
		const [json] = result.outputOf('Upload Draft');
		expect(json).toMatchObject({ status: 'FAILED', fail_reason: failReason });
		expect(json.fail_reason_hint).toMatch(hint);
	},
);

test('Direct Post, waiting, then Video → Get with the post id: the share link of the published post', async () => {
	const post = tikTokNode('Direct Post', directPost(WAIT), credential, [440, 0]);
	const get = tikTokNode(
		'Get Video',
		{
			resource: 'video',
			operation: 'get',
			videoIds: '={{ $json.publicaly_available_post_id }}',
			fields: ['id', 'title', 'share_url', 'embed_link'],
		},
		credential,
		[660, 0],
	);
	const workflow = readThenUploadWorkflow('post then get', join(files, 'h264-faststart.mp4'), post);
	workflow.nodes.push(get);
	workflow.connections = { ...workflow.connections, ...chain('Direct Post', 'Get Video') };
	const { result } = await runWorkflow(n8n, engine, workflow);
	expect(result.status).toBe('success');
	const [posted] = result.outputOf('Direct Post');
	const [postId] = posted.publicaly_available_post_id;
	expect(result.outputOf('Get Video')).toEqual([
		{
			id: postId,
			title: 'checked in n8n',
			share_url: expect.stringContaining(postId),
			embed_link: expect.stringContaining(postId),
		},
	]);
});
