// The memory soak of soak.ts, smaller: 20,000 requests in a child process with --expose-gc.
// (The full run, 200,000 requests, is `pnpm exec tsx --expose-gc --tsconfig
// apps/example/test/security/tsconfig.json apps/example/test/security/soak.ts 200000`.)
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { SoakFigures } from './soak.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const REQUESTS = 20_000;

describe('a soak of 20,000 requests against Express with @cors/node', () => {
  it('answers every request as expected, faults included, with a flat heap', async () => {
    const { stdout } = await promisify(execFile)(
      `${root}node_modules/.bin/tsx`,
      [
        '--expose-gc',
        '--tsconfig',
        `${here}tsconfig.json`,
        `${here}soak.ts`,
        String(REQUESTS),
        '16',
      ],
      { cwd: root, env: { ...process.env, NODE_ENV: 'test' }, timeout: 90_000 },
    );
    const figures = JSON.parse(stdout.trim().split('\n').at(-1)!) as SoakFigures;
    expect(figures.requests).toBe(REQUESTS);
    expect(figures.unexpected).toBe(0);
    // After warm-up, a full GC leaves the same heap: 20,000 requests leaking even 100 bytes
    // each would add 2 MB.
    expect(figures.growthMB).toBeLessThan(1.5);
    const afterWarmUp = figures.heapMB.slice(1);
    expect(Math.max(...afterWarmUp) - Math.min(...afterWarmUp)).toBeLessThan(1.5);
  }, 120_000);
});
