import { createHmac, timingSafeEqual } from 'crypto';

/** Why a delivery was refused; never includes the secret or the expected signature. */
export type SignatureRejection =
	| 'no secret'
	| 'bad tolerance'
	| 'missing'
	| 'malformed'
	| 'mismatch'
	| 'stale'
	| 'future';

/** Signature Tolerance bounds, seconds: below 1 refuses on-time deliveries, above 1 h eases replays. */
export const TOLERANCE_SECONDS = { min: 1, max: 3600, default: 300 } as const;

export type SignatureCheck =
	| { valid: true; timestamp: number }
	| { valid: false; reason: SignatureRejection };

/**
 * TikTok signs each webhook delivery: header `TikTok-Signature: t=<unix seconds>,s=<hex>`, where
 * s = HMAC-SHA256(client secret, `${t}.${raw body}`). The raw bytes are signed, so this must run
 * on the body exactly as received, before any JSON parsing.
 *
 * Settings that would weaken the check refuse every delivery instead: an empty secret (anyone
 * can sign with an empty key) and a tolerance that is not a number of seconds from 1 to 3600
 * (NaN would make both time comparisons false, i.e. accept any time).
 */
export function checkTikTokSignature(args: {
	header: string | undefined;
	rawBody: Buffer | string;
	clientSecret: string;
	toleranceSeconds: number;
	nowSeconds: number;
}): SignatureCheck {
	const { header, rawBody, clientSecret, toleranceSeconds, nowSeconds } = args;
	if (typeof clientSecret !== 'string' || clientSecret.trim() === '') {
		return { valid: false, reason: 'no secret' };
	}
	if (!isValidTolerance(toleranceSeconds)) return { valid: false, reason: 'bad tolerance' };
	if (!header) return { valid: false, reason: 'missing' };
	const parts = parseSignatureHeader(header);
	if (!parts) return { valid: false, reason: 'malformed' };

	const expected = createHmac('sha256', clientSecret)
		.update(`${parts.timestamp}.`)
		.update(rawBody)
		.digest();
	const given = Buffer.from(parts.signature, 'hex');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
		return { valid: false, reason: 'mismatch' };
	}
	// Checked after the HMAC: a forged timestamp cannot be told apart from a stale one by timing.
	if (parts.timestamp < nowSeconds - toleranceSeconds) return { valid: false, reason: 'stale' };
	if (parts.timestamp > nowSeconds + toleranceSeconds) return { valid: false, reason: 'future' };
	return { valid: true, timestamp: parts.timestamp };
}

function isValidTolerance(seconds: unknown): seconds is number {
	return (
		typeof seconds === 'number' &&
		Number.isFinite(seconds) &&
		seconds >= TOLERANCE_SECONDS.min &&
		seconds <= TOLERANCE_SECONDS.max
	);
}

function parseSignatureHeader(
	header: string,
): { timestamp: number; signature: string } | undefined {
	const fields = new Map<string, string>();
	for (const part of header.split(',')) {
		const separator = part.indexOf('=');
		if (separator <= 0) return undefined;
		fields.set(part.slice(0, separator).trim(), part.slice(separator + 1).trim());
	}
	const t = fields.get('t') ?? '';
	const s = fields.get('s') ?? '';
	if (!/^\d{1,12}$/.test(t) || !/^[0-9a-fA-F]{64}$/.test(s)) return undefined;
	return { timestamp: Number(t), signature: s.toLowerCase() };
}
