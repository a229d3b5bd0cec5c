// Each jest project's test timeout, from its `globals.testTimeoutMs` in jest.config.mjs: jest 30
// reads `testTimeout` from the global config only (one value for every project), a setup file
// runs per project.
import { jest } from '@jest/globals';

jest.setTimeout(globalThis.testTimeoutMs);
