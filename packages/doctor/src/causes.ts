// Why the browser blocks a request, in plain words, with the evidence from the responses and what
// to change: the explanations of a failure the browser model of @cors/core found (diagnose.ts walks
// the exchanges and asks here). Nothing here decides whether a request passes.
import {
  type BrowserNetworkError,
  type BrowserRequest,
  type CorsErrorCode,
  preflightRequestHeaders,
} from '@cors/core';
import type { Ending, Exchanges } from './diagnose.js';
import type { DoctorCause, DoctorResponse, DoctorStep } from './report.js';
import type { FixContext } from './snippets.js';

/** The facts of the request the fix snippets are filled in with. */
export function fixContext(browser: BrowserRequest): FixContext {
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

/**
 * Why `step`, the last exchange, ended in `ending`. `browser` is the browser model's request for
 * that step: after a redirect, its URL, origin flag and redirect count.
 */
export function blockedCause(
  browser: BrowserRequest,
  step: DoctorStep,
  ending: Extract<Ending, { kind: 'blocked' | 'failed' }>,
): DoctorCause {
  if (ending.kind === 'failed') return failedRedirect(browser, step, ending);
  const { response } = step;
  const { code, message } = ending.check;
  const origin = browser.origin;
  // After a redirect, the URL says which request of the chain (the steps show how it got there).
  const after = step.hop === 0 ? '' : ` to ${step.request.url}`;
  const what =
    step.kind === 'preflight'
      ? `the preflight (OPTIONS)${after}`
      : `the ${step.request.method} request${after}`;
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const allowOrigin = joined(response, 'access-control-allow-origin') ?? '';
  const redirected = redirectCause(browser, step, code, what, status);
  if (redirected) return redirected;

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
      const { target, why } = redirectTarget(location, step.request.url);
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
      const name = /Request header field (\S+) is not allowed/.exec(message)?.[1] ?? asked;
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
      `Add ${origin} to the origins the CORS middleware allows, keeping the ones already there.`,
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
// Redirects of the actual request

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// The failures that say the origin is not allowed; after a cross-origin redirect, the origin is null.
const ORIGIN_CODES = new Set<CorsErrorCode>([
  'MissingAllowOriginHeader',
  'AllowOriginMismatch',
  'WildcardOriginNotAllowed',
  'PreflightMissingAllowOriginHeader',
  'PreflightAllowOriginMismatch',
  'PreflightWildcardOriginNotAllowed',
]);

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** `location` resolved against `base`, or as written when it does not parse. */
function resolve(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

/** Where a redirect from `url` leads, and the usual reason for it when it is recognisable. */
function redirectTarget(location: string, url: string): { target: string; why: string } {
  const target = resolve(location, url);
  const why =
    target.startsWith('https:') && url.startsWith('http:')
      ? ' (the server redirects http to https)'
      : target === `${url}/`
        ? ' (the server adds a trailing slash)'
        : '';
  return { target, why };
}

/** The causes a CORS failure has because of a redirect, else `null` (then the usual ones apply). */
function redirectCause(
  browser: BrowserRequest,
  step: DoctorStep,
  code: CorsErrorCode,
  what: string,
  status: string,
): DoctorCause | null {
  const { response } = step;
  if (code === 'RedirectContainsCredentials') return refusedLocation(step, 'userinfo', code);
  if (code === 'CorsDisabledScheme') return refusedLocation(step, 'scheme', code);
  const evidence =
    corsHeaderNames(response).length > 0 || listHas(joined(response, 'vary'), 'origin');
  if (
    browser.redirect?.taintedOrigin &&
    ORIGIN_CODES.has(code) &&
    (evidence || !code.endsWith('MissingAllowOriginHeader'))
  ) {
    return originNull(browser, step, what);
  }
  const location = joined(response, 'location');
  if (
    step.kind !== 'actual' ||
    !REDIRECT_STATUSES.has(response.status) ||
    !location ||
    code !== 'MissingAllowOriginHeader' ||
    evidence
  ) {
    return null;
  }
  const { target, why } = redirectTarget(location, step.request.url);
  return cause(
    'redirect-before-cors',
    `The ${response.status} redirect to ${target} carries no CORS headers`,
    `The answer to ${what} is a ${status} redirect to ${target}${why}, without any Access-Control-* header. The browser runs the CORS check on a redirect as on any response before it follows it, so the redirect is made before (or without) the CORS middleware: a trailing-slash or http-to-https redirect, a proxy, or the framework's own redirect.`,
    `Call the final URL (${target}) from the page, or register the CORS middleware before whatever redirects, so that the redirect carries the CORS headers too.`,
  );
}

function originNull(browser: BrowserRequest, step: DoctorStep, what: string): DoctorCause {
  const allowOrigin = joined(step.response, 'access-control-allow-origin');
  const credentials = browser.credentials === 'include';
  const from = new URL(browser.redirect!.initialUrl).host;
  const to = new URL(step.request.url).host;
  return cause(
    'redirect-origin-null',
    `After the redirect to another origin the request's Origin is null, which ${to} does not allow`,
    `The request was redirected from ${from} to ${to}, another origin, so from there on the browser sends Origin: null (Fetch's "tainted origin": the page never asked for ${to}, the first server chose it). The answer to ${what} has ${allowOrigin === undefined ? 'no Access-Control-Allow-Origin' : `Access-Control-Allow-Origin: ${allowOrigin}`}, which does not match null. After such a redirect only Access-Control-Allow-Origin: * passes${credentials ? ", and not with credentials: then only Access-Control-Allow-Origin: null with Access-Control-Allow-Credentials: true would, and it would let any sandboxed page or local file read the response with the user's cookies" : ''}.`,
    `Call ${step.request.url} from the page directly, so that the browser sends your origin (${browser.origin}) and that server can allow it${credentials ? '' : '; or, if it serves a public resource, answer there with Access-Control-Allow-Origin: *'}.`,
  );
}

type Refusal = 'userinfo' | 'scheme' | 'invalid' | 'multiple' | 'port';

/** A redirect to where fetch() never goes. `how` is Chromium's error for it. */
function refusedLocation(step: DoctorStep, refusal: Refusal, how: string): DoctorCause {
  const location = joined(step.response, 'location') ?? '';
  const target = resolve(location, step.request.url);
  const answer = `The ${step.response.status} from ${step.request.url} redirects to ${refusal === 'multiple' ? location : target}`;
  const chromium = how.startsWith('ERR_')
    ? `; Chromium fails the fetch with net::${how} and prints no CORS message, only "Failed to load resource: net::${how}".`
    : how === 'LocalResource'
      ? `; Chromium refuses to load it ("Not allowed to load local resource: ${target}"), with no CORS message.`
      : ` (Chromium: ${how}).`;
  switch (refusal) {
    case 'userinfo':
      return cause(
        'redirect-location',
        'The redirect points to a URL with a user name or password',
        `${answer}, which has credentials in it (user:password@). A cross-origin request is never redirected to such a URL${chromium}`,
        'Redirect to the URL without the user name and password; let the page send credentials in an Authorization header or a cookie.',
      );
    case 'scheme':
      return cause(
        'redirect-location',
        `The redirect leads to ${target}, which fetch() never follows`,
        `${answer}. fetch() follows redirects to http and https URLs only; any other scheme is a network error${chromium}`,
        'Redirect to an http(s) URL, or answer the request itself.',
      );
    case 'invalid':
      return cause(
        'redirect-location',
        "The redirect's Location is not a URL",
        `The ${step.response.status} from ${step.request.url} sends Location: ${location}, which does not parse as a URL${chromium}`,
        'Send an absolute URL or a path, percent-encoded, in Location.',
      );
    case 'multiple':
      return cause(
        'redirect-location',
        'The redirect carries two different Location headers',
        `${answer}: the browser refuses a redirect whose Location fields differ${chromium} Two layers redirect: usually the application and a proxy.`,
        'Let exactly one layer redirect.',
      );
    case 'port':
      return cause(
        'redirect-location',
        `The redirect points to port ${new URL(target).port}, which browsers never connect to`,
        `${answer}. Port ${new URL(target).port} is on the Fetch standard's list of bad ports (those of mail, SSH, IRC and other servers)${chromium}`,
        'Serve the API on another port (443, 8443, 3000...) and redirect there.',
      );
  }
}

/** A redirect that fails without a CORS error. */
function failedRedirect(
  browser: BrowserRequest,
  step: DoctorStep,
  ending: Extract<Ending, { kind: 'failed' }>,
): DoctorCause {
  const { error } = ending;
  if (error === 'ERR_TOO_MANY_REDIRECTS') {
    const location = resolve(joined(step.response, 'location') ?? '', step.request.url);
    const loop = location === step.request.url ? `back to itself` : `again, to ${location}`;
    return cause(
      'redirect-loop',
      'Too many redirects: the browser gives up after 20',
      `The request was redirected ${count(browser.redirect?.count ?? 0, 'time')}, and the answer from ${step.request.url} redirects ${loop}. Chromium follows 20 redirects and fails the 21st with net::ERR_TOO_MANY_REDIRECTS; it prints no CORS message, only "Failed to load resource: net::ERR_TOO_MANY_REDIRECTS".`,
      "Make the redirects end. The usual loops: http and https redirecting to each other behind a TLS-terminating proxy (let the application trust the proxy's X-Forwarded-Proto), a trailing slash added by one layer and removed by another, or a login redirect that needs a cookie the request does not carry.",
    );
  }
  if (error === 'MixedContent') {
    return cause(
      'redirect-insecure',
      `The redirect leads from an HTTPS page's request to plain http (${ending.url})`,
      `The page is served over HTTPS (${browser.origin}), and the answer from ${step.request.url} redirects to ${ending.url}, plain http on a host that is not the local machine: the browser blocks it as mixed content, with no CORS message ("Mixed Content: The page at '…' was loaded over HTTPS, but requested an insecure resource '${ending.url}'. This request has been blocked; the content must be served over HTTPS."). Usually the server builds the Location from the scheme it sees behind a TLS-terminating proxy.`,
      `Make the server redirect to https: let it trust the proxy's X-Forwarded-Proto (Express: app.set('trust proxy', 1); Koa: app.proxy = true; Fastify: trustProxy: true), or call the https URL from the page.`,
    );
  }
  const refusal: Record<
    Exclude<BrowserNetworkError, 'ERR_TOO_MANY_REDIRECTS' | 'MixedContent'>,
    Refusal
  > = {
    ERR_INVALID_REDIRECT: 'invalid',
    ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION: 'multiple',
    ERR_UNSAFE_REDIRECT: 'scheme',
    ERR_UNKNOWN_URL_SCHEME: 'scheme',
    LocalResource: 'scheme',
    ERR_UNSAFE_PORT: 'port',
  };
  return refusedLocation(step, refusal[error], error);
}

/** Why the doctor could not judge the exchanges ({@link Exchanges}: unreachable, or a cookie). */
export function notJudged(browser: BrowserRequest, exchanges: Exchanges): DoctorCause {
  const { ending, cookie } = exchanges;
  if (ending.kind === 'unreachable') {
    return cause(
      'redirect-unreachable',
      `The doctor could not reach ${ending.url}, where a redirect leads`,
      `${ending.error.message.replace(/^@cors\/doctor: /, '')}. The browser follows the redirect there, and whether the page can read the response depends on that answer, which the doctor does not have. The browser may reach the URL where the doctor cannot (an internal host name, a VPN, a local certificate), or fail as well, with a network error rather than a CORS one.`,
      `Run cors-doctor where the browser runs, or on ${ending.url} itself.`,
    );
  }
  const step = cookie!;
  const next = step.redirectTo!;
  return cause(
    'redirect-cookie',
    'A redirect set a cookie that the browser may send on',
    `The ${step.response.status} from ${step.request.url} sets a cookie (Set-Cookie) on a request with credentials, and the browser follows it to ${next}. Whether the browser keeps the cookie and sends it there depends on its SameSite attribute and on the browser's third-party cookie settings (${browser.origin} is the page); the doctor keeps no cookies, so what it got from ${next} on may not be what the browser gets, and it does not judge it.`,
    `Check the request in the browser's DevTools (Network tab), or run cors-doctor on ${next} with the cookie: -H 'Cookie: <name>=<value>'.`,
  );
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
export function atRisk(browser: BrowserRequest, step: DoctorStep): DoctorCause | null {
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
