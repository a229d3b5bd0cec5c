// testTimeout is not a per-project option in jest's config; a setup file per project is.
import { jest } from '@jest/globals';

jest.setTimeout(60_000);
