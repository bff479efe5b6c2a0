import type { ParsedEntry } from './entry.js';

/** Decides whether a request's `Origin` value is allowed. Never throws. */
export type OriginTest = (origin: string) => boolean;

/** The compiled `origin` list: exact origins apart, for a single hash look-up, and a test for the rest. */
export interface CompiledOrigins {
  /** Normalised exact origins (and `'null'` when listed). */
  exact: string[];
  /** Tests the patterns and RegExps; `undefined` when there are none. */
  others: OriginTest | undefined;
}

/**
 * Compiles the parsed `origin` list. Exact origins are returned for the caller's hash map, so the
 * look-up costs the same for 10 entries as for 100,000; subdomain patterns go in a map keyed by
 * their base domain, probed once per label of the request's host; RegExps run last, and only on
 * values that are well-formed serialised origins. `'null'` matches only as an exact entry.
 */
export function compileOrigins(
  entries: readonly ParsedEntry[],
  regexps: readonly RegExp[],
): CompiledOrigins {
  const exact: string[] = [];
  const anyPort = new Set<string>();
  const subdomains = new Map<string, { scheme: string; port: string }[]>();
  for (const entry of entries) {
    if (entry.kind === 'exact') exact.push(entry.origin);
    else if (entry.kind === 'any-port') anyPort.add(`${entry.scheme}://${entry.host}`);
    else {
      const list = subdomains.get(entry.base) ?? [];
      list.push({ scheme: entry.scheme, port: entry.port });
      subdomains.set(entry.base, list);
    }
  }
  if (anyPort.size === 0 && subdomains.size === 0 && regexps.length === 0)
    return { exact, others: undefined };
  const others = (origin: string) => {
    const parts = splitOrigin(origin);
    if (parts === null) return false;
    if (
      anyPort.size > 0 &&
      anyPort.has(parts.port === '' ? origin : origin.slice(0, -parts.port.length - 1))
    ) {
      return true;
    }
    if (subdomains.size > 0) {
      const host = parts.host;
      for (let i = host.indexOf('.'); i !== -1; i = host.indexOf('.', i + 1)) {
        const candidates = subdomains.get(host.slice(i + 1));
        if (candidates === undefined) continue;
        for (const c of candidates)
          if (c.scheme === parts.scheme && c.port === parts.port) return true;
      }
    }
    for (const re of regexps) if (re.test(origin)) return true;
    return false;
  };
  return { exact, others };
}

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443', ws: '80', wss: '443' };

/**
 * Splits a request's `Origin` into scheme, host and port, or returns `null` when it is not an
 * origin as browsers serialise it: lower-case scheme and host, host of letters, digits, hyphens
 * and dots (punycode for IDN) or a bracketed IPv6 address, no default port, no leading zeros.
 * This is what keeps `https://a.example.com{.evil.com` or `https://A.example.com` from ever
 * reaching a pattern or a RegExp.
 */
export function splitOrigin(origin: string): { scheme: string; host: string; port: string } | null {
  const sep = origin.indexOf('://');
  if (sep <= 0 || origin.length > 300) return null;
  for (let i = 0; i < sep; i++) {
    const c = origin.charCodeAt(i);
    const ok =
      (c >= 97 && c <= 122) ||
      (i > 0 && ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46));
    if (!ok) return null;
  }
  const scheme = origin.slice(0, sep);
  const hostStart = sep + 3;
  let hostEnd: number;
  if (origin.charCodeAt(hostStart) === 91) {
    hostEnd = origin.indexOf(']', hostStart) + 1;
    if (hostEnd === 0) return null;
    for (let i = hostStart + 1; i < hostEnd - 1; i++) {
      const c = origin.charCodeAt(i);
      if (!((c >= 48 && c <= 58) || (c >= 97 && c <= 102) || c === 46)) return null;
    }
  } else {
    hostEnd = origin.indexOf(':', hostStart);
    if (hostEnd === -1) hostEnd = origin.length;
    let labelLength = 0;
    for (let i = hostStart; i < hostEnd; i++) {
      const c = origin.charCodeAt(i);
      if (c === 46) {
        if (labelLength === 0) return null;
        labelLength = 0;
      } else if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45) {
        labelLength++;
      } else {
        return null;
      }
    }
    if (labelLength === 0) return null;
  }
  let port = '';
  if (hostEnd < origin.length) {
    if (origin.charCodeAt(hostEnd) !== 58) return null;
    port = origin.slice(hostEnd + 1);
    if (port.length === 0 || port.length > 5 || port.charCodeAt(0) === 48) return null;
    for (let i = 0; i < port.length; i++) {
      const c = port.charCodeAt(i);
      if (c < 48 || c > 57) return null;
    }
    if (Number(port) > 65535 || DEFAULT_PORT[scheme] === port) return null;
  }
  return { scheme, host: origin.slice(hostStart, hostEnd), port };
}
