// TikTok's documented video rules (docs/tiktok-api.md "Media limits") as a pure check over the
// facts videoFacts.ts reads; unknown facts never block an upload.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { VIDEO_RULES, videoRuleProblems } = require('../../dist/nodes/TikTok/helpers/videoRules.js');
const { readVideoFacts } = require('../../dist/nodes/TikTok/helpers/videoFacts.js');

const ok = {
	container: 'mp4',
	durationSec: 30,
	width: 1080,
	height: 1920,
	frameRate: 30,
	codec: 'h264',
};

test('the documented limits', () => {
	expect(VIDEO_RULES).toEqual({
		maxUploadDurationSec: 600,
		minSidePx: 360,
		maxSidePx: 4096,
		minFrameRate: 23,
		maxFrameRate: 60,
		codecs: ['h264', 'h265', 'vp8', 'vp9'],
	});
});

describe('videoRuleProblems', () => {
	test.each([
		// [name, facts (over `ok`), limits, problems]
		['a good video', {}, undefined, []],
		[
			'nothing known',
			{
				container: 'unknown',
				durationSec: undefined,
				width: undefined,
				height: undefined,
				frameRate: undefined,
				codec: undefined,
			},
			undefined,
			[],
		],
		[
			'only the container known',
			{
				container: 'webm',
				durationSec: undefined,
				width: undefined,
				height: undefined,
				frameRate: undefined,
				codec: undefined,
			},
			{ maxDurationSec: 60 },
			[],
		],

		// duration
		[
			'754.2 s',
			{ durationSec: 754.2 },
			undefined,
			["The video is 754.2 s long; TikTok's upload accepts at most 600 s (10 minutes). Trim it."],
		],
		['exactly 600 s', { durationSec: 600 }, undefined, []],
		['600.04 s is within the 0.05 s tolerance', { durationSec: 600.04 }, undefined, []],
		[
			'600.1 s',
			{ durationSec: 600.1 },
			undefined,
			["The video is 600.1 s long; TikTok's upload accepts at most 600 s (10 minutes). Trim it."],
		],
		[
			'912 s, creator max 600',
			{ durationSec: 912 },
			{ maxDurationSec: 600 },
			["The video is 912 s long; TikTok's upload accepts at most 600 s (10 minutes). Trim it."],
		],
		[
			'301 s, creator max 300',
			{ durationSec: 301 },
			{ maxDurationSec: 300 },
			[
				'The video is 301 s long; this creator can post at most 300 s (max_video_post_duration_sec). Trim it.',
			],
		],
		['180.03 s, creator max 180 (tolerance)', { durationSec: 180.03 }, { maxDurationSec: 180 }, []],
		[
			'180.2 s, creator max 180',
			{ durationSec: 180.2 },
			{ maxDurationSec: 180 },
			[
				'The video is 180.2 s long; this creator can post at most 180 s (max_video_post_duration_sec). Trim it.',
			],
		],
		['creator max not a number', { durationSec: 500 }, { maxDurationSec: Number.NaN }, []],
		['creator max 0 (not stated)', { durationSec: 500 }, { maxDurationSec: 0 }, []],
		['unknown duration, creator max 60', { durationSec: undefined }, { maxDurationSec: 60 }, []],

		// picture size
		[
			'320×240',
			{ width: 320, height: 240 },
			undefined,
			['The video is 320×240 px; TikTok needs 360–4096 px on both sides. Scale it up.'],
		],
		['360×640 (smallest side exactly 360)', { width: 360, height: 640 }, undefined, []],
		['4096×2160', { width: 4096, height: 2160 }, undefined, []],
		[
			'7680×4320',
			{ width: 7680, height: 4320 },
			undefined,
			['The video is 7680×4320 px; TikTok needs 360–4096 px on both sides. Scale it down.'],
		],
		[
			'200×5000',
			{ width: 200, height: 5000 },
			undefined,
			['The video is 200×5000 px; TikTok needs 360–4096 px on both sides. Resize it.'],
		],
		['width known, height not', { width: 100, height: undefined }, undefined, []],

		// frame rate
		[
			'15 fps',
			{ frameRate: 15 },
			undefined,
			['The frame rate is 15 fps; TikTok accepts 23–60 fps. Re-encode it at 30 fps.'],
		],
		['23.976 fps', { frameRate: 23.976 }, undefined, []],
		['23 fps', { frameRate: 23 }, undefined, []],
		['22.995 fps (tolerance)', { frameRate: 22.995 }, undefined, []],
		['59.94 fps', { frameRate: 59.94 }, undefined, []],
		['60.004 fps (tolerance)', { frameRate: 60.004 }, undefined, []],
		[
			'119.88 fps',
			{ frameRate: 119.88 },
			undefined,
			['The frame rate is 119.88 fps; TikTok accepts 23–60 fps. Re-encode it at 30 fps.'],
		],
		[
			'12.5 fps',
			{ frameRate: 12.5 },
			undefined,
			['The frame rate is 12.5 fps; TikTok accepts 23–60 fps. Re-encode it at 30 fps.'],
		],

		// codec
		...['h264', 'h265', 'vp8', 'vp9'].map((codec) => [codec, { codec }, undefined, []]),
		[
			'av1',
			{ codec: 'av1' },
			undefined,
			['The video codec is av1; TikTok accepts H.264, H.265, VP8 or VP9. Re-encode it as H.264.'],
		],
		[
			'raw fourcc mp4v',
			{ codec: 'mp4v' },
			undefined,
			['The video codec is mp4v; TikTok accepts H.264, H.265, VP8 or VP9. Re-encode it as H.264.'],
		],
		[
			'raw CodecID V_THEORA',
			{ codec: 'V_THEORA' },
			undefined,
			[
				'The video codec is V_THEORA; TikTok accepts H.264, H.265, VP8 or VP9. Re-encode it as H.264.',
			],
		],

		// several at once, in a fixed order
		[
			'everything wrong',
			{ durationSec: 700, width: 320, height: 240, frameRate: 15, codec: 'av1' },
			{ maxDurationSec: 300 },
			[
				"The video is 700 s long; TikTok's upload accepts at most 600 s (10 minutes). Trim it.",
				'The video is 320×240 px; TikTok needs 360–4096 px on both sides. Scale it up.',
				'The frame rate is 15 fps; TikTok accepts 23–60 fps. Re-encode it at 30 fps.',
				'The video codec is av1; TikTok accepts H.264, H.265, VP8 or VP9. Re-encode it as H.264.',
			],
		],
	])('%s', (_name, facts, limits, problems) => {
		expect(videoRuleProblems({ ...ok, ...facts }, limits)).toEqual(problems);
	});

	test('a damaged file (container unknown, a problem) produces no rule problem', () => {
		expect(videoRuleProblems({ container: 'unknown', problem: 'The file is empty.' })).toEqual([]);
	});
});

