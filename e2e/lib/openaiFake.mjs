// A small OpenAI-compatible server on 127.0.0.1 for n8n's OpenAI Chat Model: GET /v1/models and
// POST /v1/chat/completions (JSON or server-sent events when the request asks for `stream`).
// Answers come from a script, one function per chat request: (request body, requests so far) →
// an assistant message { content } or { tool_calls: [{ name, arguments }] }. Every request is
// recorded with its body, so a test can read what the model was given (tools, tool results).
import { createServer } from 'node:http';

export const FAKE_MODEL = 'fake-tool-caller';

export async function startOpenAiFake(script) {
	const requests = [];
	let callSequence = 0;
	const server = createServer((req, res) => {
		let text = '';
		req.on('data', (piece) => (text += piece));
		req.on('end', () => {
			const url = new URL(req.url, 'http://fake');
			const send = (status, value) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(value));
			};
			if (req.method === 'GET' && url.pathname === '/v1/models') {
				return send(200, {
					object: 'list',
					data: [{ id: FAKE_MODEL, object: 'model', created: 0, owned_by: 'fake' }],
				});
			}
			if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
				return send(404, { error: { message: `no route ${req.method} ${url.pathname}` } });
			}
			let body;
			try {
				body = JSON.parse(text);
			} catch {
				return send(400, { error: { message: 'body must be JSON' } });
			}
			requests.push({ body, authorization: req.headers.authorization ?? '' });
			const step = script[requests.length - 1];
			if (!step) {
				return send(500, {
					error: { message: `the script has no answer for request ${requests.length}` },
				});
			}
			const answer = step(body, requests);
			const toolCalls = (answer.tool_calls ?? []).map((call) => ({
				id: `call_${++callSequence}`,
				type: 'function',
				function: { name: call.name, arguments: JSON.stringify(call.arguments ?? {}) },
			}));
			const message = {
				role: 'assistant',
				content: answer.content ?? (toolCalls.length ? null : ''),
				...(toolCalls.length ? { tool_calls: toolCalls } : {}),
			};
			const finishReason = toolCalls.length ? 'tool_calls' : 'stop';
			const id = `chatcmpl-fake-${requests.length}`;
			const created = Math.floor(Date.now() / 1000);
			const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
			if (!body.stream) {
				return send(200, {
					id,
					object: 'chat.completion',
					created,
					model: body.model,
					choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
					usage,
				});
			}
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			const chunk = (delta, finish = null) =>
				res.write(
					`data: ${JSON.stringify({
						id,
						object: 'chat.completion.chunk',
						created,
						model: body.model,
						choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
					})}\n\n`,
				);
			chunk({ role: 'assistant', content: message.content ?? '' });
			toolCalls.forEach((call, index) => chunk({ tool_calls: [{ index, ...call }] }));
			chunk({}, finishReason);
			if (body.stream_options?.include_usage)
				res.write(
					`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage })}\n\n`,
				);
			res.end('data: [DONE]\n\n');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const baseUrl = `http://127.0.0.1:${server.address().port}/v1`;
	return {
		baseUrl,
		requests,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
