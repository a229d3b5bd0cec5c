// Benchmark only, never shipped (bench/run.mjs installs it into the benchmark's n8n): loads the
// whole video with getBinaryDataBuffer, as other TikTok nodes do, then inits a FILE_UPLOAD and
// PUTs the same chunks as the package (views into the loaded buffer) with n8n's HTTP helper.
// Plain CommonJS so it needs no build (the repository ignores dist/ folders).
'use strict';

class WholeFileUpload {
	constructor() {
		this.description = {
			displayName: 'Whole-File Upload (bench)',
			name: 'wholeFileUpload',
			group: ['output'],
			version: 1,
			description: 'Benchmark comparison node',
			defaults: { name: 'Whole-File Upload' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{ displayName: 'API Base URL', name: 'apiBaseUrl', type: 'string', default: '' },
				{ displayName: 'Access Token', name: 'accessToken', type: 'string', default: '' },
				{
					displayName: 'Binary Property',
					name: 'binaryPropertyName',
					type: 'string',
					default: 'data',
				},
				{ displayName: 'Chunk Size', name: 'chunkSize', type: 'number', default: 10000000 },
			],
		};
	}

	async execute() {
		const apiBaseUrl = this.getNodeParameter('apiBaseUrl', 0);
		const accessToken = this.getNodeParameter('accessToken', 0);
		const property = this.getNodeParameter('binaryPropertyName', 0);
		const preferred = this.getNodeParameter('chunkSize', 0);
		const data = await this.helpers.getBinaryDataBuffer(0, property);
		const size = data.length;
		const chunkSize = size <= 64000000 ? size : preferred;
		const count = Math.floor(size / chunkSize);
		const init = await this.helpers.httpRequest({
			method: 'POST',
			url: `${apiBaseUrl}/v2/post/publish/inbox/video/init/`,
			headers: { Authorization: `Bearer ${accessToken}` },
			body: {
				source_info: {
					source: 'FILE_UPLOAD',
					video_size: size,
					chunk_size: chunkSize,
					total_chunk_count: count,
				},
			},
			json: true,
		});
		for (let k = 0; k < count; k++) {
			const start = k * chunkSize;
			const end = k === count - 1 ? size : start + chunkSize;
			await this.helpers.httpRequest({
				method: 'PUT',
				url: init.data.upload_url,
				body: data.subarray(start, end),
				headers: {
					'Content-Type': 'video/mp4',
					'Content-Length': String(end - start),
					'Content-Range': `bytes ${start}-${end - 1}/${size}`,
				},
				json: false,
				encoding: 'text',
			});
		}
		return [[{ json: { publish_id: init.data.publish_id } }]];
	}
}

module.exports = { WholeFileUpload };
