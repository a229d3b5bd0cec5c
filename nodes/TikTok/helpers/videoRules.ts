import type { VideoFacts } from './videoFacts';

/**
 * TikTok's documented video rules (Media Transfer Guide, Direct Post; docs/tiktok-api.md "Media
 * limits"). The upload limit is the longest any creator may post (10 minutes); Direct Post must
 * also respect the creator's own `max_video_post_duration_sec`.
 */
export const VIDEO_RULES = {
	maxUploadDurationSec: 600,
	minSidePx: 360,
	maxSidePx: 4096,
	minFrameRate: 23,
	maxFrameRate: 60,
	codecs: ['h264', 'h265', 'vp8', 'vp9'],
};

/** Seconds a duration may exceed a limit by (container rounding). */
const DURATION_TOLERANCE_SEC = 0.05;
/** Frames per second a rate may miss a bound by (23.976 and 59.94 are fine anyway). */
const FRAME_RATE_TOLERANCE = 0.01;

const CODEC_NAMES: Record<string, string> = {
	h264: 'H.264',
	h265: 'H.265',
	vp8: 'VP8',
	vp9: 'VP9',
};

const isNumber = (value: unknown): value is number =>
	typeof value === 'number' && Number.isFinite(value);

/** At most `digits` decimals, no trailing zeros: 754.2, 600, 29.97. */
const round = (value: number, digits: number) => String(Number(value.toFixed(digits)));

const minutes = (seconds: number) => {
	const m = seconds / 60;
	if (Number.isInteger(m)) return ` (${m} minute${m === 1 ? '' : 's'})`;
	return '';
};

/**
 * The ways `facts` break TikTok's video rules, one sentence each (naming the numbers and the fix).
 * Facts that are unknown produce no problem: the upload goes on and TikTok decides.
 */
export function videoRuleProblems(
	facts: VideoFacts,
	limits: { maxDurationSec?: number } = {},
): string[] {
	const problems: string[] = [];
	const rules = VIDEO_RULES;

	if (isNumber(facts.durationSec)) {
		const length = `The video is ${round(facts.durationSec, 1)} s long`;
		const creatorMax = limits.maxDurationSec;
		if (facts.durationSec > rules.maxUploadDurationSec + DURATION_TOLERANCE_SEC) {
			problems.push(
				`${length}; TikTok's upload accepts at most ${rules.maxUploadDurationSec} s${minutes(rules.maxUploadDurationSec)}. Trim it.`,
			);
		} else if (
			isNumber(creatorMax) &&
			creatorMax > 0 &&
			facts.durationSec > creatorMax + DURATION_TOLERANCE_SEC
		) {
			problems.push(
				`${length}; this creator can post at most ${round(creatorMax, 1)} s (max_video_post_duration_sec). Trim it.`,
			);
		}
	}

	if (isNumber(facts.width) && isNumber(facts.height)) {
		const small = Math.min(facts.width, facts.height) < rules.minSidePx;
		const large = Math.max(facts.width, facts.height) > rules.maxSidePx;
		if (small || large) {
			problems.push(
				`The video is ${facts.width}×${facts.height} px; TikTok needs ${rules.minSidePx}–${rules.maxSidePx} px on both sides. ${small && large ? 'Resize it' : small ? 'Scale it up' : 'Scale it down'}.`,
			);
		}
	}

	if (isNumber(facts.frameRate)) {
		if (
			facts.frameRate < rules.minFrameRate - FRAME_RATE_TOLERANCE ||
			facts.frameRate > rules.maxFrameRate + FRAME_RATE_TOLERANCE
		) {
			problems.push(
				`The frame rate is ${round(facts.frameRate, 2)} fps; TikTok accepts ${rules.minFrameRate}–${rules.maxFrameRate} fps. Re-encode it at 30 fps.`,
			);
		}
	}

	if (typeof facts.codec === 'string' && facts.codec !== '') {
		if (!rules.codecs.includes(facts.codec)) {
			const accepted = rules.codecs.map((c) => CODEC_NAMES[c] ?? c);
			problems.push(
				`The video codec is ${facts.codec}; TikTok accepts ${accepted.slice(0, -1).join(', ')} or ${accepted[accepted.length - 1]}. Re-encode it as H.264.`,
			);
		}
	}

	return problems;
}
