// The doctor's analysis, a pure function of the request and the responses. Every CORS fact (does
// the browser preflight, what the preflight asks, does a response pass) comes from the browser
// model of @cors/core; this file only explains a failure the model found, and says what to change.
import {
  type BrowserRequest,
  type CorsErrorCode,
  checkPreflight,
  checkResponse,
  needsPreflight,
  preflightRequestHeaders,
} from '@cors/core';
import type {
  DoctorCause,
  DoctorReport,
  DoctorResponse,
  DoctorSentRequest,
  DoctorStep,
} from './report.js';
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
  const browser = toBrowserRequest(request);
  const asked = preflightRequestHeaders(browser);
  const preflight = needsPreflight(browser)
    ? sent('OPTIONS', request.url, { ...asked.headers })
    : null;
  const actual = sent(asked.method, request.url, { origin: request.origin, ...request.headers });
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

/**
 * Judges the exchanges with the browser model and explains the outcome. `exchanges.preflight` is
 * required when the browser preflights; `exchanges.actual` unless the preflight failed.
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
  exchanges: { preflight?: DoctorExchange | undefined; actual?: DoctorExchange | undefined },
): DoctorReport {
  const browser = toBrowserRequest(request);
  const preflight = needsPreflight(browser);
  const steps: DoctorStep[] = [];
  if (preflight) {
    if (!exchanges.preflight) throw new TypeError('@cors/doctor: this request needs a preflight');
    const { request: req, response } = exchanges.preflight;
    steps.push({
      kind: 'preflight',
      request: req,
      response,
      check: checkPreflight(browser, response),
    });
  }
  if (steps.every((step) => step.check.ok)) {
    if (!exchanges.actual) throw new TypeError('@cors/doctor: the actual request is missing');
    const { request: req, response } = exchanges.actual;
    steps.push({ kind: 'actual', request: req, response, check: checkResponse(browser, response) });
  }

  const failed = steps.find((step) => !step.check.ok);
  const cause = failed ? blockedCause(browser, failed) : atRisk(browser, steps.at(-1)!);
  return {
    version: 1,
    verdict: failed ? 'blocked' : 'allowed',
    request: {
      url: request.url,
      origin: request.origin,
      method: preflightRequestHeaders(browser).method,
      headers: { ...request.headers },
      credentials: request.credentials === true,
    },
    preflight,
    steps,
    code: failed && !failed.check.ok ? failed.check.code : null,
    message: failed && !failed.check.ok ? failed.check.message : null,
    cause,
    fixes: cause ? fixesFor(cause.id, fixContext(browser)) : [],
  };
}

function fixContext(browser: BrowserRequest) {
  const asked = preflightRequestHeaders(browser);
  // The script's spelling of each name the preflight asks for (`X-Trace` rather than `x-trace`).
  const spelled = new Map(Object.keys(browser.headers ?? {}).map((n) => [n.toLowerCase(), n]));
  const names = asked.requestHeaders?.split(',') ?? [];
  return {
    origin: browser.origin,
    credentials: browser.credentials === 'include',
    method: asked.method,
    headers: names.map((name) => spelled.get(name) ?? name),
  };
}

// ---------------------------------------------------------------------------------------------
// Causes of a blocked request

/** The values of one response header, as received (several fields stay several values). */
function values(response: DoctorResponse, name: string): string[] {
  const value = response.headers[name];
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

function joined(response: DoctorResponse, name: string): string | undefined {
  const all = values(response, name);
  return all.length > 0 ? all.join(', ') : undefined;
}

function listHas(value: string | undefined, name: string): boolean {
  return (value ?? '').split(',').some((item) => {
    const token = item.trim().toLowerCase();
    return token === name || token === '*';
  });
}

function corsHeaderNames(response: DoctorResponse): string[] {
  return Object.keys(response.headers).filter((name) => name.startsWith('access-control-'));
}

const cause = (
  id: DoctorCause['id'],
  summary: string,
  detail: string,
  fix: string,
): DoctorCause => ({ id, summary, detail, fix });

function blockedCause(browser: BrowserRequest, step: DoctorStep): DoctorCause {
  const { response } = step;
  const code = (step.check as { code: CorsErrorCode }).code;
  const origin = browser.origin;
  const what =
    step.kind === 'preflight' ? 'the preflight (OPTIONS)' : `the ${step.request.method} request`;
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const allowOrigin = joined(response, 'access-control-allow-origin') ?? '';

  switch (code) {
    case 'MissingAllowOriginHeader':
    case 'PreflightMissingAllowOriginHeader':
      return missingAllowOrigin(browser, step, what, status);

    case 'MultipleAllowOriginValues':
    case 'PreflightMultipleAllowOriginValues': {
      const fields = values(response, 'access-control-allow-origin');
      return fields.length > 1
        ? cause(
            'multiple-values',
            `Access-Control-Allow-Origin is sent ${fields.length} times`,
            `The answer to ${what} carries ${fields.length} Access-Control-Allow-Origin fields (${fields.map((v) => `'${v}'`).join(', ')}); the browser joins them into one value, which is never a valid origin. Two layers add CORS headers: usually the application and a reverse proxy or API gateway (nginx add_header, a load balancer rule), or two middlewares in the application.`,
            'Let exactly one layer set CORS headers: keep the CORS middleware in the application and remove the proxy rule (nginx: the add_header Access-Control-* lines) or the second middleware or hand-written res.setHeader.',
          )
        : cause(
            'multiple-values',
            'Access-Control-Allow-Origin holds a list of origins',
            `The answer to ${what} sends Access-Control-Allow-Origin: ${allowOrigin}. The header takes exactly one origin (or *); a server allowing several must compare the request's Origin with its list and send back that one origin.`,
            `Configure the list in the CORS middleware's origin option; it sends back only the matching origin (${origin}) with Vary: Origin.`,
          );
    }

    case 'InvalidAllowOriginValue':
    case 'PreflightInvalidAllowOriginValue': {
      const why = allowOrigin.includes('*')
        ? 'A * inside a value is not a pattern: only a lone * means any origin, so the server has to match the pattern itself and send the concrete origin.'
        : /^[a-z][a-z0-9+.-]*:\/\//i.test(allowOrigin)
          ? 'It is not a valid origin.'
          : `It lacks the scheme: an origin is scheme, host and port, e.g. ${origin}.`;
      return cause(
        'invalid-origin-value',
        `Access-Control-Allow-Origin is '${allowOrigin}', which is not an origin`,
        `The answer to ${what} sends Access-Control-Allow-Origin: ${allowOrigin}. ${why}`,
        `Send exactly the request's origin, ${origin}. With the CORS middleware, list exact origins or patterns such as 'https://*.example.com' in the origin option; it sends the matching origin itself.`,
      );
    }

    case 'AllowOriginMismatch':
    case 'PreflightAllowOriginMismatch':
      return mismatch(browser, step, what, allowOrigin);

    case 'WildcardOriginNotAllowed':
    case 'PreflightWildcardOriginNotAllowed':
      return cause(
        'wildcard-with-credentials',
        'Access-Control-Allow-Origin: * on a request with credentials',
        `The request is made with credentials: 'include' (cookies, HTTP authentication), and for such a request the browser refuses the wildcard: the server must name the origin, ${origin}, and send Access-Control-Allow-Credentials: true. (A server that simply echoed any Origin with credentials would let every site read its users' data, so the CORS middleware refuses that too.)`,
        `List the allowed origins explicitly and set credentials: true. If the page does not need cookies, drop credentials: 'include' from the fetch() call instead.`,
      );

    case 'InvalidAllowCredentials':
    case 'PreflightInvalidAllowCredentials': {
      const sentValue = joined(response, 'access-control-allow-credentials');
      return cause(
        'credentials-not-allowed',
        'Access-Control-Allow-Credentials: true is missing',
        `The request is made with credentials: 'include', so the answer to ${what} must carry Access-Control-Allow-Credentials: true (exactly, lower-case); it ${sentValue === undefined ? 'has none' : `has '${sentValue}'`}.`,
        `Set credentials: true in the CORS options (with an explicit origin list), or drop credentials: 'include' from the fetch() call if the page does not need cookies.`,
      );
    }

    case 'PreflightInvalidStatus':
      return cause(
        'preflight-status',
        `The preflight was answered ${status}, not 2xx`,
        `The preflight passed the origin check but its status is ${status}; a preflight must be answered with a 2xx. ${statusHint(response.status)} The CORS headers were there, so something adds them (a proxy, or a middleware that hands preflights on) while the preflight itself reaches the application.`,
        'Let the CORS middleware answer preflights itself (it ends them with 204), registered before authentication and routing, and do not hand preflights on to the application (no preflightContinue).',
      );

    case 'PreflightDisallowedRedirect': {
      const location = joined(response, 'location') ?? '';
      let target = location;
      try {
        target = new URL(location, step.request.url).href;
      } catch {}
      const why =
        target.startsWith('https:') && step.request.url.startsWith('http:')
          ? ' (the server redirects http to https)'
          : target === `${step.request.url}/`
            ? ' (the server adds a trailing slash)'
            : '';
      return cause(
        'preflight-redirect',
        `The preflight was redirected (${response.status}) to ${target}`,
        `The answer to the preflight is a ${response.status} redirect to ${target}${why}. Browsers never follow a redirect of a preflight.`,
        `Call the final URL (${target}) from the page, and let the CORS middleware answer OPTIONS before any redirecting middleware.`,
      );
    }

    case 'InvalidAllowMethodsPreflightResponse':
    case 'InvalidAllowHeadersPreflightResponse': {
      const name =
        code === 'InvalidAllowMethodsPreflightResponse'
          ? 'Access-Control-Allow-Methods'
          : 'Access-Control-Allow-Headers';
      return cause(
        'invalid-allow-list',
        `${name} does not parse`,
        `The preflight answer sends ${name}: ${joined(response, name.toLowerCase())}. It must be a comma-separated list of names (tokens): no quotes, no spaces or semicolons as separators.`,
        `Give the names as a list in the CORS options (${code === 'InvalidAllowMethodsPreflightResponse' ? 'methods' : 'allowedHeaders'}); the middleware writes the header.`,
      );
    }

    case 'MethodDisallowedByPreflightResponse': {
      const method = preflightRequestHeaders(browser).method;
      const allowed = joined(response, 'access-control-allow-methods');
      const lowerCase = method !== method.toUpperCase() && listHas(allowed, method.toLowerCase());
      return cause(
        'method-not-allowed',
        `The method ${method} is not allowed`,
        `The preflight asked for ${method}; the answer allows ${allowed ? `only ${allowed}` : 'no method (no Access-Control-Allow-Methods)'}.` +
          (lowerCase
            ? ` fetch() sends '${method}' exactly as written (it upper-cases only the standard methods such as get and post), and method names are case-sensitive: ${method.toUpperCase()} is allowed, ${method} is not.`
            : ''),
        lowerCase
          ? `Write method: '${method.toUpperCase()}' in the fetch() call (or add '${method}' to the methods option).`
          : `Add ${method} to the methods option.`,
      );
    }

    case 'HeaderDisallowedByPreflightResponse': {
      const asked = preflightRequestHeaders(browser).requestHeaders ?? '';
      // The model names the refused header only in its message.
      const name =
        /Request header field (\S+) is not allowed/.exec(
          step.check.ok ? '' : step.check.message,
        )?.[1] ?? asked;
      const allowed = joined(response, 'access-control-allow-headers');
      const literalStar =
        browser.credentials === 'include' && listHas(allowed, '*')
          ? ' With credentials, * in Access-Control-Allow-Headers is the literal name *, not a wildcard.'
          : '';
      return cause(
        'header-not-allowed',
        `The request header ${name} is not allowed`,
        `The preflight asked for the headers ${asked.replace(/,/g, ', ')}; the answer allows ${allowed ? `only ${allowed}` : 'none (no Access-Control-Allow-Headers)'}.${literalStar}`,
        `Add ${name} to the allowedHeaders option, or leave allowedHeaders unset: the CORS middleware then allows the names the preflight asks for.`,
      );
    }

    default:
      // A code this version of the doctor does not know (a newer @cors/core).
      return cause(
        'unexplained',
        `The browser refuses the response (${code})`,
        `The answer to ${what} fails the browser's CORS check with ${code}.`,
        'Let the CORS middleware write every CORS header.',
      );
  }
}

function statusHint(status: number): string {
  if (status === 401 || status === 403) {
    return 'An auth check answered it: browsers never send cookies or Authorization on a preflight, so an auth check that runs on preflights refuses them all.';
  }
  if (status === 404 || status === 405 || status === 501) {
    return 'The router answered it: the application has no OPTIONS route here.';
  }
  if (status >= 500) return 'The application failed on it.';
  return '';
}

function missingAllowOrigin(
  browser: BrowserRequest,
  step: DoctorStep,
  what: string,
  status: string,
): DoctorCause {
  const { response } = step;
  const origin = browser.origin;
  const cors = corsHeaderNames(response);
  const varies = listHas(joined(response, 'vary'), 'origin');
  if (cors.length > 0 || varies) {
    const evidence = [...cors, ...(varies ? ['vary: Origin'] : [])].join(', ');
    return cause(
      'origin-not-allowed',
      `The server does not allow the origin ${origin}`,
      `The answer to ${what} (${status}) shows a CORS configuration at work (${evidence}) but no Access-Control-Allow-Origin: the configuration does not list ${origin}. Origins are compared exactly: scheme, host and port, no trailing slash.`,
      `Add ${origin} to the origin option of the CORS middleware.`,
    );
  }
  const code = response.status;
  if (code === 401 || code === 403) {
    return cause(
      'cors-after-auth',
      `The auth check answered ${what} with ${status}, before the CORS middleware ran`,
      step.kind === 'preflight'
        ? `The preflight got ${status} with no CORS headers. Browsers never send cookies or Authorization on a preflight, so an auth check that runs before the CORS middleware refuses every preflight.`
        : `The ${status} carries no CORS headers, so the page cannot even read the error: the auth check runs before the CORS middleware.`,
      'Register the CORS middleware first, before authentication: it answers preflights itself and adds its headers to the auth errors too.',
    );
  }
  if (code === 404 || code === 405 || code === 501) {
    return cause(
      'cors-after-routing',
      `The router answered ${what} with ${status}, without CORS headers`,
      step.kind === 'preflight'
        ? `The preflight got ${status} with no CORS headers: no CORS middleware ran before routing, and there is no OPTIONS route for this path.`
        : `The ${status} carries no CORS headers: the route does not exist, or CORS is set up only on some routes.`,
      'Register the CORS middleware globally, before the router, so that it answers the preflight of every route and adds its headers to every response.',
    );
  }
  return cause(
    'cors-middleware-missing',
    'No CORS headers at all',
    `The answer to ${what} (${status}) has no Access-Control-* header and no Vary: Origin: no CORS middleware handled it.${code >= 500 ? ` The server failed with ${status}, and its error handler wrote the response without CORS headers.` : ''}`,
    `Add the CORS middleware, first in the chain, with origin ${origin}.`,
  );
}

function mismatch(
  browser: BrowserRequest,
  step: DoctorStep,
  what: string,
  allowOrigin: string,
): DoctorCause {
  const { response } = step;
  const origin = browser.origin;
  if (fromSharedCache(response) && !listHas(joined(response, 'vary'), 'origin')) {
    return cause(
      'vary-missing',
      'A cache served the response meant for another origin',
      `The answer to ${what} allows ${allowOrigin}, not ${origin}, and it came from a cache (Age: ${joined(response, 'age')}) without Vary: Origin: the cache stored the answer for the first origin that asked and now serves it to every origin.`,
      'Send Vary: Origin on every response whose CORS headers depend on the origin (the CORS middleware does), then purge the cache.',
    );
  }
  return cause(
    'origin-mismatch',
    `Access-Control-Allow-Origin is '${allowOrigin}', the page is ${origin}`,
    `The answer to ${what} allows ${allowOrigin}. The browser compares it byte for byte with ${origin}: ${originDifference(allowOrigin, origin)}`,
    `Allow exactly ${origin} (scheme, host and port, no trailing slash): list it in the origin option and let the CORS middleware send it back.`,
  );
}

/** Names what differs between the allowed origin and the page's, in the usual mistakes' terms. */
function originDifference(allowed: string, origin: string): string {
  let a: URL;
  let o: URL;
  try {
    a = new URL(allowed);
    o = new URL(origin);
  } catch {
    return 'they differ.';
  }
  if (a.origin === origin) {
    return a.href === `${origin}/` && allowed.endsWith('/')
      ? 'the configured origin has a trailing slash; an origin never has one.'
      : allowed.toLowerCase() === origin.toLowerCase()
        ? 'they differ only in letter case, and the comparison is case-sensitive.'
        : 'the configured value has a path; an origin is only scheme, host and port.';
  }
  if (a.protocol !== o.protocol && a.host === o.host) {
    return `the scheme differs (${a.protocol.slice(0, -1)} vs ${o.protocol.slice(0, -1)}).`;
  }
  if (a.hostname === o.hostname && a.protocol === o.protocol) {
    return `the port differs (${a.port || 'default'} vs ${o.port || 'default'}).`;
  }
  if (a.hostname.replace(/^www\./, '') === o.hostname.replace(/^www\./, '')) {
    return 'one has www. and the other not; they are different origins, list both if both serve the page.';
  }
  return 'it is another origin altogether: the server sends a fixed origin, or echoes the wrong one.';
}

// ---------------------------------------------------------------------------------------------
// A response the browser accepts that is still wrong

/** Whether a shared cache stored (`Age`) or may store (`public`, `s-maxage`, `max-age`) the response. */
function sharedCacheable(response: DoctorResponse): boolean {
  if (fromSharedCache(response)) return true;
  const directives = (joined(response, 'cache-control') ?? '')
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  if (directives.some((d) => d === 'private' || d === 'no-store')) return false;
  return directives.some(
    (d) => d === 'public' || d.startsWith('s-maxage=') || /^max-age=0*[1-9]/.test(d),
  );
}

function fromSharedCache(response: DoctorResponse): boolean {
  return joined(response, 'age') !== undefined;
}

/** `vary-missing` on an accepted actual response, else `null`. */
function atRisk(browser: BrowserRequest, step: DoctorStep): DoctorCause | null {
  if (step.kind !== 'actual') return null;
  const { response } = step;
  const allowOrigin = joined(response, 'access-control-allow-origin');
  if (allowOrigin === undefined || allowOrigin === '*') return null;
  const vary = joined(response, 'vary');
  if (listHas(vary, 'origin') || !sharedCacheable(response)) return null;
  const caching = [
    ...(joined(response, 'cache-control')
      ? [`Cache-Control: ${joined(response, 'cache-control')}`]
      : []),
    ...(joined(response, 'age') !== undefined ? [`Age: ${joined(response, 'age')}`] : []),
  ].join(', ');
  return cause(
    'vary-missing',
    'Vary: Origin is missing on a cacheable response',
    `This response works for ${browser.origin}, but it allows that one origin (Access-Control-Allow-Origin: ${allowOrigin}) and is cacheable (${caching}) without Vary: Origin${vary ? ` (Vary: ${vary})` : ''}. A CDN, proxy or the browser cache will serve it to pages of other origins, which the browser then blocks with "The 'Access-Control-Allow-Origin' header has a value '${allowOrigin}' that is not equal to the supplied origin".`,
    'Send Vary: Origin on every response whose CORS headers depend on the origin, rejected ones included (the CORS middleware does), or make the response uncacheable by shared caches (Cache-Control: private).',
  );
}
