/** A multi-select's value, also when an expression gives a comma-separated string instead of a list. */
export function fieldList(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return list.map((field) => String(field).trim()).filter(Boolean);
}
