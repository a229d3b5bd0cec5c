// A line plot as a PNG with no dependencies: RGB pixels, zlib from Node, the PNG chunk format.
// Each series is { color: [r, g, b], points: [[x, y], ...] }; axes start at 0.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(bytes) {
	let c = 0xffffffff;
	for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typed));
	return Buffer.concat([length, typed, crc]);
}

export function linePlotPng(series, { width = 900, height = 420, margin = 40, gridY } = {}) {
	const pixels = Buffer.alloc(width * height * 3, 255);
	const set = (x, y, [r, g, b]) => {
		if (x < 0 || y < 0 || x >= width || y >= height) return;
		const at = (y * width + x) * 3;
		pixels[at] = r;
		pixels[at + 1] = g;
		pixels[at + 2] = b;
	};
	const maxX = Math.max(...series.flatMap((s) => s.points.map(([x]) => x)), 1);
	const maxY = Math.max(...series.flatMap((s) => s.points.map(([, y]) => y)), 1) * 1.05;
	const toPixel = ([x, y]) => [
		Math.round(margin + (x / maxX) * (width - 2 * margin)),
		Math.round(height - margin - (y / maxY) * (height - 2 * margin)),
	];
	if (gridY) {
		for (let y = gridY; y < maxY; y += gridY) {
			const [, py] = toPixel([0, y]);
			for (let x = margin; x < width - margin; x += 4) set(x, py, [215, 215, 215]);
		}
	}
	for (let x = margin; x < width - margin; x++) set(x, height - margin, [0, 0, 0]);
	for (let y = margin; y < height - margin; y++) set(margin, y, [0, 0, 0]);
	for (const { color, points } of series) {
		for (let i = 1; i < points.length; i++) {
			const [x0, y0] = toPixel(points[i - 1]);
			const [x1, y1] = toPixel(points[i]);
			const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
			for (let s = 0; s <= steps; s++) {
				const x = Math.round(x0 + ((x1 - x0) * s) / steps);
				const y = Math.round(y0 + ((y1 - y0) * s) / steps);
				for (const d of [-1, 0, 1]) set(x, y + d, color);
			}
		}
	}
	const rows = Buffer.alloc((width * 3 + 1) * height);
	for (let y = 0; y < height; y++) {
		rows[y * (width * 3 + 1)] = 0; // filter: none
		pixels.copy(rows, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bit depth
	header[9] = 2; // RGB
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(rows)),
		chunk('IEND', Buffer.alloc(0)),
	]);
}
