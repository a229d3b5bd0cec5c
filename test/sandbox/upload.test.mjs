// The sandbox's upload host: chunked PUTs to upload_url (docs/tiktok-api.md#chunk-upload).
import { request } from 'node:http';
import { useSandbox } from '../helpers/sandbox.mjs';
import {
	fileSource,
	inboxInit,
	putChunk,
	putPlannedChunk,
	sha256,
	videoBytes,
} from './sandboxClient.mjs';

const MB5 = 5_242_880;

const sandbox = useSandbox({ reset: 'state' });
let threeChunks; // 3 × 5,242,880 + 1000 bytes: chunks of MB5, MB5 and MB5 + 1000
let twoChunks; // 11,000,000 bytes: chunks of MB5 and 5,757,120

beforeAll(() => {
	threeChunks = videoBytes(3 * MB5 + 1000, 1);
	twoChunks = videoBytes(11_000_000, 2);
});

/** Inits a FILE_UPLOAD for `data` with `chunkSize`; returns { publishId, uploadUrl }. */
async function start(data, chunkSize = data.length) {
	const token = sandbox.mintToken().access_token;
	const res = await inboxInit(sandbox, token, fileSource(data.length, chunkSize));
	expect(res.status).toBe(200);
	return { publishId: res.body.data.publish_id, uploadUrl: res.body.data.upload_url };
}

const uploadOf = (publishId) => sandbox.state.uploads[publishId];

describe('sequential chunks', () => {
	test('get 206, 206, 201 with progress headers, and the recorded sha256 matches', async () => {
		const { publishId, uploadUrl } = await start(threeChunks, MB5);
		const total = threeChunks.length;

		const first = await putPlannedChunk(uploadUrl, threeChunks, MB5, 0);
		expect(first.status).toBe(206);
		expect(first.contentRange).toBe(`bytes 0-${MB5 - 1}/${total}`);
		expect(uploadOf(publishId)).toMatchObject({ bytesReceived: MB5, complete: false });

		const second = await putPlannedChunk(uploadUrl, threeChunks, MB5, 1);
		expect(second.status).toBe(206);
		expect(second.contentRange).toBe(`bytes 0-${2 * MB5 - 1}/${total}`);

		const last = await putPlannedChunk(uploadUrl, threeChunks, MB5, 2);
		expect(last.status).toBe(201);
		expect(last.contentRange).toBe(`bytes 0-${total - 1}/${total}`);

		const upload = uploadOf(publishId);
		expect(upload.sha256).toBe(sha256(threeChunks));
		expect(upload).toMatchObject({
			bytesReceived: total,
			complete: true,
			ranges: [`0-${MB5 - 1}`, `${MB5}-${2 * MB5 - 1}`, `${2 * MB5}-${total - 1}`],
		});
		expect(upload.puts.map((p) => p.status)).toEqual([206, 206, 201]);
		expect(upload.puts.every((p) => p.contentType === 'video/mp4')).toBe(true);
		expect(upload.puts.some((p) => p.authorizationHeaderSent)).toBe(false);
	});

	test('a single-chunk video gets 201 at once', async () => {
		const data = videoBytes(4096, 3);
		const { publishId, uploadUrl } = await start(data);
		const res = await putChunk(uploadUrl, data, {
			start: 0,
			end: 4095,
			total: 4096,
			contentType: 'video/quicktime',
		});
		expect(res.status).toBe(201);
		expect(res.contentRange).toBe('bytes 0-4095/4096');
		expect(uploadOf(publishId)).toMatchObject({ sha256: sha256(data), complete: true });
	});

	test('a PUT after the upload completed is refused with 416', async () => {
		const data = videoBytes(1000);
		const { publishId, uploadUrl } = await start(data);
		expect((await putChunk(uploadUrl, data, { start: 0, end: 999, total: 1000 })).status).toBe(201);
		expect((await putChunk(uploadUrl, data, { start: 0, end: 999, total: 1000 })).status).toBe(416);
		expect(uploadOf(publishId)).toMatchObject({ bytesReceived: 1000, sha256: sha256(data) });
	});
});

