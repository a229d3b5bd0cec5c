// testTimeout is not a per-project option in jest's config; a setup file per project is.
// A cluster of five n8n-related processes starts in ~30 s; the full suite's uploads take minutes.
import { jest } from '@jest/globals';

jest.setTimeout(1_800_000);
