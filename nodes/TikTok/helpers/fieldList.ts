import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** A multi-select's value, also when an expression gives a comma-separated string instead of a list. */
export function fieldList(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return list.map((field) => String(field).trim()).filter(Boolean);
}

/** The operation's Fields; none selected fails the item with `fix` as the way out. */
export function requireFields(this: IExecuteFunctions, itemIndex: number, fix: string): string[] {
	const fields = fieldList(this.getNodeParameter('fields', itemIndex, []));
	if (fields.length === 0) {
		throw new NodeOperationError(this.getNode(), 'No fields selected', {
			itemIndex,
			description: fix,
		});
	}
	return fields;
}
