import { isTokenChar } from './tokens.js';

/**
 * The longest `Access-Control-Request-Headers` value read. Browsers list only the non-safelisted
 * names a script set; 8 KiB is hundreds of names, and a longer value is refused before any parsing,
 * so a hostile 1 MB value costs one length check.
 */
export const MAX_REQUEST_HEADERS_LENGTH = 8192;

/**
 * Parses `Access-Control-Request-Headers` in one pass: names separated by commas, optional spaces
 * or tabs around them, empty elements ignored. Returns the names lower-cased, or `null` when the
 * value is too long or holds anything but tokens (control characters, quotes, non-ASCII), so such
 * bytes can never be echoed.
 */
export function parseRequestHeaders(value: string): string[] | null {
  const n = value.length;
  if (n > MAX_REQUEST_HEADERS_LENGTH) return null;
  const names: string[] = [];
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(value.charCodeAt(i))) i++;
    const start = i;
    while (i < n && isTokenChar(value.charCodeAt(i))) i++;
    const end = i;
    while (i < n && isSpace(value.charCodeAt(i))) i++;
    if (i < n && value.charCodeAt(i) !== 44) return null;
    if (end > start) names.push(value.slice(start, end).toLowerCase());
    i++;
  }
  return names;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9;
}
