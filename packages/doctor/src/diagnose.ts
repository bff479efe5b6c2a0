// The doctor's analysis, a pure function of the request and the responses. Every CORS fact (does
// the browser preflight, what the preflight asks, does a response pass, where a redirect leads)
// comes from the browser model of @cors/core; this file only walks the exchanges the browser makes
// and builds the report, and causes.ts explains a failure the model found.
import {
  type BrowserCheck,
  type BrowserNetworkError,
  type BrowserRequest,
  checkPreflight,
  checkResponse,
  followRedirect,
  needsPreflight,
  preflightCacheSeconds,
  preflightRequestHeaders,
} from '@cors/core';
import { atRisk, blockedCause, fixContext, notJudged } from './causes.js';
import { ProbeError } from './probe.js';
import type { DoctorReport, DoctorResponse, DoctorSentRequest, DoctorStep } from './report.js';
import { fixesFor } from './snippets.js';

/** What the page's script does: `fetch(url, { method, headers, credentials })` from `origin`. */
export interface DoctorRequest {
  /** Absolute http(s) URL fetched. */
  url: string;
  /** The page's origin, serialised: `'https://app.example.com'` (no path, no trailing slash). */
  origin: string;
  /** As the script writes it. @default 'GET' */
  method?: string;
  /** Headers the script sets. @default {} */
  headers?: Readonly<Record<string, string>>;
  /** `credentials: 'include'` (cookies, HTTP auth). @default false */
  credentials?: boolean;
}

/** A request sent and the response it got. */
export interface DoctorExchange {
  request: DoctorSentRequest;
  response: DoctorResponse;
}

/** The requests the browser makes for `request`: the preflight when it needs one, and the actual request. */
export interface DoctorPlan {
  preflight: DoctorSentRequest | null;
  actual: DoctorSentRequest;
}

/** The request in the browser model's terms. */
export function toBrowserRequest(request: DoctorRequest): BrowserRequest {
  return {
    url: request.url,
    origin: request.origin,
    method: request.method ?? 'GET',
    headers: request.headers ?? {},
    credentials: request.credentials ? 'include' : 'same-origin',
  };
}

/**
 * The requests Chromium puts on the wire for `request`: whether it preflights and the preflight's
 * `Origin`, `Access-Control-Request-Method` and `Access-Control-Request-Headers` come from the
 * browser model; the actual request carries `Origin` and the script's headers.
 */
export function planRequests(request: DoctorRequest): DoctorPlan {
  return requestsFor(toBrowserRequest(request));
}

/** {@link planRequests} for any request of the chain: after a redirect, `Origin` may be `null`. */
function requestsFor(browser: BrowserRequest): DoctorPlan {
  const asked = preflightRequestHeaders(browser);
  const preflight = needsPreflight(browser)
    ? sent('OPTIONS', browser.url, { ...asked.headers })
    : null;
  const origin = asked.headers.origin!;
  const actual = sent(asked.method, browser.url, { origin, ...browser.headers });
  return { preflight, actual };
}

function sent(method: string, url: string, headers: Record<string, string>): DoctorSentRequest {
  return { method, url, headers, curl: curlCommand(method, url, headers) };
}

