import type { IDataObject } from 'n8n-workflow';

/**
 * TikTok sends post ids as 19-digit JSON numbers (docs/tiktok-api.md#post-status); JSON.parse rounds them.
 * This parser quotes every integer literal too long to be exact before parsing, so such ids
 * arrive as strings. It walks the text so that digits inside strings are left alone.
 */
const MAX_EXACT_DIGITS = 15;

export function parseJsonLosslessly(text: string): unknown {
	return JSON.parse(quoteLongIntegers(text));
}

/**
 * A body as a JSON object: text is parsed losslessly, an object already parsed is kept. Anything
 * else is {}, and so is text that is no JSON unless `whenInvalid` says what to keep instead.
 */
export function parseJsonObject(
	body: unknown,
	whenInvalid: (text: string) => IDataObject = () => ({}),
): IDataObject {
	if (typeof body !== 'string')
		return body && typeof body === 'object' ? (body as IDataObject) : {};
	let parsed: unknown;
	try {
		parsed = parseJsonLosslessly(body);
	} catch {
		return whenInvalid(body);
	}
	return parsed && typeof parsed === 'object' ? (parsed as IDataObject) : {};
}

function quoteLongIntegers(text: string): string {
	let out = '';
	let i = 0;
	while (i < text.length) {
		const ch = text[i];
		if (ch === '"') {
			const end = endOfString(text, i);
			out += text.slice(i, end);
			i = end;
		} else if (ch === '-' || (ch >= '0' && ch <= '9')) {
			let end = i + 1;
			while (end < text.length && /[0-9eE.+-]/.test(text[end])) end++;
			const literal = text.slice(i, end);
			const digits = literal.replace('-', '');
			out += /^-?\d+$/.test(literal) && digits.length > MAX_EXACT_DIGITS ? `"${literal}"` : literal;
			i = end;
		} else {
			out += ch;
			i++;
		}
	}
	return out;
}

/** Index just after the closing quote of the string that starts at `start`. */
function endOfString(text: string, start: number): number {
	let i = start + 1;
	while (i < text.length) {
		if (text[i] === '\\') i += 2;
		else if (text[i] === '"') return i + 1;
		else i++;
	}
	return text.length;
}
