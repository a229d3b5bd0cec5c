// helpers/videoSource.ts: which MIME type an upload is sent with, from the binary's type and name.
import { fromDist } from '../helpers/dist.mjs';

const { videoMimeType } = fromDist('nodes/TikTok/helpers/videoSource.js');

describe('videoMimeType', () => {
	test.each([
		['a video type TikTok takes', 'video/mp4', 'clip.mov', 'video/mp4'],
		['QuickTime', 'video/quicktime', undefined, 'video/quicktime'],
		['WebM', 'video/webm', undefined, 'video/webm'],
		['parameters and case ignored', 'Video/MP4; codecs="avc1"', undefined, 'video/mp4'],
		['generic type: from the extension', 'application/octet-stream', 'clip.MOV', 'video/quicktime'],
		['binary/octet-stream as well', 'binary/octet-stream', 'clip.webm', 'video/webm'],
		['no type: from the extension', undefined, 'clip.m4v', 'video/mp4'],
		['empty type: from the extension', '', 'a.b.mp4', 'video/mp4'],
		[
			'generic type, an extension TikTok refuses',
			'application/octet-stream',
			'clip.avi',
			undefined,
		],
		['generic type, no extension', 'application/octet-stream', 'clip', undefined],
		['neither type nor name', undefined, undefined, undefined],
		// A specific type is believed over the name: the file is what its producer said.
		['a specific type TikTok refuses', 'video/x-msvideo', 'clip.mp4', undefined],
		['an image', 'image/png', 'frame.mp4', undefined],
	])('%s: (%j, %j) → %j', (_name, mimeType, fileName, expected) => {
		expect(videoMimeType(mimeType, fileName)).toBe(expected);
	});
});
