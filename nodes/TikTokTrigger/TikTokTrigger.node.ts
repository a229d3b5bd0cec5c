import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { credentialTypeFor } from '../shared/credentialTypes';
import { tikTokUnattendedApiTest } from '../shared/credentialTest';
import { authenticationProperty } from '../shared/descriptions';
import { EVENT_OPTIONS, eventItem, isWantedEvent, type TikTokWebhookBody } from './events';
import { seenBefore } from './recentEvents';
import { checkTikTokSignature, TOLERANCE_SECONDS, type SignatureRejection } from './signature';

/** What TikTok gets for a verified delivery that starts no execution: 200, so it stops retrying. */
const IGNORED = (reason: string): IWebhookResponseData => ({
	webhookResponse: { received: true, ignored: reason },
});

/** Signature Tolerance as set; unset means the default. Anything else fails the check. */
function toleranceFrom(value: unknown): number {
	if (value === undefined || value === null) return TOLERANCE_SECONDS.default;
	if (typeof value === 'number') return value;
	return typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
}

/** The log line for a refused delivery: what to fix, never the secret or a signature. */
function refusalMessage(reason: SignatureRejection, tolerance: unknown): string {
	const prefix = 'TikTok Trigger refused a delivery:';
	if (reason === 'no secret') {
		return `${prefix} the credential's client secret is empty, so no signature can be trusted. Enter the app's client secret in the credential.`;
	}
	if (reason === 'bad tolerance') {
		const given =
			typeof tolerance === 'number'
				? String(tolerance)
				: typeof tolerance === 'string'
					? JSON.stringify(tolerance.slice(0, 40))
					: `a value of type ${typeof tolerance}`;
		return `${prefix} Signature Tolerance must be a number of seconds from ${TOLERANCE_SECONDS.min} to ${TOLERANCE_SECONDS.max}, not ${given}. Fix the option.`;
	}
	return `${prefix} signature ${reason}`;
}

export class TikTokTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TikTok Trigger',
		name: 'tikTokTrigger',
		icon: {
			light: 'file:../../icons/tiktok.svg',
			dark: 'file:../../icons/tiktok.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{($parameter["events"] || []).includes("*") || !($parameter["events"] || []).length ? "All events" : $parameter["events"].join(", ")}}',
		description:
			'Starts the workflow when TikTok sends an event: draft delivered, post live, post failed, access removed',
		defaults: { name: 'TikTok Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Literal names: n8n's lint checks a node's credentials only as written here.
		credentials: [
			{
				name: 'tikTokOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
			{
				name: 'tikTokUnattendedApi',
				required: true,
				testedBy: 'tikTokUnattendedApiTest',
				displayOptions: { show: { authentication: ['unattended'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// 200 at once, before the workflow runs: TikTok retries anything slower.
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					"Paste this node's Production URL as the callback URL in your TikTok app (developers.tiktok.com → your app → Webhooks), then activate the workflow. TikTok allows one HTTPS callback URL per app and sends every event of the app there.",
				name: 'callbackNotice',
				type: 'notice',
				default: '',
			},
			{
				...authenticationProperty,
				description:
					"The TikTok credential of the app that sends the events: its client secret verifies each event's signature",
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: EVENT_OPTIONS,
				default: ['*'],
				description: 'Which events start the workflow; others are answered and dropped',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Drop Duplicate Deliveries',
						name: 'dropDuplicates',
						type: 'boolean',
						default: true,
						description:
							'Whether to start no execution for an event already received. TikTok delivers at least once and retries for up to 72 hours; the last 1,000 events are remembered.',
					},
					{
						displayName: 'Only This Account (Open ID)',
						name: 'openId',
						type: 'string',
						default: '',
						placeholder: 'e.g. {{ $json.open_id }} from Get User Info',
						description:
							'Start only for events of this TikTok account: its open_id, as Get User Info returns it. Empty: every account that authorized the app.',
					},
					{
						displayName: 'Signature Tolerance (Seconds)',
						name: 'toleranceSeconds',
						type: 'number',
						// Literals for the lint and the editor; signature.ts enforces the same bounds.
						typeOptions: { minValue: 1, maxValue: 3600 },
						default: 300,
						description:
							'How far the signature time may be from now, 1 to 3600. Older or newer deliveries are refused as possible replays; a value outside this range refuses every delivery.',
					},
				],
			},
		],
	};

	methods = { credentialTest: { tikTokUnattendedApiTest } };

	// TikTok has no API to register a callback URL: the user pastes it into the app's settings, so
	// there is nothing to check, create or delete on TikTok's side.
	webhookMethods = {
		default: {
			async checkExists(this: unknown): Promise<boolean> {
				return false;
			},
			async create(this: unknown): Promise<boolean> {
				return true;
			},
			async delete(this: unknown): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const authentication = this.getNodeParameter('authentication', 'oAuth2') as string;
		const credentials = await this.getCredentials(credentialTypeFor(authentication));

		// First of all: nothing else runs for a delivery that TikTok did not sign. A credential
		// without a secret or a tolerance that would disable the time check refuses every delivery.
		const rawBody = (request as { rawBody?: Buffer | string }).rawBody;
		const secret = credentials.clientSecret;
		const check = checkTikTokSignature({
			header: request.header('tiktok-signature'),
			rawBody: rawBody ?? '',
			clientSecret: typeof secret === 'string' ? secret : '',
			toleranceSeconds: toleranceFrom(options.toleranceSeconds),
			nowSeconds: Math.floor(Date.now() / 1000),
		});
		if (!check.valid || rawBody === undefined) {
			const message = check.valid
				? 'TikTok Trigger refused a delivery: no raw body'
				: refusalMessage(check.reason, options.toleranceSeconds);
			this.logger.warn(message);
			this.getResponseObject().status(401).json({ error: 'invalid TikTok-Signature' });
			return { noWebhookResponse: true };
		}

		const body = this.getBodyData() as TikTokWebhookBody;
		const item = eventItem(body);
		const events = this.getNodeParameter('events', ['*']) as string[];
		if (!isWantedEvent(String(item.event), events)) return IGNORED('event not selected');
		const openId = String(options.openId ?? '').trim();
		if (openId && item.open_id !== openId) return IGNORED('other account');
		// No await from here on: the dedupe must check and remember in one step (recentEvents.ts).
		if (options.dropDuplicates !== false) {
			const node = this.getNode();
			const scope = `${this.getMode()}:${this.getWorkflow().id ?? ''}:${node.id ?? node.name}`;
			const staticData = this.getWorkflowStaticData('node');
			if (seenBefore(staticData, String(item.event_key), scope)) return IGNORED('duplicate');
		}
		return { workflowData: [this.helpers.returnJsonArray([item])] };
	}
}
