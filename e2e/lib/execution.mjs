// Reads n8n's stored execution record: `data` is serialised with `flatted`, as n8n stores it.
import { importFromEngine } from './engine.mjs';

export async function parseExecution(engine, execution) {
	const { parse } = await importFromEngine(engine, 'flatted');
	const data = typeof execution.data === 'string' ? parse(execution.data) : execution.data;
	const runData = data.resultData.runData ?? {};
	const outputOf = (nodeName) =>
		runData[nodeName]?.[0]?.data?.main?.[0]?.map((item) => item.json) ?? [];
	return {
		status: execution.status,
		error: data.resultData.error,
		lastNode: data.resultData.lastNodeExecuted,
		runData,
		outputOf,
		errorOf: (nodeName) => runData[nodeName]?.[0]?.error,
	};
}