/** The request as a `curl` command line, POSIX-shell quoted. */
export function curlCommand(method: string, url: string, headers: Record<string, string>): string {
  // `-X HEAD` would wait for a body that never comes; `--head` does not.
  const parts = ['curl', '-i', method === 'HEAD' ? '--head' : `-X ${shellQuote(method)}`];
  parts.push(shellQuote(url));
  for (const [name, value] of Object.entries(headers))
    parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  return parts.join(' ');
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------------------------------------
// The exchanges the browser makes

/** A request the browser makes next, for a driver to send (diagnose) or look up (analyse). */
export interface PlannedRequest {
  kind: DoctorStep['kind'];
  /** Redirects followed before it. */
  hop: number;
  request: DoctorSentRequest;
}

/** How the exchanges ended. */
export type Ending =
  | { kind: 'allowed' }
  | { kind: 'blocked'; check: Extract<BrowserCheck, { ok: false }> }
  | { kind: 'failed'; error: BrowserNetworkError; url: string }
  /** No answer from a URL a redirect led to (the doctor's own network failed). */
  | { kind: 'unreachable'; error: ProbeError; url: string };

/** The exchanges made, the browser model's request behind each step, and how they ended. */
export interface Exchanges {
  steps: DoctorStep[];
  /** `models[i]` is the browser model's request for `steps[i]` (its redirect state included). */
  models: BrowserRequest[];
  ending: Ending;
  /** The redirect that set a cookie on a request with credentials, after which the doctor cannot judge. */
  cookie: DoctorStep | null;
}

/**
 * The exchanges Chromium makes for `request`, one request at a time: yields each request it
 * sends (a preflight when needed, the actual request, and again for each redirect it follows) and
 * takes back what was exchanged, or the `ProbeError` of a request that got no answer. A preflight
 * that passed is not repeated for the same URL and `Origin` within its `Access-Control-Max-Age`,
 * as Chromium's preflight cache does (a redirect loop preflights once).
 *
 * A request of the URL fetch() was called with that gets no answer ends it all (the ProbeError is
 * thrown); after a redirect it ends the exchanges as `unreachable`.
 */
export function* browserExchanges(
  request: DoctorRequest,
): Generator<PlannedRequest, Exchanges, DoctorExchange | ProbeError> {
  let browser = toBrowserRequest(request);
  const steps: DoctorStep[] = [];
  const models: BrowserRequest[] = [];
  const preflighted = new Set<string>();
  let cookie: DoctorStep | null = null;
  const end = (ending: Ending): Exchanges => ({ steps, models, ending, cookie });

  for (;;) {
    const hop = browser.redirect?.count ?? 0;
    const { preflight, actual } = requestsFor(browser);
    const cacheKey = preflight ? `${preflight.url} ${preflight.headers.origin}` : '';
    if (preflight && !preflighted.has(cacheKey)) {
      const answer = yield { kind: 'preflight', hop, request: preflight };
      if (answer instanceof ProbeError) {
        if (hop === 0) throw answer;
        return end({ kind: 'unreachable', error: answer, url: preflight.url });
      }
      const { request: sentRequest, response } = answer;
      const check = checkPreflight(browser, response);
      steps.push({
        kind: 'preflight',
        hop,
        request: sentRequest,
        response,
        check,
        redirectTo: null,
      });
      models.push(browser);
      if (!check.ok) return end({ kind: 'blocked', check });
      if (preflightCacheSeconds(response) > 0) preflighted.add(cacheKey);
    }

    const answer = yield { kind: 'actual', hop, request: actual };
    if (answer instanceof ProbeError) {
      if (hop === 0) throw answer;
      return end({ kind: 'unreachable', error: answer, url: actual.url });
    }
    const check = checkResponse(browser, answer.response);
    const next = followRedirect(browser, answer.response);
    const step: DoctorStep = {
      kind: 'actual',
      hop,
      request: answer.request,
      response: answer.response,
      check,
      redirectTo: next.kind === 'follow' ? next.request.url : null,
    };
    steps.push(step);
    models.push(browser);
    if (next.kind === 'final')
      return end(check.ok ? { kind: 'allowed' } : { kind: 'blocked', check });
    if (next.kind !== 'follow') return end(next);
    if (browser.credentials === 'include' && answer.response.headers['set-cookie'] !== undefined) {
      cookie ??= step;
    }
    browser = next.request;
  }
}

/**
 * Judges the exchanges with the browser model and explains the outcome. `exchanges.preflight` is
 * required when the browser preflights; `exchanges.actual` unless the preflight failed;
 * `exchanges.redirected`, when the actual request is redirected: the exchanges that follow, in
 * order (each new URL's preflight when the browser sends one, then its request).
 *
 * @example
 * ```ts
 * const report = analyse(
 *   { url: 'https://api.example.com/items', origin: 'https://app.example.com' },
 *   { actual: { request: plan.actual, response: { status: 200, statusText: 'OK', headers: {} } } },
 * );
 * // report.verdict === 'blocked', report.code === 'MissingAllowOriginHeader',
 * // report.cause.id === 'cors-middleware-missing'
 * ```
 */
export function analyse(
  request: DoctorRequest,
  exchanges: {
    preflight?: DoctorExchange | undefined;
    actual?: DoctorExchange | undefined;
    redirected?: readonly DoctorExchange[] | undefined;
  },
): DoctorReport {
  const later = [...(exchanges.redirected ?? [])];
  const walk = browserExchanges(request);
  let next = walk.next();
  while (!next.done) {
    const { kind, hop, request: planned } = next.value;
    const given = hop === 0 ? exchanges[kind] : later.shift();
    if (!given) {
      throw new TypeError(
        hop > 0
          ? `@cors/doctor: the ${kind === 'preflight' ? 'preflight' : planned.method} to ${planned.url} after redirect ${hop} is missing`
          : kind === 'preflight'
            ? '@cors/doctor: this request needs a preflight'
            : '@cors/doctor: the actual request is missing',
      );
    }
    next = walk.next(given);
  }
  return report(request, next.value);
}

/** The report on `exchanges`: the verdict, Chromium's error, the cause and the fixes. */
export function report(request: DoctorRequest, exchanges: Exchanges): DoctorReport {
  const browser = toBrowserRequest(request);
  const { steps, models, ending, cookie } = exchanges;
  const last = steps.length - 1;
  const undetermined = ending.kind === 'unreachable' || cookie !== null;
  const blocked = !undetermined && ending.kind !== 'allowed';
  const cause = undetermined
    ? notJudged(browser, exchanges)
    : blocked
      ? blockedCause(models[last]!, steps[last]!, ending)
      : atRisk(browser, steps[last]!);
  return {
    version: 1,
    verdict: undetermined ? 'undetermined' : blocked ? 'blocked' : 'allowed',
    request: {
      url: request.url,
      origin: request.origin,
      method: preflightRequestHeaders(browser).method,
      headers: { ...request.headers },
      credentials: request.credentials === true,
    },
    preflight: needsPreflight(browser),
    steps,
    code: !undetermined && ending.kind === 'blocked' ? ending.check.code : null,
    message: !undetermined && ending.kind === 'blocked' ? ending.check.message : null,
    networkError: !undetermined && ending.kind === 'failed' ? ending.error : null,
    cause,
    fixes: cause ? fixesFor(cause.id, fixContext(browser)) : [],
  };
}
