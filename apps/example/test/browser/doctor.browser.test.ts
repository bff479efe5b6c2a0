// cors-doctor against real Chromium. Every misconfigured server of @cors/doctor's cause tests
// (packages/doctor/test/serve.ts, `causes`) is started once and met twice with the same request
// to the same URL: by diagnose() from @cors/doctor, and by fetch() from a page in Chromium on the
// origin the doctor was given. Then:
//   1. both sent the same requests: the preflight or not, with the same Origin,
//      Access-Control-Request-Method and -Headers, and the actual request only when the
//      preflight passed, as the server recorded them; after a redirect, the same hops to the
//      same servers (a cause has two, on two origins), with the same methods, Content-Type and
//      Origin (`null` after a redirect to another origin), the new URL preflighted or not;
//   2. the doctor's verdict is Chromium's (fetch() resolved or not);
//   3. the doctor's message is Chromium's console line, byte for byte (no line when allowed);
//   4. a fetch blocked without a CORS line failed as the doctor says: Chromium prints
//      "Failed to load resource: net::<networkError>" (net::ERR_FAILED after a CORS error), or the
//      "Mixed Content: …" line for the doctor's 'MixedContent'.
//
// The page is https://app.example.com itself: --host-resolver-rules sends that name to the front
// server of the conformance run (front.ts), which serves the page, so the Origin the server sees
// is the one the doctor sends. Both fetch http://127.0.0.1:PORT/items?u=N, a URL the doctor can
// reach without Chromium's resolver (loopback is potentially trustworthy, so the https page may
// fetch it); the counter keeps every URL, and so the preflight and HTTP caches, fresh.
//
// Every cause in `causes` is a request a page can make, so none is left out. What the doctor
// diagnoses beyond them has no CORS verdict to compare: network failures (test/network.test.ts:
// DNS, refused, timeout, TLS, reset) end in a ProbeError, where Chromium prints net::ERR_* and
// no CORS line, and `cors-doctor lint` checks a configuration file without any request.
import { type DoctorReport, diagnose } from '@cors/doctor';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CauseName,
  causes,
  ORIGIN,
  PATH,
  serveCause,
} from '../../../../packages/doctor/test/serve.js';
import {
  chromiumPath,
  consoleLineFor,
  corsConsoleLines,
  fetchFromPage,
  launchChromium,
  withoutChromium,
} from './chromium.js';
import { type Front, PAGE_PATH, startFront } from './front.js';

/** A request as a server received it, in the terms both clients must agree on. */
interface Received {
  server: 'main' | 'other';
  method: string;
  path: string;
  origin: string | undefined;
  contentType: string | undefined;
  requestMethod: string | undefined;
  requestHeaders: string | undefined;
}

const names = Object.keys(causes) as CauseName[];

/** The URL fetch() was called with, as a CORS line names it: after a redirect, the one in "(redirected from '…')". */
function firstUrl(line: string): string | undefined {
  const match = /^Access to fetch at '([^']+)' (?:\(redirected from '([^']+)'\) )?from origin/.exec(
    line,
  );
  return match?.[2] ?? match?.[1];
}

if (chromiumPath === undefined) {
  withoutChromium("the doctor's diagnoses");
} else {
  const executable = chromiumPath;
  let front: Front;
  let browser: Browser;
  let page: Page;
  let lines: string[];
  /** Every other console line (network errors, mixed content), in arrival order. */
  const otherLines: string[] = [];
  const blockedUrls = new Set<string>();
  const started = performance.now();
  let counter = 0;

  beforeAll(async () => {
    front = await startFront();
    browser = await launchChromium(executable, {
      hostRules: `MAP ${new URL(ORIGIN).hostname} 127.0.0.1:${front.port}`,
      ignoreCertificateErrors: true,
    });
    page = await browser.newPage();
    lines = corsConsoleLines(page);
    page.on('console', (message) => {
      if (!message.text().startsWith('Access to ')) otherLines.push(message.text());
    });
    await page.goto(ORIGIN + PAGE_PATH);
    expect(await page.evaluate(() => (globalThis as unknown as { origin: string }).origin)).toBe(
      ORIGIN,
    );
    console.log(
      `[browser] Chromium ${browser.version()} judges cors-doctor on ${names.length} misconfigured servers`,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await front?.close();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`[browser] doctor vs Chromium: ${counter} servers in ${seconds} s`);
  });

  describe('cors-doctor says what Chromium says', () => {
    it.each(names)('%s', async (name) => {
      const { request = {} } = causes[name];
      const received: Received[] = [];
      const server = await serveCause(causes[name], (req, here) => {
        const one = (field: string) => req.headers[field] as string | undefined;
        received.push({
          server: here,
          method: req.method ?? '',
          path: req.url ?? '',
          origin: one('origin'),
          contentType: one('content-type'),
          requestMethod: one('access-control-request-method'),
          requestHeaders: one('access-control-request-headers'),
        });
      });
      try {
        const url = `${server.url}${PATH}?u=${++counter}`;

        const report: DoctorReport = await diagnose(url, { origin: ORIGIN, ...request });
        const byDoctor = received.splice(0);

        const before = otherLines.length;
        const outcome = await fetchFromPage(page, url, {
          method: request.method ?? 'GET',
          headers: { ...request.headers },
          credentials: request.credentials ? 'include' : 'same-origin',
        });
        if (!outcome.resolved) blockedUrls.add(url);
        // A network error comes without a CORS line: no need to wait for one (step 4 waits for
        // the network error's own line, which Chromium prints after any CORS line).
        const line = await consoleLineFor(
          lines,
          url,
          !outcome.resolved && report.networkError === null,
        );
        const byChromium = received.splice(0);

        // 1. The same requests reached the servers, the first from the doctor's origin.
        expect(byChromium.length, 'Chromium sent no request').toBeGreaterThan(0);
        expect(byChromium[0]!.origin).toBe(ORIGIN);
        expect(byDoctor).toEqual(byChromium);

        // 2. The same verdict.
        expect(report.verdict).toBe(outcome.resolved ? 'allowed' : 'blocked');

        // 3. The same console line, byte for byte.
        expect(report.message).toBe(line);
        expect(outcome.resolved).toBe(line === null && report.networkError === null);

        // 4. A failure without a CORS line is the one the doctor names.
        if (!outcome.resolved) {
          const last = report.steps.at(-1)!;
          const failure =
            report.networkError === 'MixedContent'
              ? `Mixed Content: The page at '${ORIGIN}${PAGE_PATH}' was loaded over HTTPS, but requested an insecure resource '${new URL(String(last.response.headers.location), last.request.url).href}'.`
              : `Failed to load resource: net::${report.networkError ?? 'ERR_FAILED'}`;
          await expect
            .poll(() => otherLines.slice(before).some((l) => l.startsWith(failure)))
            .toBe(true);
        }
      } finally {
        await server.close();
      }
    });

    it('saw Chromium print a CORS error only for fetches that failed', () => {
      const stray = lines.filter((line) => {
        const url = firstUrl(line);
        return url === undefined || !blockedUrls.has(url);
      });
      expect(blockedUrls.size).toBeGreaterThan(0);
      expect(stray).toEqual([]);
    });
  });
}
