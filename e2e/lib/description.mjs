// What the built package (dist/) tells n8n about its nodes and credentials, read the way n8n reads
// it (the classes package.json lists), so tests compare the page with the package, not with a copy.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_DIR } from './engine.mjs';

const require = createRequire(import.meta.url);

function load(paths) {
	const out = {};
	for (const path of paths) {
		// A fresh copy per call: the build may have changed since the last one.
		const file = join(PACKAGE_DIR, path);
		delete require.cache[require.resolve(file)];
		for (const Class of Object.values(require(file))) {
			if (typeof Class !== 'function') continue;
			const instance = new Class();
			out[instance.description?.name ?? instance.name] = instance;
		}
	}
	return out;
}

/** { nodes: { tikTok, tikTokTrigger }, credentials: { tikTokOAuth2Api, … } } from dist/. */
export function packageTypes() {
	const { n8n } = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8'));
	return { nodes: load(n8n.nodes), credentials: load(n8n.credentials) };
}

/** Every operation of a node, as the node panel groups them: resource, name, description, action. */
export function operationsOf(description) {
	const resources = description.properties.find((p) => p.name === 'resource')?.options ?? [];
	return resources.flatMap((resource) => {
		const operation = description.properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource.value),
		);
		return (operation?.options ?? []).map((option) => ({
			resource: resource.name,
			resourceValue: resource.value,
			name: option.name,
			value: option.value,
			description: option.description ?? '',
			action: option.action ?? '',
		}));
	});
}

/** The properties shown for `values` (resource, operation, …): displayOptions.show only. */
export function visibleProperties(description, values) {
	return description.properties.filter((property) => {
		const show = property.displayOptions?.show ?? {};
		return Object.entries(show).every(
			([key, allowed]) => key.startsWith('@') || allowed.includes(values[key]),
		);
	});
}
