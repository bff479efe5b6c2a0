// The CORS check (https://fetch.spec.whatwg.org/#cors-check) and the CORS-preflight fetch
// (https://fetch.spec.whatwg.org/#cors-preflight-fetch) in the order Chromium applies them. Where
// Chromium departs from the standard, the model follows Chromium (docs/browser-differences.md).
import { isToken } from '../tokens.js';
import { corsErrorMessage, type ModelledCorsErrorCode } from './messages.js';
import { isCorsRequest, normaliseMethod, requestOrigin, unsafeHeaderNames } from './safelist.js';
import type { BrowserCheck, BrowserRequest, BrowserResponse } from './types.js';

const OK: BrowserCheck = { ok: true };
// Only these statuses are followed, and only with a non-empty Location; any other 3xx (300, 304,
// a 302 without Location) is a final response like a 200 (and a preflight error like a 500).
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);

/**
 * Whether Chromium lets the page read the actual (non-preflight) response: the CORS check on
 * `Access-Control-Allow-Origin` and, with `credentials: 'include'`,
 * `Access-Control-Allow-Credentials`. The status does not matter (a 500 with the right headers is
 * readable). A redirect (3xx) of a cross-origin request must pass it too before Chromium follows
 * it; after a redirect across origins the origin compared is `null` (`request.redirect`).
 *
 * @example
 * ```ts
 * const check = checkResponse(
 *   { url: 'https://api.example.com/items', origin: 'https://app.example.com', method: 'GET' },
 *   { status: 200, headers: {} },
 * );
 * // check.ok === false, check.code === 'MissingAllowOriginHeader', check.message is Chromium's console line
 * ```
 */
export function checkResponse(request: BrowserRequest, response: BrowserResponse): BrowserCheck {
  if (!isCorsRequest(request)) return OK;
  return corsCheck(request, response, false) ?? OK;
}

/**
 * Whether Chromium accepts `response` as the answer to the preflight of `request`, checked in
 * Chromium's order: a followed redirect, then the CORS check (`Access-Control-Allow-Origin`,
 * `-Credentials`), then the status (2xx), then the syntax of `Access-Control-Allow-Methods` and
 * `-Headers`, then the method, then each header.
 *
 * @example
 * ```ts
 * checkPreflight(
 *   { url: 'https://api.example.com/items', origin: 'https://app.example.com', method: 'PUT' },
 *   { status: 204, headers: { 'access-control-allow-origin': 'https://app.example.com' } },
 * );
 * // { ok: false, code: 'MethodDisallowedByPreflightResponse', message: "Access to fetch at ... Method PUT is not allowed ..." }
 * ```
 */
export function checkPreflight(request: BrowserRequest, response: BrowserResponse): BrowserCheck {
  if (redirectLocation(response) !== undefined) {
    return fail(request, 'PreflightDisallowedRedirect');
  }
  const cors = corsCheck(request, response, true);
  if (cors) return cors;
  if (response.status < 200 || response.status > 299) {
    return fail(request, 'PreflightInvalidStatus');
  }

  const methods = parseList(header(response, 'access-control-allow-methods'));
  if (!methods) return fail(request, 'InvalidAllowMethodsPreflightResponse');
  const headers = parseList(header(response, 'access-control-allow-headers'));
  if (!headers) return fail(request, 'InvalidAllowHeadersPreflightResponse');

  // `*` is a wildcard only without credentials; with them it is the literal name `*`.
  const wildcard = request.credentials !== 'include';
  const method = normaliseMethod(request.method);
  const methodAllowed =
    SAFELISTED_METHODS.has(method) ||
    methods.includes(method) ||
    (wildcard && methods.includes('*'));
  if (!methodAllowed) return fail(request, 'MethodDisallowedByPreflightResponse', method);

  // Chromium lets `*` cover `Authorization` too; the Fetch standard does not.
  if (wildcard && headers.includes('*')) return OK;
  const allowed = new Set(headers.map((name) => name.toLowerCase()));
  const refused = unsafeHeaderNames(request).find((name) => !allowed.has(name));
  return refused === undefined ? OK : fail(request, 'HeaderDisallowedByPreflightResponse', refused);
}

