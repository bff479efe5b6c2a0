// What a page's fetch() sends, and whether that needs a CORS preflight, as Chromium decides it.
// Fetch standard: https://fetch.spec.whatwg.org/#cors-safelisted-method,
// https://fetch.spec.whatwg.org/#cors-safelisted-request-header and
// https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names. Where Chromium differs
// (client hints, `Intervention`, `User-Agent`), the rule follows Chromium; see
// docs/browser-differences.md. Every rule here was checked against headless Chromium 156 by
// scripts/verify-browser-model.ts.
import type { BrowserRequest } from './types.js';

/** The CORS request headers of the preflight Chromium sends for a request. */
export interface PreflightRequestHeaders {
  /** The method after fetch's normalisation (`delete`, `get`, `head`, `options`, `post`, `put` are upper-cased, `patch` is not). */
  method: string;
  /**
   * `Access-Control-Request-Headers` as Chromium builds it: the CORS-unsafe header names,
   * lower-cased, sorted, deduplicated, joined by `,` without spaces. `undefined` when Chromium
   * sends no such header (no header needs permission).
   */
  requestHeaders: string | undefined;
  /** The preflight's CORS headers, ready to send: `origin`, `access-control-request-method` and, when present, `access-control-request-headers`. */
  headers: Record<string, string>;
}

// https://fetch.spec.whatwg.org/#concept-method-normalize
const NORMALISED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

// https://fetch.spec.whatwg.org/#forbidden-request-header, plus `user-agent`, which the standard
// allows scripts to set but Chromium still drops.
const FORBIDDEN_HEADERS = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'via',
]);
const METHOD_OVERRIDE_HEADERS = new Set([
  'x-http-method',
  'x-http-method-override',
  'x-method-override',
]);

const MAX_SAFELISTED_VALUE_LENGTH = 128;
const MAX_SAFELISTED_TOTAL_LENGTH = 1024;
const SAFELISTED_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

/** fetch's method normalisation: the six standard methods are upper-cased, any other is kept as written. */
export function normaliseMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALISED_METHODS.has(upper) ? upper : method;
}

/** The serialised origin of `url`, or `undefined` when it does not parse. */
export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * Fetch's CORS flag: whether fetch does CORS for `request` (checks its responses, may preflight
 * it). Set when the URL is cross-origin, and it stays set for the rest of the redirect chain once
 * a URL was: a chain that went cross-origin and came back is still cross-origin (its origin is
 * then tainted, or its first URL was cross-origin).
 */
export function isCorsRequest(request: BrowserRequest): boolean {
  const { redirect } = request;
  if (redirect && (redirect.taintedOrigin || originOf(redirect.initialUrl) !== request.origin)) {
    return true;
  }
  return originOf(request.url) !== request.origin;
}

/** The `Origin` header of `request`: the page's origin, or `null` once a redirect tainted it. */
export function requestOrigin(request: BrowserRequest): string {
  return request.redirect?.taintedOrigin ? 'null' : request.origin;
}

/**
 * Whether Chromium sends a CORS preflight before `request`: the normalised method is not GET, HEAD
 * or POST, or a header the script set is not CORS-safelisted (a value over 128 bytes, a
 * `Content-Type` other than the three form types, a multi-part `Range`, `Authorization`, any
 * custom header...), or the safelisted values together exceed 1024 bytes. A same-origin request
 * never needs one. After a redirect (`request.redirect`), Chromium asks again for the new URL: a
 * request that is not simple is preflighted at every URL it is redirected to.
 *
 * @example
 * ```ts
 * needsPreflight({ url: 'https://api.example.com/', origin: 'https://app.example.com', method: 'GET' }); // false
 * needsPreflight({ url: 'https://api.example.com/', origin: 'https://app.example.com', method: 'POST',
 *   headers: { 'Content-Type': 'application/json' } }); // true
 * ```
 */
export function needsPreflight(request: BrowserRequest): boolean {
  if (!isCorsRequest(request)) return false;
  return (
    !SAFELISTED_METHODS.has(normaliseMethod(request.method)) ||
    unsafeHeaderNames(request).length > 0
  );
}

/**
 * The CORS headers of the preflight Chromium would send for `request` (whether or not it needs
 * one): the normalised method and `Access-Control-Request-Headers`.
 *
 * @example
 * ```ts
 * preflightRequestHeaders({ url: 'https://api.example.com/', origin: 'https://app.example.com',
 *   method: 'patch', headers: { 'X-Trace': '1', Authorization: 'Bearer t' } });
 * // { method: 'patch', requestHeaders: 'authorization,x-trace', headers: { origin: 'https://app.example.com',
 * //   'access-control-request-method': 'patch', 'access-control-request-headers': 'authorization,x-trace' } }
 * ```
 */
