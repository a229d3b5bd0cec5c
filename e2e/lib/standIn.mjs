// A stand-in for an object that exists only once a beforeAll hook has run (a server, an n8n, a
// credential), for module-level code to hold: each property is read from the object when used.

/** `current()`: the object, or undefined before it is started. `what` names it in the error. */
export function standIn(current, what) {
	return new Proxy(
		{},
		{
			get(_target, key) {
				const value = current();
				if (!value) throw new Error(`${what} is not started yet (reading ${String(key)})`);
				return value[key];
			},
		},
	);
}