/**
 * How many seconds Chromium keeps a passed preflight in its preflight cache, during which a request
 * to the same URL with the same method and headers is sent without a new preflight: the
 * `Access-Control-Max-Age` of the preflight answer, 5 when it is absent or not an integer, 0 (not
 * cached) when negative, at most 7200.
 *
 * @example
 * ```ts
 * preflightCacheSeconds({ status: 204, headers: {} }); // 5
 * preflightCacheSeconds({ status: 204, headers: { 'access-control-max-age': '86400' } }); // 7200
 * ```
 */
export function preflightCacheSeconds(response: BrowserResponse): number {
  const value = header(response, 'access-control-max-age');
  if (value === undefined || !/^-?\d+$/.test(value)) return 5;
  return Math.min(Math.max(Number(value), 0), 7200);
}

/** The CORS check; `null` when it passes. */
function corsCheck(
  request: BrowserRequest,
  response: BrowserResponse,
  preflight: boolean,
): BrowserCheck | null {
  const code = (name: string) => (preflight ? `Preflight${name}` : name) as ModelledCorsErrorCode;
  const include = request.credentials === 'include';
  const origin = requestOrigin(request);
  const allowOrigin = header(response, 'access-control-allow-origin');

  if (allowOrigin === '*') {
    return include ? fail(request, code('WildcardOriginNotAllowed')) : null;
  }
  if (allowOrigin === undefined) return fail(request, code('MissingAllowOriginHeader'));
  if (allowOrigin !== origin) {
    // Chromium compares bytes, then names the likely mistake: a list, `null`, a non-URL, or another origin.
    if (/[ ,]/.test(allowOrigin)) {
      return fail(request, code('MultipleAllowOriginValues'), allowOrigin);
    }
    if (allowOrigin !== 'null' && !isUrl(allowOrigin)) {
      return fail(request, code('InvalidAllowOriginValue'), allowOrigin);
    }
    return fail(request, code('AllowOriginMismatch'), allowOrigin);
  }
  if (include) {
    // Case-sensitive: `True` is refused.
    const allowCredentials = header(response, 'access-control-allow-credentials');
    if (allowCredentials !== 'true') {
      return fail(request, code('InvalidAllowCredentials'), allowCredentials ?? '');
    }
  }
  return null;
}

/**
 * The `Location` of a response fetch() follows: a 301, 302, 303, 307 or 308 whose first
 * `Location` is not empty. `undefined` for any other response.
 */
export function redirectLocation(response: BrowserResponse): string | undefined {
  if (!REDIRECT_STATUSES.has(response.status)) return undefined;
  return headerValues(response, 'location')[0] || undefined;
}

/** A failed check with Chromium's console line for `request`. */
export function fail(
  request: BrowserRequest,
  code: ModelledCorsErrorCode,
  hint?: string,
): Extract<BrowserCheck, { ok: false }> {
  const { url, origin, redirect } = request;
  return {
    ok: false,
    code,
    message: corsErrorMessage(code, url, origin, hint, redirect?.initialUrl),
  };
}

/**
 * Every field of a response header with that name (any case), each value stripped of surrounding
 * spaces and tabs as the HTTP parser does.
 */
export function headerValues(response: BrowserResponse, name: string): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(response.headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    for (const item of typeof value === 'string' ? [value] : value) {
      values.push(item.replace(/^[\t ]+|[\t ]+$/g, ''));
    }
  }
  return values;
}

/** A response header as Chromium reads it: {@link headerValues} joined by `, `. */
function header(response: BrowserResponse, name: string): string | undefined {
  const values = headerValues(response, name);
  return values.length > 0 ? values.join(', ') : undefined;
}

/**
 * `Access-Control-Allow-Methods` / `-Headers`: comma-separated tokens, spaces and tabs around them
 * and empty elements ignored. `null` when an element is not a token (`GET POST`, `PUT;`, `"PUT"`).
 * An absent header is an empty list.
 */
function parseList(value: string | undefined): string[] | null {
  const items: string[] = [];
  for (const raw of (value ?? '').split(',')) {
    const item = raw.replace(/^[\t ]+|[\t ]+$/g, '');
    if (item === '') continue;
    if (!isToken(item)) return null;
    items.push(item);
  }
  return items;
}

/** Chromium's loose validity test for a non-matching `Access-Control-Allow-Origin` (a parsable absolute URL). */
function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
