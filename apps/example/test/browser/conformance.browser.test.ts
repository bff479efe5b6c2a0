// Real Chromium as the judge of the conformance scenarios' browser verdicts, on every adapter.
//
// For each scenario that states a browser verdict and whose request a page can make, the adapter is
// started with the scenario's options and a page fetches from it with the scenario's method, headers
// and credentials. Then:
//   1. Chromium's verdict must be the scenario's: for a scenario about a preflight, whether Chromium
//      went on to send the actual request; otherwise whether fetch() resolved. A resolved fetch
//      must show the status and body the adapter sent, and exactly the headers CORS exposes.
//   2. Chromium's console line must equal, byte for byte, the message of the core's browser model
//      run on the very response the adapter sent (none when the model accepts it).
//
// Origins are not rewritten. Chromium resolves every host name to one local front server
// (test/browser/front.ts) that serves each page from the scenario's own origin
// (https://app.example.com, https://evil.example.net, ...; a sandboxed page for `null`) and relays
// the adapter under https://<adapter>-<n>.api.test, recording the request Chromium sent and the
// response the adapter wrote. So the Origin that reaches the adapter is the scenario's, and the
// scenario's options run as written (origin functions and patterns included).

import {
  headerValues,
  type RawHeaders,
  type RequestScenario,
  type StartedServer,
  scenarios,
} from '@cors/conformance';
import {
  type BrowserCheck,
  type BrowserRequest,
  checkPreflight,
  checkResponse,
  needsPreflight,
  preflightRequestHeaders,
} from '@cors/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { perRoute, type ServerName, servers } from '../../src/servers.js';
import {
  chromiumPath,
  consoleLineFor,
  corsConsoleLines,
  fetchFromPage,
  launchChromium,
  withoutChromium,
} from './chromium.js';
import { type Exchange, type Front, OPAQUE_HOST, PAGE_PATH, startFront } from './front.js';

/** A scenario as a page makes it. */
interface BrowserCase {
  scenario: RequestScenario & { browser: NonNullable<RequestScenario['browser']> };
  /** The page's origin: the scenario's Origin header. */
  origin: string;
  /** The scenario's request is the preflight (not the actual request). */
  preflight: boolean;
  init: {
    method: string;
    headers: Record<string, string>;
    credentials: 'omit' | 'same-origin' | 'include';
    body?: string;
  };
}

// https://fetch.spec.whatwg.org/#forbidden-request-header: fetch() drops these silently (Chromium
// drops User-Agent too, docs/browser-differences.md), so a scenario that needs one cannot be made.
const FORBIDDEN_HEADER =
  /^(accept-charset|accept-encoding|access-control-request-headers|access-control-request-method|connection|content-length|cookie|cookie2|date|dnt|expect|host|keep-alive|origin|referer|set-cookie|te|trailer|transfer-encoding|upgrade|user-agent|via|proxy-.*|sec-.*)$/i;
const METHOD_OVERRIDE = /^x-(http-method|http-method-override|method-override)$/i;
const FORBIDDEN_METHOD = /^(connect|trace|track)$/i;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Response headers the page tries to read after a resolved fetch. */
const READABLE = ['content-type', 'x-handler', 'x-request-id', 'x-total-count'];

function header(headers: RawHeaders, name: string): string | undefined {
  const pairs = Array.isArray(headers)
    ? (headers as ReadonlyArray<readonly [string, string]>)
    : Object.entries(headers);
  return pairs.find(([n]) => n.toLowerCase() === name)?.[1];
}

/** Why a page cannot make the scenario's request, or `undefined` when it can. */
function inexpressible(scenario: RequestScenario, origin: string | undefined): string | undefined {
  const browser = scenario.browser!;
  if (origin === undefined) return 'the request has no Origin: a page always sends one';
  if (origin !== 'null') {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {}
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      return `no page has the origin '${origin}' (not a serialised http(s) origin)`;
    }
  }
  const method = browser.request.method;
  if (!TOKEN.test(method) || FORBIDDEN_METHOD.test(method)) {
    return `fetch() refuses the method '${method}'`;
  }
  for (const [name, value] of Object.entries(browser.request.headers ?? {})) {
    if (FORBIDDEN_HEADER.test(name)) return `fetch() drops the forbidden header ${name}`;
    if (METHOD_OVERRIDE.test(name) && /\b(connect|trace|track)\b/i.test(value)) {
      return `fetch() drops ${name}: ${value} (a forbidden method)`;
    }
  }
  const request: BrowserRequest = {
    url: 'https://api.example.test/',
    origin,
    ...browser.request,
  };
  const asked = preflightRequestHeaders(request);
  const isPreflight = scenario.request.method === 'OPTIONS' && hasRequestMethod(scenario);
  if (isPreflight) {
    if (!needsPreflight(request)) return 'fetch() sends no preflight for this request';
    const method = header(scenario.request.headers, 'access-control-request-method');
    if (method !== asked.method) {
      return `fetch() sends Access-Control-Request-Method: ${asked.method}, the scenario ${method}`;
    }
    const names = header(scenario.request.headers, 'access-control-request-headers');
    if (names !== asked.requestHeaders) {
      return `fetch() sends Access-Control-Request-Headers: ${asked.requestHeaders ?? '(none)'}, the scenario ${names ?? '(none)'}`;
    }
  } else if (scenario.request.method !== asked.method) {
    return `fetch() sends the method ${asked.method}, the scenario ${scenario.request.method}`;
  }
  return undefined;
}

