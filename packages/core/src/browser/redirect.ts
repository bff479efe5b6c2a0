// How Chromium's fetch() (mode 'cors', redirect 'follow') follows a redirect of the actual request:
// Fetch's HTTP-redirect fetch (https://fetch.spec.whatwg.org/#http-redirect-fetch) in the order
// Chromium applies it, //net first, then services/network/cors/cors_url_loader.cc. Every rule was
// observed in headless Chromium 156 (apps/example/test/browser/doctor.browser.test.ts holds
// cors-doctor, which follows redirects with this, to Chromium on live servers).
import { checkResponse, fail, headerValues, redirectLocation } from './checks.js';
import { isCorsRequest, normaliseMethod, originOf } from './safelist.js';
import type {
  BrowserNetworkError,
  BrowserRedirect,
  BrowserRequest,
  BrowserResponse,
} from './types.js';

// Fetch and Chromium both stop at the 21st redirect.
const MAX_REDIRECTS = 20;
// https://fetch.spec.whatwg.org/#request-body-header-name: dropped when the method becomes GET.
const BODY_HEADERS = new Set([
  'content-encoding',
  'content-language',
  'content-location',
  'content-type',
]);
// https://fetch.spec.whatwg.org/#bad-port: Chromium refuses them (net::ERR_UNSAFE_PORT).
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6679, 6697, 10080,
]);
// Fetch makes any non-HTTP(S) redirect a network error; how Chromium fails depends on the scheme
// (each observed). A scheme Chromium does not know fails its CORS scheme check (CorsDisabledScheme).
const SCHEME_ERRORS: Record<string, BrowserNetworkError> = {
  'about:': 'ERR_UNSAFE_REDIRECT',
  'blob:': 'ERR_UNSAFE_REDIRECT',
  'chrome:': 'ERR_UNSAFE_REDIRECT',
  'chrome-extension:': 'ERR_UNSAFE_REDIRECT',
  'chrome-untrusted:': 'ERR_UNSAFE_REDIRECT',
  'data:': 'ERR_UNSAFE_REDIRECT',
  'devtools:': 'ERR_UNSAFE_REDIRECT',
  'file:': 'ERR_UNSAFE_REDIRECT',
  'filesystem:': 'ERR_UNSAFE_REDIRECT',
  'ws:': 'ERR_UNKNOWN_URL_SCHEME',
  'wss:': 'ERR_UNKNOWN_URL_SCHEME',
  'isolated-app:': 'ERR_UNKNOWN_URL_SCHEME',
  'chrome-experimental-site-token-provider:': 'ERR_UNKNOWN_URL_SCHEME',
  'view-source:': 'LocalResource',
  'chrome-search:': 'LocalResource',
  'chrome-error:': 'LocalResource',
  'chrome-native:': 'LocalResource',
};

/**
 * What Chromium does with `response` to `request` (the actual request, not a preflight), checked in
 * Chromium's order:
 *
 * 1. not a redirect: the response is final (`{ kind: 'final' }`; {@link checkResponse} judges it);
 * 2. network errors of the redirect itself: two different `Location`s, a `Location` that is not a
 *    URL, a 21st redirect (`net::ERR_TOO_MANY_REDIRECTS`, before the CORS check);
 * 3. the CORS check of the 3xx, as for any response of a cross-origin request;
 * 4. a `Location` with a user name or password (`RedirectContainsCredentials`);
 * 5. a `Location` that is not http(s) (by scheme: `CorsDisabledScheme`, `net::ERR_UNSAFE_REDIRECT`...),
 *    on a bad port (`net::ERR_UNSAFE_PORT`), or insecure from a secure page (`MixedContent`);
 * 6. otherwise the request to follow with: the new URL; `GET` without its body headers after a 303
 *    (unless GET or HEAD) or a 301 or 302 of a POST; a tainted origin (`Origin: null`) once a
 *    redirect goes from a cross-origin URL to another origin.
 *
 * A request that is not simple is preflighted again at the new URL: ask {@link needsPreflight}.
 *
 * @example
 * ```ts
 * const request = { url: 'https://api.example.com/items', origin: 'https://app.example.com', method: 'GET' };
 * followRedirect(request, {
 *   status: 301,
 *   headers: { location: 'https://cdn.example.net/items', 'access-control-allow-origin': '*' },
 * });
 * // { kind: 'follow', request: { url: 'https://cdn.example.net/items', ..., redirect:
 * //   { initialUrl: 'https://api.example.com/items', count: 1, taintedOrigin: true } } }
 * ```
 */
export function followRedirect(
  request: BrowserRequest,
  response: BrowserResponse,
): BrowserRedirect {
  const location = redirectLocation(response);
  if (location === undefined) return { kind: 'final' };
  const failed = (error: BrowserNetworkError, url = request.url): BrowserRedirect => ({
    kind: 'failed',
    error,
    url,
  });

  if (new Set(headerValues(response, 'location')).size > 1) {
    return failed('ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION');
  }
  let target: URL;
  try {
    target = new URL(location, request.url);
  } catch {
    return failed('ERR_INVALID_REDIRECT');
  }
  const count = request.redirect?.count ?? 0;
  if (count >= MAX_REDIRECTS) return failed('ERR_TOO_MANY_REDIRECTS');

  const check = checkResponse(request, response);
  if (!check.ok) return { kind: 'blocked', check };

  const userinfo = target.username !== '' || target.password !== '';
  if (userinfo && (isCorsRequest(request) || target.origin !== request.origin)) {
    return { kind: 'blocked', check: fail(request, 'RedirectContainsCredentials') };
  }

  const next = nextRequest(request, response.status, target.href);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    const error = SCHEME_ERRORS[target.protocol];
    // net refuses an unsafe redirect before following it, so its console line names the 3xx.
    if (error === 'ERR_UNSAFE_REDIRECT') return failed(error);
    if (error) return failed(error, target.href);
    return { kind: 'blocked', check: fail(next, 'CorsDisabledScheme') };
  }
  if (BAD_PORTS.has(Number(target.port))) return failed('ERR_UNSAFE_PORT', target.href);
  if (
    target.protocol === 'http:' &&
    request.origin.startsWith('https:') &&
    !isLoopback(target.hostname)
  ) {
    return failed('MixedContent', target.href);
  }
  return { kind: 'follow', request: next };
}

/** The request fetch() makes to `url` after a `status` redirect of `request`. */
function nextRequest(request: BrowserRequest, status: number, url: string): BrowserRequest {
  const method = normaliseMethod(request.method);
  const toGet =
    ((status === 301 || status === 302) && method === 'POST') ||
    (status === 303 && method !== 'GET' && method !== 'HEAD');
  const headers = toGet
    ? Object.fromEntries(
        Object.entries(request.headers ?? {}).filter(
          ([name]) => !BODY_HEADERS.has(name.toLowerCase()),
        ),
      )
    : request.headers;
  const previous = request.redirect;
  // https://fetch.spec.whatwg.org/#concept-request-tainted-origin
  const here = originOf(request.url);
  const taints = originOf(url) !== here && request.origin !== here;
  return {
    ...request,
    url,
    method: toGet ? 'GET' : request.method,
    ...(headers === undefined ? {} : { headers }),
    redirect: {
      initialUrl: previous?.initialUrl ?? request.url,
      count: (previous?.count ?? 0) + 1,
      taintedOrigin: previous?.taintedOrigin === true || taints,
    },
  };
}

/**
 * Hosts that are potentially trustworthy over http, so a secure page may fetch them
 * (https://w3c.github.io/webappsec-secure-contexts/#potentially-trustworthy-origin).
 */
function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(hostname)
  );
}