describe('Content-Range checks', () => {
	test('a chunk that does not start at the bytes received so far gets 416', async () => {
		const { publishId, uploadUrl } = await start(twoChunks, MB5);

		// Out of order: the second chunk first.
		const early = await putPlannedChunk(uploadUrl, twoChunks, MB5, 1);
		expect(early.status).toBe(416);
		expect(uploadOf(publishId).bytesReceived).toBe(0);

		expect((await putPlannedChunk(uploadUrl, twoChunks, MB5, 0)).status).toBe(206);

		// Overlap: the first chunk again.
		const again = await putPlannedChunk(uploadUrl, twoChunks, MB5, 0);
		expect(again.status).toBe(416);
		expect(uploadOf(publishId)).toMatchObject({ bytesReceived: MB5, ranges: [`0-${MB5 - 1}`] });
	});

	test('a chunk whose boundaries do not follow chunk_size gets 416', async () => {
		const { publishId, uploadUrl } = await start(twoChunks, MB5);
		const short = twoChunks.subarray(0, 1_000_000);
		const res = await putChunk(uploadUrl, short, {
			start: 0,
			end: short.length - 1,
			total: twoChunks.length,
		});
		expect(res.status).toBe(416);
		expect(uploadOf(publishId).bytesReceived).toBe(0);
	});

	test('a malformed Content-Range or a total other than video_size is refused', async () => {
		const data = videoBytes(1000);
		const { publishId, uploadUrl } = await start(data);
		const wrongTotal = await putChunk(uploadUrl, data, { start: 0, end: 999, total: 1001 });
		expect(wrongTotal.status).toBeGreaterThanOrEqual(400);
		expect(wrongTotal.status).toBeLessThan(500);
		const malformed = await fetch(uploadUrl, {
			method: 'PUT',
			headers: { 'Content-Type': 'video/mp4', 'Content-Range': 'bytes=0-999' },
			body: data,
		});
		expect(malformed.status).toBe(400);
		expect(uploadOf(publishId).bytesReceived).toBe(0);
	});
});

describe('Content-Length and Content-Type checks', () => {
	test('a body length other than the Content-Range length gets 400', async () => {
		const data = videoBytes(1000);
		const { publishId, uploadUrl } = await start(data);
		const res = await putChunk(uploadUrl, data.subarray(0, 999), {
			start: 0,
			end: 999,
			total: 1000,
		});
		expect(res.status).toBe(400);
		expect(uploadOf(publishId)).toMatchObject({ bytesReceived: 0, complete: false });
		expect(uploadOf(publishId).puts[0]).toMatchObject({ contentLength: 999, status: 400 });
		// The upload is still usable afterwards.
		expect((await putChunk(uploadUrl, data, { start: 0, end: 999, total: 1000 })).status).toBe(201);
	});

	test('a chunked body without Content-Length gets 400', async () => {
		const data = videoBytes(1000);
		const { publishId, uploadUrl } = await start(data);
		const status = await new Promise((resolve, reject) => {
			const req = request(uploadUrl, {
				method: 'PUT',
				headers: { 'Content-Type': 'video/mp4', 'Content-Range': 'bytes 0-999/1000' },
			});
			req.on('response', (res) => {
				res.resume();
				resolve(res.statusCode);
			});
			req.on('error', reject);
			req.write(data.subarray(0, 500));
			req.end(data.subarray(500));
		});
		expect(status).toBe(400);
		expect(uploadOf(publishId).puts[0].contentLength).toBeUndefined();
		expect(uploadOf(publishId).bytesReceived).toBe(0);
	});

	test.each(['application/octet-stream', 'video/x-msvideo', 'image/jpeg'])(
		'Content-Type %s gets 400',
		async (contentType) => {
			const data = videoBytes(1000);
			const { publishId, uploadUrl } = await start(data);
			const res = await putChunk(uploadUrl, data, { start: 0, end: 999, total: 1000, contentType });
			expect(res.status).toBe(400);
			expect(uploadOf(publishId).bytesReceived).toBe(0);
		},
	);

	test.each(['video/mp4', 'video/quicktime', 'video/webm'])(
		'Content-Type %s is accepted',
		async (contentType) => {
			const data = videoBytes(1000);
			const { uploadUrl } = await start(data);
			const res = await putChunk(uploadUrl, data, { start: 0, end: 999, total: 1000, contentType });
			expect(res.status).toBe(201);
		},
	);

	test('the Content-Type may not change between chunks', async () => {
		const { publishId, uploadUrl } = await start(twoChunks, MB5);
		expect((await putPlannedChunk(uploadUrl, twoChunks, MB5, 0)).status).toBe(206);
		const changed = await putPlannedChunk(uploadUrl, twoChunks, MB5, 1, {
			contentType: 'video/webm',
		});
		expect(changed.status).toBe(400);
		expect((await putPlannedChunk(uploadUrl, twoChunks, MB5, 1)).status).toBe(201);
		expect(uploadOf(publishId).sha256).toBe(sha256(twoChunks));
	});
});

describe('unknown uploads', () => {
	test('a wrong upload_token, upload_id, path or method gets 404', async () => {
		const data = videoBytes(1000);
		const { publishId, uploadUrl } = await start(data);
		const range = { start: 0, end: 999, total: 1000 };

		const wrongToken = new URL(uploadUrl);
		wrongToken.searchParams.set('upload_token', '0'.repeat(32));
		expect((await putChunk(wrongToken, data, range)).status).toBe(404);

		const wrongId = new URL(uploadUrl);
		wrongId.searchParams.set('upload_id', 'v_inbox_file~v2.1');
		expect((await putChunk(wrongId, data, range)).status).toBe(404);

		const wrongPath = new URL(uploadUrl);
		wrongPath.pathname = '/video/';
		expect((await putChunk(wrongPath, data, range)).status).toBe(404);

		expect((await fetch(uploadUrl)).status).toBe(404);
		expect(uploadOf(publishId).bytesReceived).toBe(0);
	});
});

