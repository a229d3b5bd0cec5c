// testTimeout is not a per-project option in jest's config; a setup file per project is.
// n8n starts in ~45 s on a 2-core machine; a step of the browser suite takes seconds to a minute.
import { jest } from '@jest/globals';

jest.setTimeout(300_000);
