// The Fetch standard's forbidden request-header names: a page's script can never set them, so a
// preflight never asks for them and listing them in allowedHeaders is always a misunderstanding.
// https://fetch.spec.whatwg.org/#forbidden-request-header
const FORBIDDEN_REQUEST_HEADERS = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
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
  'via',
]);

/**
 * Why `name` can never be an allowed request header, or `undefined` when a page may send it.
 * (`X-HTTP-Method-Override` and its kin are forbidden only for some values, so they pass.)
 */
export function whyNotAllowedHeader(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('access-control-')) {
    return `'${name}' is a CORS protocol header: browsers send Access-Control-Request-* themselves and never let a page set any Access-Control-* header`;
  }
  if (lower.startsWith('sec-') || lower.startsWith('proxy-')) {
    return `'${name}' is a forbidden request header (the Sec- and Proxy- prefixes): the browser alone sets it, a page never can, so no preflight asks for it`;
  }
  if (FORBIDDEN_REQUEST_HEADERS.has(lower)) {
    return `'${name}' is a forbidden request header: the browser alone sets it (${lower === 'cookie' ? 'cookies go with credentials: true, not allowedHeaders' : 'a page never can'}), so no preflight asks for it`;
  }
  return undefined;
}

/** Why `name` cannot be an exposed response header, or `undefined`. */
export function whyNotExposedHeader(name: string): string | undefined {
  if (!name.toLowerCase().startsWith('access-control-')) return undefined;
  return `'${name}' is a CORS protocol header: the browser reads Access-Control-* itself, and exposing it to scripts means nothing`;
}
