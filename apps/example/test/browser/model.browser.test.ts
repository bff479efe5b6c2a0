// The browser model's vectors, live: every response recorded in
// packages/core/src/browser/chromium-vectors.json (several Access-Control-Allow-Origin values,
// invalid ones, `null`, `Access-Control-Allow-Credentials: True`, preflights answered 3xx/4xx/5xx,
// missing or malformed Allow-Methods/-Headers, wildcards with credentials, safelisted headers over
// 128 bytes, non-safelisted Content-Types, ...) is replayed by a raw server to the Chromium under
// test, and what Chromium does must be what the model says: the preflight it sends, its
// Access-Control-Request-Method and -Headers, and its console line, byte for byte. The core's unit
// tests replay the same table against the Chromium that recorded it; this test catches the day the
// Chromium in CI starts to disagree. The last test checks that every error code the model can
// produce was confirmed by Chromium at least once.
//
// Set-up as in packages/core/scripts/verify-browser-model.ts: one node:http server on 127.0.0.1
// serves the page as http://app.example.test:PORT and the responses as http://api.example.test:PORT
// (both names mapped to 127.0.0.1 by --host-resolver-rules); the recorded port 8080 becomes PORT.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type BrowserCheck,
  type BrowserRequest,
  type BrowserResponse,
  type CorsErrorCode,
  checkPreflight,
  checkResponse,
  needsPreflight,
  preflightRequestHeaders,
} from '@cors/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import table from '../../../../packages/core/src/browser/chromium-vectors.json' with {
  type: 'json',
};
import {
  chromiumPath,
  consoleLineFor,
  corsConsoleLines,
  fetchFromPage,
  launchChromium,
  withoutChromium,
} from './chromium.js';

interface RecordedVector {
  name: string;
  request: BrowserRequest;
  preflight?: BrowserResponse;
  actual?: BrowserResponse;
  anyRefusedHeader?: boolean;
  chromium: { preflightSent: boolean; message: string | null };
}
type Headers = Record<string, string | readonly string[] | undefined>;

const vectors = table.vectors as RecordedVector[];

/**
 * The codes the model produces for one request and its responses (four other codes of
 * CorsErrorCode need facts a BrowserRequest does not carry, and the two of redirects come from
 * followRedirect, which doctor.browser.test.ts holds to Chromium). A Record, so adding a code to
 * the type without listing it here fails to compile.
 */
const MODELLED: Record<
  Exclude<
    CorsErrorCode,
    | 'DisallowedByMode'
    | 'InvalidResponse'
    | 'PreflightMissingAllowPrivateNetwork'
    | 'PreflightInvalidAllowPrivateNetwork'
    | 'RedirectContainsCredentials'
    | 'CorsDisabledScheme'
  >,
  true
> = {
  WildcardOriginNotAllowed: true,
  MissingAllowOriginHeader: true,
  MultipleAllowOriginValues: true,
  InvalidAllowOriginValue: true,
  AllowOriginMismatch: true,
  InvalidAllowCredentials: true,
  PreflightWildcardOriginNotAllowed: true,
  PreflightMissingAllowOriginHeader: true,
  PreflightMultipleAllowOriginValues: true,
  PreflightInvalidAllowOriginValue: true,
  PreflightAllowOriginMismatch: true,
  PreflightInvalidAllowCredentials: true,
  PreflightInvalidStatus: true,
  PreflightDisallowedRedirect: true,
  InvalidAllowMethodsPreflightResponse: true,
  InvalidAllowHeadersPreflightResponse: true,
  MethodDisallowedByPreflightResponse: true,
  HeaderDisallowedByPreflightResponse: true,
};

