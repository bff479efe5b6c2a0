// Shared by the browser tests: Chromium found, launched and listened to as
// packages/core/scripts/verify-browser-model.ts does (both through packages/core/scripts/chromium.ts),
// a page's fetch() and its console line, and what happens when there is no browser (CI fails, a
// local run says so and moves on).
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';

export {
  chromiumPath,
  corsConsoleLines,
  launchChromium,
} from '../../../../packages/core/scripts/chromium.js';

/**
 * Registers the one test a file has when Chromium is missing: it fails under CI (the browser stage
 * must run there) and passes locally after saying, visibly, that the browser checks did not run.
 */
export function withoutChromium(stage: string): void {
  it(`runs ${stage} in Chromium (required under CI)`, () => {
    console.warn(
      `\n[browser] Chromium not found (set CHROMIUM or apt-get install chromium): ${stage} did NOT run\n`,
    );
    const ci = process.env.CI ?? '';
    expect(
      ci !== '' && !/^(0|false)$/i.test(ci),
      'CI must run the browser stage: install chromium (.ci/run does) or set CHROMIUM',
    ).toBe(false);
  });
}

/**
 * Waits for the console line about `url` (quoted, so `?u=1` never matches `?u=12`), the URL
 * fetch() was called with: after a redirect the line names it as "(redirected from '<url>')". A
 * blocked fetch prints it around the time its promise rejects, so `blocked` waits up to 3 s; for a
 * fetch that resolved a short grace period catches a stray line.
 */
export async function consoleLineFor(
  lines: readonly string[],
  url: string,
  blocked: boolean,
): Promise<string | null> {
  const needle = `Access to fetch at '${url}'`;
  const redirected = `(redirected from '${url}') from origin`;
  const deadline = Date.now() + (blocked ? 3000 : 40);
  for (;;) {
    const line = lines.find((l) => l.startsWith(needle) || l.includes(redirected));
    if (line !== undefined) return line;
    if (Date.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What the page's `fetch()` came to: the response it could read, or the error. */
export type FetchOutcome =
  | { resolved: true; status: number; body: string; readable: Record<string, string | null> }
  | { resolved: false; error: string };

/** Runs `fetch(url, init)` in `page` and reports what the script could see. */
export function fetchFromPage(
  page: Page,
  url: string,
  init: { method: string; headers?: Record<string, string>; credentials?: string; body?: string },
  readableNames: readonly string[] = [],
): Promise<FetchOutcome> {
  return page.evaluate(
    async ({ url, init, names }) => {
      try {
        const response = await fetch(url, init as RequestInit);
        const body = await response.text();
        const readable = Object.fromEntries(names.map((n) => [n, response.headers.get(n)]));
        return { resolved: true as const, status: response.status, body, readable };
      } catch (error) {
        return { resolved: false as const, error: String(error) };
      }
    },
    { url, init, names: [...readableNames] },
  );
}