describe('the fixtures', () => {
	test.each([
		['h264-faststart.mp4', []],
		['h265.mp4', []],
		['vp9.webm', []],
		['vp8.webm', []],
		['vp9-live.webm', []],
		['h264-audio-first-29.97fps.mp4', []],
		[
			'h264-15fps.mp4',
			['The frame rate is 15 fps; TikTok accepts 23–60 fps. Re-encode it at 30 fps.'],
		],
		[
			'h264-320x240.mp4',
			['The video is 320×240 px; TikTok needs 360–4096 px on both sides. Scale it up.'],
		],
		[
			'av1.mp4',
			['The video codec is av1; TikTok accepts H.264, H.265, VP8 or VP9. Re-encode it as H.264.'],
		],
		['random.bin', []],
		['truncated-1k.mp4', []],
	])('%s', async (name, problems) => {
		const facts = await readVideoFacts([
			readFileSync(new URL(`../fixtures/video/${name}`, import.meta.url)),
		]);
		expect(videoRuleProblems(facts)).toEqual(problems);
		// A creator limit of 1 s: every fixture with a known duration is too long for them.
		const short = videoRuleProblems(facts, { maxDurationSec: 1 });
		if (facts.durationSec > 1.05) {
			expect(short[0]).toMatch(/this creator can post at most 1 s \(max_video_post_duration_sec\)/);
		} else {
			expect(short).toEqual(problems);
		}
	});
});
