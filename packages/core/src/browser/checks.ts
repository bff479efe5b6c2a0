// The CORS check (https://fetch.spec.whatwg.org/#cors-check) and the CORS-preflight fetch
// (https://fetch.spec.whatwg.org/#cors-preflight-fetch) in the order Chromium applies them. Where
// Chromium departs from the standard, the model follows Chromium (docs/browser-differences.md).
import { isToken } from '../tokens.js';
import { corsErrorMessage, type ModelledCorsErrorCode } from './messages.js';
import { isSameOrigin, normaliseMethod, unsafeHeaderNames } from './safelist.js';
import type { BrowserCheck, BrowserRequest, BrowserResponse } from './types.js';

const OK: BrowserCheck = { ok: true };
// A 3xx is followed (and is then a preflight error) only with these codes and a Location; any other
// 3xx is an ordinary non-ok response.
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);

/**
 * Whether Chromium lets the page read the actual (non-preflight) response: the CORS check on
 * `Access-Control-Allow-Origin` and, with `credentials: 'include'`,
 * `Access-Control-Allow-Credentials`. The status does not matter (a 500 with the right headers is
 * readable).
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
  if (isSameOrigin(request)) return OK;
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
  if (REDIRECT_STATUSES.has(response.status) && header(response, 'location')) {
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

/** The CORS check; `null` when it passes. */
function corsCheck(
  request: BrowserRequest,
  response: BrowserResponse,
  preflight: boolean,
): BrowserCheck | null {
  const code = (name: string) => (preflight ? `Preflight${name}` : name) as ModelledCorsErrorCode;
  const include = request.credentials === 'include';
  const allowOrigin = header(response, 'access-control-allow-origin');

  if (allowOrigin === '*') {
    return include ? fail(request, code('WildcardOriginNotAllowed')) : null;
  }
  if (allowOrigin === undefined) return fail(request, code('MissingAllowOriginHeader'));
  if (allowOrigin !== request.origin) {
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

function fail(request: BrowserRequest, code: ModelledCorsErrorCode, hint?: string): BrowserCheck {
  return { ok: false, code, message: corsErrorMessage(code, request.url, request.origin, hint) };
}

/**
 * A response header as Chromium reads it: every field with that name (any case), each value
 * stripped of surrounding spaces and tabs as the HTTP parser does, joined by `, `.
 */
function header(response: BrowserResponse, name: string): string | undefined {
  const values: string[] = [];
  for (const [key, value] of Object.entries(response.headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    for (const item of typeof value === 'string' ? [value] : value) {
      values.push(item.replace(/^[\t ]+|[\t ]+$/g, ''));
    }
  }
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
