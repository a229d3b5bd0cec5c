// The AI Agent path (issue 21) in a real n8n: AI Agent + OpenAI Chat Model whose credential's Base
// URL points at a scripted OpenAI-compatible fake (e2e/lib/openaiFake.mjs), and the TikTok node as
// two tools (Get User Info, Check Status with a $fromAI publish id). The agent calls both tools,
// the sandbox sees the calls, the model's second request holds their results, and nothing the model
// receives carries a token, the client secret or an upload URL.
import { operationsOf, packageTypes } from './lib/description.mjs';
import { ensureN8nEngine } from './lib/engine.mjs';
import { NODE_TYPE } from './lib/n8nInstance.mjs';
import { FAKE_MODEL, startOpenAiFake } from './lib/openaiFake.mjs';
import { runWorkflow } from './lib/scenario.mjs';
import { findSecrets } from './lib/secrets.mjs';
import { useN8n } from './lib/useN8n.mjs';
import { writeSampleVideo } from './lib/videos.mjs';
import {
	chain,
	manualTrigger,
	readThenUploadWorkflow,
	tikTokNode,
	TRIGGER,
} from './lib/workflows.mjs';

const engine = ensureN8nEngine();
const tikTok = packageTypes().nodes.tikTok.description;
const actionOf = (value) => operationsOf(tikTok).find((o) => o.value === value).action;
const PUBLISH_ID_HINT =
	'The publish_id that Upload Draft, Direct Post or Photo Post returned, like v_inbox_file~v2.123';
const FIELDS_HINT =
	'Comma-separated user fields: open_id, union_id, avatar_url, display_name (user.info.basic); bio_description, username (user.info.profile); follower_count, video_count (user.info.stats)';
const OPENAI_KEY = 'sk-fake-agent-e2e-0123456789';

const { files, sandbox, n8n, credential } = useN8n({ engine, sandbox: { processingMs: 100 } });
let fake;
let publishId;
let run;

/** Tool results the model received, by tool name. */
const toolResults = (body) => {
	const names = new Map();
	for (const message of body.messages)
		for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name);
	return Object.fromEntries(
		body.messages
			.filter((message) => message.role === 'tool')
			.map((message) => [names.get(message.tool_call_id), String(message.content)]),
	);
};

const toolNamed = (body, pattern) =>
	body.tools?.find((tool) => pattern.test(tool.function.description))?.function;

beforeAll(async () => {
	// A draft uploaded the usual way: the publish id the agent is asked about.
	const video = writeSampleVideo(files, 'clip.mp4', 3_000_000);
	const upload = await runWorkflow(
		n8n,
		engine,
		readThenUploadWorkflow(
			'Upload for the agent',
			video.path,
			tikTokNode(
				'Upload Draft',
				{ resource: 'video', operation: 'uploadDraft' },
				credential,
				[0, 0],
			),
		),
	);
	publishId = upload.result.outputOf('Upload Draft')[0].publish_id;

	fake = await startOpenAiFake([
		// 1. The model picks both tools: the profile, and the status of the draft by its publish id.
		(body) => {
			const profile = toolNamed(body, /profile of the connected account/);
			const status = toolNamed(body, /status of a video or photo post/);
			return {
				tool_calls: [
					{ name: profile?.name ?? 'missing_profile_tool', arguments: { fields: 'display_name' } },
					{ name: status?.name ?? 'missing_status_tool', arguments: { publish_id: publishId } },
				],
			};
		},
		// 2. With the tools' results, the answer.
		(body) => {
			const results = Object.values(toolResults(body)).join('\n');
			const name = /"display_name":"([^"]+)"/.exec(results)?.[1] ?? '?';
			const status = /"status":"([A-Z_]+)"/.exec(results)?.[1] ?? '?';
			return { content: `You are ${name}; the draft ${publishId} is ${status}.` };
		},
	]);
	const openAi = await n8n.rest.createCredential('Fake OpenAI', 'openAiApi', {
		apiKey: OPENAI_KEY,
		url: fake.baseUrl,
		header: false,
	});
	const tool = (name, parameters, position) => ({
		...tikTokNode(name, parameters, credential, position),
		type: `${NODE_TYPE}Tool`,
	});
	const workflow = {
		name: 'TikTok tools for an agent',
		// As the editor creates workflows. Without it (n8n's legacy order) the agent resumes before
		// its tools ran and the model gets "" as every tool's result.
		settings: { executionOrder: 'v1' },
		nodes: [
			manualTrigger(),
			{
				id: 'agent',
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3.1,
				position: [220, 0],
				parameters: {
					promptType: 'define',
					text: `What is my TikTok display name, and where is the draft ${publishId}?`,
					options: {},
				},
			},
			{
				id: 'model',
				name: 'OpenAI Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.3,
				position: [100, 200],
				// Chat Completions (the fake has no Responses API).
				parameters: {
					model: { __rl: true, mode: 'id', value: FAKE_MODEL },
					responsesApiEnabled: false,
					options: {},
				},
				credentials: { openAiApi: { id: openAi.id, name: openAi.name } },
			},
			tool(
				'Get User Info',
				{
					resource: 'user',
					operation: 'getUserInfo',
					fields: `={{ $fromAI('fields', '${FIELDS_HINT}', 'string') }}`,
				},
				[260, 200],
			),
			tool(
				'Check Status',
				{
					resource: 'video',
					operation: 'checkStatus',
					publishId: `={{ $fromAI('publish_id', '${PUBLISH_ID_HINT}', 'string') }}`,
				},
				[400, 200],
			),
		],
		connections: {
			...chain(TRIGGER, 'AI Agent'),
			'OpenAI Chat Model': {
				ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]],
			},
			'Get User Info': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
			'Check Status': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
	};
	run = await runWorkflow(n8n, engine, workflow);
});