function hasRequestMethod(scenario: RequestScenario): boolean {
  return header(scenario.request.headers, 'access-control-request-method') !== undefined;
}

/** Every scenario with a browser verdict: as a case, or excluded with the reason. */
function planCases(withPerRoute: boolean) {
  const cases: BrowserCase[] = [];
  const excluded: Array<{ id: string; reason: string }> = [];
  for (const scenario of scenarios) {
    if (scenario.request === undefined || scenario.browser === undefined) continue;
    if (scenario.perRoute && !withPerRoute) continue;
    const origin = header(scenario.request.headers, 'origin');
    const reason = inexpressible(scenario, origin);
    if (reason !== undefined) {
      excluded.push({ id: scenario.id, reason });
      continue;
    }
    const { method, headers = {}, credentials = 'same-origin' } = scenario.browser.request;
    const body = scenario.request.body;
    cases.push({
      scenario: scenario as BrowserCase['scenario'],
      origin: origin!,
      preflight: scenario.request.method === 'OPTIONS' && hasRequestMethod(scenario),
      init: {
        method,
        headers: { ...headers },
        credentials,
        ...(body !== undefined && !/^(get|head)$/i.test(method) ? { body } : {}),
      },
    });
  }
  return { cases, excluded };
}

/** The model on what Chromium got: the preflight's check if one was sent, then the response's. */
function modelVerdict(
  request: BrowserRequest,
  preflight: Exchange | undefined,
  actual: Exchange | undefined,
): BrowserCheck {
  let check: BrowserCheck = { ok: true };
  if (preflight) check = checkPreflight(request, preflight.response);
  if (check.ok && actual) check = checkResponse(request, actual.response);
  return check;
}

/** Which of READABLE the page must see: safelisted ones, and those Access-Control-Expose-Headers names. */
function expectedReadable(exchange: Exchange, credentials: string): Record<string, string | null> {
  const exposed = headerValues(exchange.response, 'access-control-expose-headers')
    .flatMap((v) => v.split(','))
    .map((t) => t.trim().toLowerCase());
  const wildcard = exposed.includes('*') && credentials !== 'include';
  return Object.fromEntries(
    READABLE.map((name) => {
      const values = headerValues(exchange.response, name);
      const visible = name === 'content-type' || wildcard || exposed.includes(name);
      return [name, visible && values.length > 0 ? values.join(', ') : null];
    }),
  );
}

const names = Object.keys(servers) as ServerName[];

