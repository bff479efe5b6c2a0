import { getPublicSuffix } from 'tldts';

/** An `allowedHosts` entry, normalised at start-up. `port: ''` matches any port. */
export type HostEntry =
  | { kind: 'exact'; name: string; port: string }
  | { kind: 'subdomains'; base: string; port: string };

/** Why an entry was refused, with the corrected entry when one can be inferred. */
interface HostEntryProblem {
  message: string;
  fix: string;
}

/**
 * Parses one `allowedHosts` entry: `host`, `host:port`, `*.example.com[:port]`, `[::1][:port]`.
 * Host names are normalised as browsers put them in `Host` (lower case, IDN to punycode, IPv6
 * compressed, no trailing dot), so a request's `Host` is compared without any parsing library.
 */
export function parseHostEntry(entry: unknown): HostEntry | HostEntryProblem {
  if (typeof entry !== 'string' || entry === '') {
    return {
      message: `must be a non-empty host name, got ${typeof entry === 'string' ? "''" : typeof entry}`,
      fix: "use e.g. 'api.example.com' or 'localhost'",
    };
  }
  if (entry === '*') {
    return {
      message: "'*' would allow every Host, which is the same as not checking",
      fix: 'omit allowedHosts to leave Host unchecked, or list your host names',
    };
  }
  const scheme = entry.indexOf('://');
  if (scheme !== -1) {
    const rest = entry.slice(scheme + 3).replace(/[/?#].*$/, '');
    return {
      message: `'${entry}' is a URL; Host carries only host[:port]`,
      fix: `use '${rest}'`,
    };
  }
  if (/[\s/?#@,]/.test(entry)) {
    return {
      message: `'${entry}' is not a host[:port] (white space, '/', '?', '#', '@' or ',')`,
      fix: 'list each host name as its own string, e.g. allowedHosts: ["api.example.com"]',
    };
  }
  let host = entry;
  let port = '';
  const close = entry.lastIndexOf(']');
  const colon = entry.lastIndexOf(':');
  if (!entry.startsWith('[') && entry.indexOf(':') !== colon) {
    return {
      message: `'${entry}' looks like an IPv6 address without brackets`,
      fix: `use '[${entry}]'`,
    };
  }
  if (colon > close) {
    host = entry.slice(0, colon);
    port = entry.slice(colon + 1);
    const n = Number(port);
    if (!/^[0-9]{1,5}$/.test(port) || n < 1 || n > 65535) {
      return {
        message: `'${entry}' has an invalid port '${port}'`,
        fix: `use a port from 1 to 65535, or '${host}' for any port`,
      };
    }
    port = String(n);
  }
  const wildcard = host.startsWith('*.');
  const bare = wildcard ? host.slice(2) : host;
  if (bare.includes('*')) {
    return {
      message: `'${entry}' uses '*' inside a label; '*' may only be a whole leftmost label`,
      fix: "use '*.example.com' for every subdomain of example.com",
    };
  }
  const name = normaliseHostName(bare);
  if (name === null) return { message: `'${entry}' has an invalid host name`, fix: 'check it' };
  if (!wildcard) return { kind: 'exact', name, port };
  if (name.startsWith('[') || /^[0-9.]+$/.test(name)) {
    return {
      message: `'${entry}' puts '*.' in front of an IP address`,
      fix: 'list the address itself',
    };
  }
  if (getPublicSuffix(name, { allowPrivateDomains: true }) === name) {
    return {
      message: `'${entry}' would allow every site under the public suffix '${name}'`,
      fix: `use your own domain: '*.your-domain.${name}'`,
    };
  }
  return { kind: 'subdomains', base: name, port };
}

function normaliseHostName(host: string): string | null {
  try {
    const name = new URL(`http://${host}`).hostname;
    return name === '' ? null : name.replace(/\.$/, '');
  } catch {
    return null;
  }
}

/** A host name as a browser sends it (LDH labels, `_` tolerated) or a bracketed IPv6 literal. */
const HOST_NAME = /^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])$/;

/** A `Host` header split into its normalised name and port (`''` when absent), or `null`. */
export function splitHostHeader(value: string): { name: string; port: string } | null {
  const host = value.toLowerCase();
  const close = host.startsWith('[') ? host.indexOf(']') : -1;
  const colon = host.indexOf(':', close + 1);
  let name = colon === -1 ? host : host.slice(0, colon);
  let port = '';
  if (colon !== -1) {
    port = host.slice(colon + 1);
    if (!/^[0-9]{1,5}$/.test(port)) return null;
    port = String(Number(port));
  }
  // `example.com.` is the same DNS name as `example.com`: one trailing dot, never more.
  if (name.endsWith('.')) name = name.slice(0, -1);
  return HOST_NAME.test(name) ? { name, port } : null;
}

/** Compiles `allowedHosts` into a test of a raw `Host` header value (absent: never allowed). */
export function compileHosts(entries: readonly HostEntry[]): (host: string | undefined) => boolean {
  const anyPort = new Set<string>();
  const withPort = new Set<string>();
  const patterns: Array<{ suffix: string; port: string }> = [];
  for (const entry of entries) {
    if (entry.kind === 'subdomains') patterns.push({ suffix: `.${entry.base}`, port: entry.port });
    else if (entry.port === '') anyPort.add(entry.name);
    else withPort.add(`${entry.name}:${entry.port}`);
  }
  return (host) => {
    if (host === undefined) return false;
    const split = splitHostHeader(host);
    if (split === null) return false;
    const { name, port } = split;
    if (anyPort.has(name) || (port !== '' && withPort.has(`${name}:${port}`))) return true;
    for (const p of patterns) {
      if (
        name.length > p.suffix.length &&
        name.endsWith(p.suffix) &&
        (p.port === '' || p.port === port)
      )
        return true;
    }
    return false;
  };
}

/**
 * The plain-text answer to a refused `Host`, naming the entry to add (as Vite's `allowedHosts`
 * refusal does). Only a well-formed host name is echoed, so nothing odd reaches the body.
 */
export function hostRefusalMessage(host: string | undefined): string {
  if (host === undefined) {
    return '@cors: this request has no Host header, and allowedHosts is set: only listed hosts are served. Send a Host header (HTTP/1.1 clients always do).\n';
  }
  const split = splitHostHeader(host);
  if (split === null) {
    return "@cors: this request's Host header is not a valid host[:port], and allowedHosts is set: only listed hosts are served.\n";
  }
  return `@cors: the host '${split.name}' is not allowed. If this server should answer to it, add '${split.name}' to allowedHosts.\n`;
}