afterAll(async () => {
	await fake?.close();
});

test('the agent runs both TikTok tools and answers from their results', () => {
	expect({ status: run.result.status, error: run.result.error?.message }).toEqual({
		status: 'success',
		error: undefined,
	});
	expect(run.result.outputOf('AI Agent')[0].output).toBe(
		`You are Sandbox Creator; the draft ${publishId} is SEND_TO_USER_INBOX.`,
	);
	expect(fake.requests).toHaveLength(2);
});

test('the model sees each tool as "<action> in TikTok", and the fields and publish id with their $fromAI descriptions', () => {
	const [first] = fake.requests;
	const tools = Object.fromEntries(
		first.body.tools.map(({ function: f }) => [
			f.name,
			{ description: f.description, parameters: f.parameters },
		]),
	);
	// Shown in the run's output: what a model is told about the two tools.
	console.log(`Tools as the model sees them:\n${JSON.stringify(tools, null, 1)}`);
	const descriptions = Object.values(tools).map((tool) => tool.description);
	expect(descriptions).toEqual(
		expect.arrayContaining([
			`${actionOf('getUserInfo')} in TikTok`,
			`${actionOf('checkStatus')} in TikTok`,
		]),
	);
	const status = Object.values(tools).find((tool) =>
		tool.description.startsWith(actionOf('checkStatus')),
	);
	expect(status.parameters.properties.publish_id).toMatchObject({
		type: 'string',
		description: PUBLISH_ID_HINT,
	});
	expect(status.parameters.required).toContain('publish_id');
	const profile = Object.values(tools).find((tool) =>
		tool.description.startsWith(actionOf('getUserInfo')),
	);
	expect(profile.parameters.properties.fields).toMatchObject({
		type: 'string',
		description: FIELDS_HINT,
	});
});

test('the sandbox sees the tool calls; the second model request holds their results', () => {
	const calls = sandbox.state.apiCalls.filter((call) =>
		['userInfo', 'statusFetch'].includes(call.endpoint),
	);
	expect(calls.map((call) => [call.endpoint, call.status])).toEqual(
		expect.arrayContaining([
			['userInfo', 200],
			['statusFetch', 200],
		]),
	);
	const results = Object.values(toolResults(fake.requests[1].body)).join('\n');
	// The fields the model chose, and only those.
	expect(results).toContain('[{"display_name":"Sandbox Creator"}]');
	expect(results).toContain(`"publish_id":"${publishId}"`);
	expect(results).toContain('"status":"SEND_TO_USER_INBOX"');
});

test("nothing secret in what the model receives, the execution or n8n's log", () => {
	const toModel = JSON.stringify(fake.requests.map((request) => request.body));
	expect(findSecrets(toModel, sandbox)).toEqual([]);
	expect(toModel).not.toContain(OPENAI_KEY);
	expect(toModel).not.toContain(sandbox.clientSecret);
	// The model's key goes to the model only, as its bearer token.
	expect(fake.requests.every((request) => request.authorization === `Bearer ${OPENAI_KEY}`)).toBe(
		true,
	);
	expect(findSecrets(JSON.stringify(run.execution), sandbox)).toEqual([]);
	expect(findSecrets(n8n.readLog(), sandbox)).toEqual([]);
});