describe('faults and expiry', () => {
	test('an injected 503 on chunk 1: the retry of the same chunk succeeds, the hash is right', async () => {
		const { publishId, uploadUrl } = await start(threeChunks, MB5);
		sandbox.addFault({ target: 'chunk', kind: 'status', status: 503, chunkIndex: 1, times: 1 });

		expect((await putPlannedChunk(uploadUrl, threeChunks, MB5, 0)).status).toBe(206);
		expect((await putPlannedChunk(uploadUrl, threeChunks, MB5, 1)).status).toBe(503);
		expect(uploadOf(publishId).bytesReceived).toBe(MB5);
		expect((await putPlannedChunk(uploadUrl, threeChunks, MB5, 1)).status).toBe(206);
		expect((await putPlannedChunk(uploadUrl, threeChunks, MB5, 2)).status).toBe(201);

		const upload = uploadOf(publishId);
		expect(upload.sha256).toBe(sha256(threeChunks));
		expect(upload.puts.map((p) => p.status)).toEqual([206, 503, 206, 201]);
		expect(upload.ranges).toHaveLength(3);
	});

	test('a connection reset half-way through a chunk: the retry keeps the hash right', async () => {
		const { publishId, uploadUrl } = await start(twoChunks, MB5);
		sandbox.addFault({ target: 'chunk', kind: 'reset', chunkIndex: 1 });

		expect((await putPlannedChunk(uploadUrl, twoChunks, MB5, 0)).status).toBe(206);
		await expect(putPlannedChunk(uploadUrl, twoChunks, MB5, 1)).rejects.toThrow();
		expect(uploadOf(publishId)).toMatchObject({ bytesReceived: MB5, complete: false });
		expect((await putPlannedChunk(uploadUrl, twoChunks, MB5, 1)).status).toBe(201);
		expect(uploadOf(publishId).sha256).toBe(sha256(twoChunks));
	});

	test("an injected 'expired' fault answers 403", async () => {
		const data = videoBytes(1000);
		const { publishId, uploadUrl } = await start(data);
		sandbox.addFault({ target: 'chunk', kind: 'expired' });
		const res = await putChunk(uploadUrl, data, { start: 0, end: 999, total: 1000 });
		expect(res.status).toBe(403);
		expect(uploadOf(publishId)).toMatchObject({ bytesReceived: 0, complete: false });
		expect(uploadOf(publishId).puts[0].status).toBe(403);
	});

	test('an upload_url older than uploadUrlTtlSeconds answers 403', async () => {
		const data = videoBytes(1000);
		const { uploadUrl } = await start(data);
		sandbox.configure({ uploadUrlTtlSeconds: -1 });
		try {
			const res = await putChunk(uploadUrl, data, { start: 0, end: 999, total: 1000 });
			expect(res.status).toBe(403);
		} finally {
			sandbox.configure({ uploadUrlTtlSeconds: 3600 });
		}
		expect((await putChunk(uploadUrl, data, { start: 0, end: 999, total: 1000 })).status).toBe(201);
	});
});

describe('overlapping requests', () => {
	/** Starts a PUT of chunk 0, sends only its headers and first bytes; `finish()` sends the rest. */
	function openPut(uploadUrl, data, chunkSize) {
		const req = request(uploadUrl, {
			method: 'PUT',
			headers: {
				'Content-Type': 'video/mp4',
				'Content-Range': `bytes 0-${chunkSize - 1}/${data.length}`,
				'Content-Length': chunkSize,
			},
		});
		const status = new Promise((resolve, reject) => {
			req.on('response', (res) => {
				res.resume();
				resolve(res.statusCode);
			});
			req.on('error', reject);
		});
		req.write(data.subarray(0, 1000));
		return { status, finish: () => req.end(data.subarray(1000, chunkSize)) };
	}

	test('a duplicate PUT of a chunk still in flight is refused, not counted twice', async () => {
		const { publishId, uploadUrl } = await start(twoChunks, MB5);
		const first = openPut(uploadUrl, twoChunks, MB5);
		const second = openPut(uploadUrl, twoChunks, MB5);
		await new Promise((resolve) => setTimeout(resolve, 50));
		first.finish();
		second.finish();
		const statuses = await Promise.all([first.status, second.status]);
		const upload = uploadOf(publishId);
		expect(upload.bytesReceived).toBe(MB5);
		expect(upload.ranges).toEqual([`0-${MB5 - 1}`]);
		expect(statuses.sort()).toEqual([206, 416]);
	});
});