if (chromiumPath === undefined) {
  withoutChromium("the browser model's vectors");
} else {
  const executable = chromiumPath;
  let browser: Browser;
  let page: Page;
  let lines: string[];
  let port = 0;
  /** What the server received and answered, per vector. */
  const live = new Map<
    number,
    {
      asked?: { method: string; headers: string | undefined };
      preflight?: BrowserResponse;
      actual?: BrowserResponse;
    }
  >();
  const confirmed = new Set<CorsErrorCode>();
  const started = performance.now();

  /** The recorded text with the recorded port 8080 replaced by this run's. */
  const atPort = (text: string) => text.replaceAll(':8080', `:${port}`);
  const headersAtPort = (headers: Headers): Headers =>
    Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [
        k,
        typeof v === 'string' ? atPort(v) : v === undefined ? v : v.map(atPort),
      ]),
    );

  // Replays each vector's recorded answer; a request the table has no answer for gets the
  // harness's default (allow exactly what was asked, with credentials).
  const server = createServer((req, res) => {
    const index = Number(/^\/v\/(\d+)\//.exec(req.url ?? '')?.[1] ?? -1);
    const vector = vectors[index];
    if (!vector) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>browser model</title>');
      return;
    }
    const origin = String(req.headers.origin ?? '');
    const requestMethod = req.headers['access-control-request-method'];
    const requestHeaders = req.headers['access-control-request-headers'];
    const record = live.get(index) ?? {};
    live.set(index, record);
    let answer: BrowserResponse;
    if (req.method === 'OPTIONS' && requestMethod !== undefined) {
      answer = vector.preflight
        ? { status: vector.preflight.status, headers: headersAtPort(vector.preflight.headers) }
        : {
            status: 204,
            headers: {
              'access-control-allow-origin': origin,
              'access-control-allow-credentials': 'true',
              'access-control-allow-methods': requestMethod,
              ...(requestHeaders ? { 'access-control-allow-headers': requestHeaders } : {}),
            },
          };
      record.asked = { method: requestMethod, headers: requestHeaders };
      record.preflight = answer;
    } else {
      answer = vector.actual
        ? { status: vector.actual.status, headers: headersAtPort(vector.actual.headers) }
        : {
            status: 200,
            headers: {
              'access-control-allow-origin': origin,
              'access-control-allow-credentials': 'true',
            },
          };
      record.actual = answer;
    }
    res.writeHead(answer.status, answer.headers as Record<string, string | string[]>);
    res.end('ok');
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    browser = await launchChromium(executable, { hostRules: 'MAP *.test 127.0.0.1' });
    page = await browser.newPage();
    lines = corsConsoleLines(page);
    await page.goto(`http://app.example.test:${port}/`);
    console.log(
      `[browser] Chromium ${browser.version()} replays ${vectors.length} browser-model vectors (recorded with Chromium ${table.chromium})`,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `[browser] model vectors: ${vectors.length} in ${seconds} s, ${confirmed.size} error codes confirmed`,
    );
  });

  describe(`the browser model, live in Chromium (vectors recorded with ${table.chromium})`, () => {
    it.each(vectors.map((v, i) => [v.name, i] as const))('%s', async (_name, index) => {
      const vector = vectors[index]!;
      const request: BrowserRequest = {
        ...vector.request,
        url: atPort(vector.request.url),
        origin: atPort(vector.request.origin),
      };
      const outcome = await fetchFromPage(page, request.url, {
        method: request.method,
        headers: { ...request.headers },
        credentials: request.credentials ?? 'same-origin',
      });
      const url = request.url.replace(/^http:\/\/API\.EXAMPLE\.TEST/, 'http://api.example.test');
      const line = await consoleLineFor(lines, url, !outcome.resolved);

      // The preflight Chromium sent, if any, is the one the model predicts.
      const served = live.get(index) ?? {};
      expect(served.asked !== undefined, 'preflight sent').toBe(needsPreflight(request));
      if (served.asked) {
        const model = preflightRequestHeaders(request);
        expect(served.asked).toEqual({ method: model.method, headers: model.requestHeaders });
      }

      // The model on what Chromium got. A request Node's parser refuses before any handler runs
      // (the method `patch`) reached no handler: its recorded answer is Node's own 400.
      let model: BrowserCheck = { ok: true };
      if (served.preflight) model = checkPreflight(request, served.preflight);
      const actual =
        served.actual ??
        (vector.actual && {
          status: vector.actual.status,
          headers: headersAtPort(vector.actual.headers),
        });
      if (model.ok && actual) model = checkResponse(request, actual);

      const expected = model.ok ? null : model.message;
      if (vector.anyRefusedHeader && line !== null && expected !== null) {
        // Chromium names one of several refused headers in its own hash-map order.
        const named = /field (\S+) is not allowed/.exec(line)?.[1] ?? '';
        const sent = Object.keys(request.headers ?? {}).map((n) => n.toLowerCase());
        expect(sent).toContain(named);
        expect(line).toBe(expected.replace(/field \S+ is/, `field ${named} is`));
      } else {
        expect(line).toBe(expected);
      }
      expect(outcome.resolved).toBe(line === null);
      if (!model.ok) confirmed.add(model.code);
    });

    it('confirms every error code the model produces at least once', () => {
      const missing = Object.keys(MODELLED).filter((c) => !confirmed.has(c as CorsErrorCode));
      expect(missing).toEqual([]);
    });
  });
}
