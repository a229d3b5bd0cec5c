// Example workflows from examples/, imported as a user would and run in a real n8n against the
// sandbox: an RSS feed (served locally) whose newest item's video becomes a TikTok draft.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureN8nEngine, PACKAGE_DIR } from './lib/engine.mjs';
import { NODE_TYPE, UNATTENDED_CREDENTIAL_TYPE } from './lib/n8nInstance.mjs';
import { runWorkflow } from './lib/scenario.mjs';
import { sandboxAuthorizationCode } from './lib/tokens.mjs';
import { useN8n } from './lib/useN8n.mjs';
import { writeSampleVideo } from './lib/videos.mjs';

const engine = ensureN8nEngine();
const {
	files,
	sandbox,
	media: feedServer,
	n8n,
	credential,
} = useN8n({ engine, media: 'http', sandbox: { processingMs: 500 } });

function example(name, edit) {
	const workflow = JSON.parse(readFileSync(join(PACKAGE_DIR, 'examples', name), 'utf8'));
	for (const node of workflow.nodes) {
		if (node.type === NODE_TYPE && node.parameters.authentication === 'oAuth2') {
			node.credentials = { tikTokOAuth2Api: { id: credential.id, name: credential.name } };
		}
		edit(node);
	}
	return workflow;
}

test('rss-to-tiktok-draft.json: the newest feed item’s video lands in the inbox, waited for', async () => {
	const video = writeSampleVideo(files, 'episode-42.mp4', 12_000_000);
	writeFileSync(
		join(files, 'feed.xml'),
		`<?xml version="1.0"?><rss version="2.0"><channel><title>Clips</title><link>${feedServer.baseUrl}</link><description>Local feed</description>
<item><title>Episode 42</title><link>${feedServer.urlOf('episode-42.mp4')}</link><guid>ep-42</guid><pubDate>Wed, 25 Nov 2026 09:00:00 GMT</pubDate><enclosure url="${feedServer.urlOf('episode-42.mp4')}" length="${video.size}" type="video/mp4"/></item>
</channel></rss>`,
	);
	const workflow = example('rss-to-tiktok-draft.json', (node) => {
		if (node.name === 'RSS Feed Trigger') node.parameters.feedUrl = feedServer.urlOf('feed.xml');
		if (node.name === 'Upload Draft') node.parameters.options.pollIntervalSeconds = 2;
	});
	const run = await runWorkflow(n8n, engine, workflow, 'RSS Feed Trigger');
	expect(run.result.status).toBe('success');
	const [json] = run.result.outputOf('Upload Draft');
	expect(json).toMatchObject({
		status: 'SEND_TO_USER_INBOX',
		video_size: video.size,
		mime_type: 'video/mp4',
	});
	expect(sandbox.state.uploads[json.publish_id]).toMatchObject({ sha256: video.sha256 });
});

test('ai-video-to-tiktok-draft.json: a generated video (generator mocked locally) becomes a draft', async () => {
	const video = writeSampleVideo(files, 'generated.mp4', 5_000_000);
	// The mock generator: the local server answers the POST with this JSON file.
	writeFileSync(
		join(files, 'generate.json'),
		JSON.stringify({ id: 'gen-1', video_url: feedServer.urlOf('generated.mp4') }),
	);
	const workflow = example('ai-video-to-tiktok-draft.json', (node) => {
		if (node.name === 'Generate Video') node.parameters.url = feedServer.urlOf('generate.json');
	});
	const run = await runWorkflow(n8n, engine, workflow);
	expect(run.result.status).toBe('success');
	const [json] = run.result.outputOf('Upload Draft');
	expect(sandbox.state.uploads[json.publish_id]).toMatchObject({
		sha256: video.sha256,
		complete: true,
	});
});

test('check-status-list.json: one status per publish id; an unknown id becomes an error item', async () => {
	const known = Object.values(sandbox.state.uploads).find(
		(upload) => upload.status === 'SEND_TO_USER_INBOX',
	).publishId;
	const workflow = example('check-status-list.json', (node) => {
		if (node.name === 'Publish IDs') {
			node.parameters.jsonOutput = JSON.stringify({ publish_ids: [known, 'v_inbox_file~v2.404'] });
		}
	});
	const run = await runWorkflow(n8n, engine, workflow);
	expect(run.result.status).toBe('success');
	const items = run.result.outputOf('Check Status');
	expect(items).toHaveLength(2);
	expect(items[0]).toMatchObject({ publish_id: known, status: 'SEND_TO_USER_INBOX' });
	expect(items[1]).toMatchObject({ error: expect.stringMatching(/invalid_publish_id/) });
});

test('scheduled-direct-post-from-csv.json: the first CSV row is posted with its title and privacy (unattended credential)', async () => {
	const video = writeSampleVideo(files, 'monday.mp4', 4_000_000);
	const csv = join(files, 'videos.csv');
	writeFileSync(
		csv,
		`video_url,title,privacy_level\n${feedServer.urlOf('monday.mp4')},Monday #cat,SELF_ONLY\n${feedServer.urlOf('tuesday.mp4')},Tuesday,SELF_ONLY\n`,
	);
	const redirectUri = 'https://example.com/tiktok/callback';
	const unattended = await n8n.rest.createCredential(
		'TikTok (unattended)',
		UNATTENDED_CREDENTIAL_TYPE,
		{
			clientKey: sandbox.clientKey,
			clientSecret: sandbox.clientSecret,
			authorizationCode: await sandboxAuthorizationCode(sandbox, {
				scopes: 'video.publish,video.upload',
				redirectUri,
			}),
			redirectUri,
		},
	);
	const workflow = example('scheduled-direct-post-from-csv.json', (node) => {
		if (node.name === 'Read CSV') node.parameters.fileSelector = csv;
		if (node.name === 'Direct Post') {
			node.credentials = { tikTokUnattendedApi: { id: unattended.id, name: unattended.name } };
			node.parameters.options.pollIntervalSeconds = 2;
		}
	});
	const run = await runWorkflow(n8n, engine, workflow, 'Schedule Trigger');
	expect(run.result.status).toBe('success');
	const [json] = run.result.outputOf('Direct Post');
	expect(json).toMatchObject({ status: 'PUBLISH_COMPLETE', privacy_level: 'SELF_ONLY' });
	expect(sandbox.state.uploads[json.publish_id]).toMatchObject({
		sha256: video.sha256,
		postInfo: expect.objectContaining({ title: 'Monday #cat' }),
	});
});
