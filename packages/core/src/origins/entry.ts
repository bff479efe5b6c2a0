import { getPublicSuffix } from 'tldts';

/** A configured origin string, parsed and normalised at start-up. */
export type ParsedEntry =
  | { kind: 'exact'; origin: string }
  | { kind: 'subdomains'; scheme: string; base: string; port: string }
  | { kind: 'any-port'; scheme: string; host: string };

/** Why an entry was refused, and the corrected entry when one can be inferred. */
export interface EntryProblem {
  message: string;
  fix: string;
}

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443', ws: '80', wss: '443' };
const SCHEME = /^[a-z][a-z0-9+.-]*$/;

/**
 * Parses one configured origin string: an exact origin, `scheme://*.base[:port]` or
 * `scheme://host:*`. Exact origins are normalised as browsers serialise them (lower-case scheme and
 * host, default port dropped, IDN to punycode) so the request's `Origin` can be compared byte for
 * byte. Anything a browser never sends in `Origin` (a path, a trailing slash, a query, user-info)
 * is a problem, never silently repaired.
 */
export function parseOriginEntry(entry: string): ParsedEntry | EntryProblem {
  if (entry === 'null') return { kind: 'exact', origin: 'null' };
  if (/[\s,]/.test(entry)) {
    const parts = entry.split(/[\s,]+/).filter(Boolean);
    return parts.length > 1
      ? {
          message: `'${entry}' holds several origins in one string`,
          fix: `use an array: [${parts.map((p) => `'${p}'`).join(', ')}] (or corsOptionsFromEnv for a variable)`,
        }
      : { message: `'${entry}' contains white space`, fix: `use '${entry.trim()}'` };
  }
  const sep = entry.indexOf('://');
  if (sep === -1) {
    const candidate = `https://${entry.replace(/\/+$/, '')}`;
    const repaired = parseOriginEntry(candidate);
    const message = `'${entry}' has no scheme; an origin is scheme://host[:port]`;
    return 'fix' in repaired
      ? { message: `${message}, and as ${repaired.message}`, fix: repaired.fix }
      : { message, fix: `use '${candidate}'` };
  }
  const scheme = entry.slice(0, sep).toLowerCase();
  if (!SCHEME.test(scheme)) {
    const repaired = parseOriginEntry(`https${entry.slice(sep)}`);
    return {
      message: `'${entry}' has an invalid scheme '${scheme}'`,
      fix: 'fix' in repaired ? "use 'https://' or 'http://'" : `use 'https${entry.slice(sep)}'`,
    };
  }
  let authority = entry.slice(sep + 3);
  const cut = authority.search(/[/?#]/);
  if (cut !== -1) {
    const origin = `${entry.slice(0, sep + 3)}${authority.slice(0, cut)}`;
    const what = /^\/+$/.test(authority.slice(cut))
      ? 'a trailing slash'
      : authority[cut] === '/'
        ? 'a path'
        : authority[cut] === '?'
          ? 'a query'
          : 'a fragment';
    return {
      message: `'${entry}' has ${what}; browsers send only scheme://host[:port] in Origin, so it would never match`,
      fix: `use '${origin}'`,
    };
  }
  if (authority.includes('@')) {
    authority = authority.slice(authority.lastIndexOf('@') + 1);
    return {
      message: `'${entry}' has user-info; browsers never send it in Origin`,
      fix: `use '${scheme}://${authority}'`,
    };
  }
  let host = authority;
  let port = '';
  const close = authority.lastIndexOf(']');
  const colon = authority.lastIndexOf(':');
  if (colon > close) {
    host = authority.slice(0, colon);
    port = authority.slice(colon + 1);
  }
  if (port !== '*' && port !== '') {
    const n = Number(port);
    if (!/^[0-9]{1,5}$/.test(port) || n < 1 || n > 65535) {
      return {
        message: `'${entry}' has an invalid port '${port}'`,
        fix: 'use a port from 1 to 65535, or :* for any port',
      };
    }
    port = String(n);
    if (DEFAULT_PORTS[scheme] === port) port = '';
  } else if (colon > close && port === '') {
    return { message: `'${entry}' has an empty port`, fix: `use '${scheme}://${host}'` };
  }
  if (host === '')
    return { message: `'${entry}' has no host`, fix: "use e.g. 'https://app.example.com'" };
  const wildcard = host.startsWith('*.') ? host.slice(2) : host;
  if (wildcard.includes('*')) {
    return {
      message: `'${entry}' uses '*' inside a label; '*' may only be a whole leftmost label (https://*.example.com) or a whole port (http://localhost:*)`,
      fix: 'use https://*.example.com for every subdomain, or list the origins',
    };
  }
  const normalised = normaliseHost(scheme, wildcard);
  if (normalised === null)
    return { message: `'${entry}' has an invalid host '${wildcard}'`, fix: 'check the host name' };
  if (host.startsWith('*.')) {
    if (port === '*') {
      return {
        message: `'${entry}' uses '*' both as a label and as the port`,
        fix: 'use one wildcard per entry, or list the origins',
      };
    }
    if (/^[0-9.]+$/.test(normalised) || normalised.startsWith('[')) {
      return {
        message: `'${entry}' puts '*.' in front of an IP address`,
        fix: 'use a domain name, or list the origins',
      };
    }
    if (getPublicSuffix(normalised, { allowPrivateDomains: true }) === normalised) {
      return {
        message: `'${entry}' would allow every site under the public suffix '${normalised}', i.e. anyone who registers a domain there`,
        fix: `use your own domain: '${scheme}://*.your-domain.${normalised}'`,
      };
    }
    return { kind: 'subdomains', scheme, base: normalised, port };
  }
  if (port === '*') return { kind: 'any-port', scheme, host: normalised };
  return { kind: 'exact', origin: `${scheme}://${normalised}${port === '' ? '' : `:${port}`}` };
}

/** Lower-cases a host and, for the web's schemes, converts IDN to punycode via the URL parser. */
function normaliseHost(scheme: string, host: string): string | null {
  if (!(scheme in DEFAULT_PORTS)) return /^[\x21-\x7e]+$/.test(host) ? host.toLowerCase() : null;
  try {
    const hostname = new URL(`${scheme}://${host}`).hostname;
    return hostname === '' ? null : hostname;
  } catch {
    return null;
  }
}