export function preflightRequestHeaders(request: BrowserRequest): PreflightRequestHeaders {
  const method = normaliseMethod(request.method);
  const names = unsafeHeaderNames(request);
  const requestHeaders = names.length > 0 ? names.join(',') : undefined;
  const headers: Record<string, string> = {
    origin: requestOrigin(request),
    'access-control-request-method': method,
  };
  if (requestHeaders !== undefined) headers['access-control-request-headers'] = requestHeaders;
  return { method, requestHeaders, headers };
}

/**
 * The CORS-unsafe request-header names of `request`, lower-cased, sorted and deduplicated: the
 * names the preflight lists and the response's `Access-Control-Allow-Headers` must allow.
 */
export function unsafeHeaderNames(request: BrowserRequest): string[] {
  const unsafe: string[] = [];
  const safelisted: string[] = [];
  let safelistedLength = 0;
  for (const [name, value] of requestHeaderList(request)) {
    if (isSafelistedHeader(name, value)) {
      safelisted.push(name);
      safelistedLength += value.length;
    } else {
      unsafe.push(name);
    }
  }
  if (safelistedLength > MAX_SAFELISTED_TOTAL_LENGTH) unsafe.push(...safelisted);
  return unsafe.sort();
}

/**
 * The header list fetch builds from the script's headers: names lower-cased, values stripped of
 * leading and trailing HTTP whitespace, repeated names combined with `, `, forbidden headers
 * silently dropped, and `Accept: *∕*` added when the script set none (it counts towards the
 * 1024-byte limit).
 */
function requestHeaderList(request: BrowserRequest): Map<string, string> {
  const list = new Map<string, string>();
  for (const [rawName, rawValue] of Object.entries(request.headers ?? {})) {
    const name = rawName.toLowerCase();
    const value = rawValue.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
    if (isForbiddenHeader(name, value)) continue;
    const existing = list.get(name);
    list.set(name, existing === undefined ? value : `${existing}, ${value}`);
  }
  if (!list.has('accept')) list.set('accept', '*/*');
  return list;
}

function isForbiddenHeader(name: string, value: string): boolean {
  if (FORBIDDEN_HEADERS.has(name) || name.startsWith('proxy-') || name.startsWith('sec-')) {
    return true;
  }
  if (!METHOD_OVERRIDE_HEADERS.has(name)) return false;
  return value.split(',').some((method) => FORBIDDEN_METHODS.has(method.trim().toUpperCase()));
}

/** Whether one header (lower-case name, normalised value) is CORS-safelisted in Chromium. */
export function isSafelistedHeader(name: string, value: string): boolean {
  if (value.length > MAX_SAFELISTED_VALUE_LENGTH) return false;
  switch (name) {
    case 'accept':
      return !hasUnsafeByte(value);
    case 'accept-language':
    case 'content-language':
      return /^[0-9A-Za-z *,\-.;=]*$/.test(value);
    case 'content-type':
      return !hasUnsafeByte(value) && SAFELISTED_CONTENT_TYPES.has(mimeEssence(value) ?? '');
    case 'range':
      return isSimpleRange(value);
    // Not in the Fetch standard; Chromium still safelists these client hints and `Intervention`.
    case 'dpr':
    case 'device-memory':
      return /^\d+(?:\.\d+)?$/.test(value);
    case 'width':
    case 'viewport-width':
      return /^\d+$/.test(value);
    case 'save-data':
      return value.toLowerCase() === 'on';
    case 'intervention':
      return true;
    default:
      return false;
  }
}

// https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte
function hasUnsafeByte(value: string): boolean {
  return /[\x00-\x08\x0a-\x1f"():<>?@[\\\]{}\x7f]/.test(value);
}

/**
 * The essence (`type/subtype`, lower-cased) of a MIME type, or `null` when it does not parse:
 * https://mimesniff.spec.whatwg.org/#parse-a-mime-type (only the part before the parameters
 * matters here).
 */
function mimeEssence(value: string): string | null {
  const semicolon = value.indexOf(';');
  const match = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\/([!#$%&'*+\-.^_`|~0-9A-Za-z]+)[\t\n\r ]*$/.exec(
    semicolon === -1 ? value : value.slice(0, semicolon),
  );
  return match ? `${match[1]}/${match[2]}`.toLowerCase() : null;
}

/**
 * A single byte range with a first position, no whitespace: `bytes=0-99` or `bytes=5-`, but not
 * `bytes=-5`, `bytes=0-1,3-4`, `BYTES=0-1` or `bytes=5-1`
 * (https://fetch.spec.whatwg.org/#simple-range-header-value).
 */
function isSimpleRange(value: string): boolean {
  const match = /^bytes=(\d+)-(\d*)$/.exec(value);
  if (!match) return false;
  const [, start = '', end = ''] = match;
  return end === '' || compareDecimal(start, end) <= 0;
}

function compareDecimal(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}