if (chromiumPath === undefined) {
  withoutChromium('the conformance scenarios');
} else {
  const executable = chromiumPath;
  let front: Front;
  let browser: Browser;
  const pages = new Map<string, Promise<{ page: Page; lines: string[] }>>();
  const seenLines: string[][] = [];
  const blockedUrls = new Set<string>();
  const started = performance.now();
  let counter = 0;
  let run = 0;

  beforeAll(async () => {
    front = await startFront();
    browser = await launchChromium(executable, {
      hostRules: `MAP * 127.0.0.1:${front.port}`,
      ignoreCertificateErrors: true,
    });
    const excluded = planCases(true).excluded;
    const reasons = new Map<string, string[]>();
    for (const { id, reason } of excluded)
      reasons.set(reason, [...(reasons.get(reason) ?? []), id]);
    console.log(
      [
        `[browser] Chromium ${browser.version()} judges the conformance scenarios on ${names.length} adapters`,
        `[browser] ${planCases(true).cases.length} scenarios a page can make; ${excluded.length} excluded${excluded.length ? ':' : ''}`,
        ...[...reasons].map(
          ([reason, ids]) => `[browser]   ${ids.length} x ${reason}: ${ids.join(', ')}`,
        ),
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await front?.close();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`[browser] ${run} fetches from Chromium in ${seconds} s`);
  });

  /** One page per origin, reused by every case with that origin. */
  const pageFor = (origin: string) => {
    let entry = pages.get(origin);
    if (!entry) {
      entry = (async () => {
        const page = await browser.newPage();
        const lines = corsConsoleLines(page);
        seenLines.push(lines);
        const base = origin === 'null' ? `https://${OPAQUE_HOST}` : origin;
        await page.goto(base + PAGE_PATH);
        expect(
          await page.evaluate(() => (globalThis as unknown as { origin: string }).origin),
        ).toBe(origin);
        return { page, lines };
      })();
      pages.set(origin, entry);
    }
    return entry;
  };

  for (const name of names) {
    describe(`${name} in Chromium`, () => {
      const { cases } = planCases(perRoute.has(name));
      const running = new Map<
        unknown,
        Map<unknown, Promise<{ server: StartedServer; host: string }>>
      >();
      let index = 0;

      // One server per distinct (options, scoped) pair, as the conformance runner does.
      const serverFor = (scenario: RequestScenario) => {
        let byScoped = running.get(scenario.options);
        if (!byScoped) {
          byScoped = new Map();
          running.set(scenario.options, byScoped);
        }
        let entry = byScoped.get(scenario.scoped);
        if (!entry) {
          const host = `${name}-${index++}.api.test`;
          const extras = scenario.scoped === undefined ? undefined : { scoped: scenario.scoped };
          entry = servers[name](scenario.options, extras).then((server) => {
            front.route(host, server.url);
            return { server, host };
          });
          entry.catch(() => {});
          byScoped.set(scenario.scoped, entry);
        }
        return entry;
      };

      afterAll(async () => {
        const all = [...running.values()].flatMap((m) => [...m.values()]);
        await Promise.allSettled(all.map(async (e) => (await e).server.close()));
      });

      for (const c of cases) {
        const { scenario } = c;
        it(`${scenario.id}: ${scenario.browser.verdict}`, async () => {
          const { host } = await serverFor(scenario);
          const path = scenario.request.path;
          const url = `https://${host}${path}${path.includes('?') ? '&' : '?'}u=${++counter}`;
          const { page, lines } = await pageFor(c.origin);
          const outcome = await fetchFromPage(page, url, c.init, READABLE);
          run++;
          if (!outcome.resolved) blockedUrls.add(url);
          const line = await consoleLineFor(lines, url, !outcome.resolved);

          const exchanges = front.exchanges(url);
          const isPreflight = (e: Exchange) =>
            e.method === 'OPTIONS' &&
            header(e.headers, 'access-control-request-method') !== undefined;
          const preflight = exchanges.find(isPreflight);
          const actual = exchanges.find((e) => !isPreflight(e));

          // Chromium's request is the scenario's request.
          const sent = c.preflight ? preflight : actual;
          expect(sent, `Chromium sent no ${c.preflight ? 'preflight' : 'request'}`).toBeDefined();
          expect(header(sent!.headers, 'origin')).toBe(c.origin);
          if (c.preflight) {
            for (const name of [
              'access-control-request-method',
              'access-control-request-headers',
            ]) {
              expect(header(sent!.headers, name), name).toBe(
                header(scenario.request.headers, name),
              );
            }
          }

          // 1. Chromium's verdict is the scenario's.
          const accepted = c.preflight ? actual !== undefined : outcome.resolved;
          expect(accepted ? 'allowed' : 'blocked').toBe(scenario.browser.verdict);

          // 2. Chromium's console line is the model's message for the response the adapter sent.
          const request: BrowserRequest = { url, origin: c.origin, ...c.init };
          const model = modelVerdict(request, preflight, actual);
          expect(line).toBe(model.ok ? null : model.message);
          expect(outcome.resolved).toBe(model.ok);
          if (!model.ok && scenario.browser.verdict === 'blocked' && scenario.browser.code) {
            expect(model.code).toBe(scenario.browser.code);
          }

          // What a resolved fetch lets the page read.
          if (outcome.resolved && actual) {
            expect(outcome.status).toBe(actual.response.status);
            expect(outcome.body).toBe(c.init.method === 'HEAD' ? '' : actual.response.body);
            expect(outcome.readable).toEqual(expectedReadable(actual, c.init.credentials));
          }
        });
      }
    });
  }

  describe('the Chromium session', () => {
    it('printed a CORS error only for fetches that failed', () => {
      const stray = seenLines.flat().filter((line) => {
        const url = /^Access to fetch at '([^']+)'/.exec(line)?.[1];
        return url === undefined || !blockedUrls.has(url);
      });
      expect(run).toBeGreaterThan(0);
      expect(stray).toEqual([]);
    });
  });
}
