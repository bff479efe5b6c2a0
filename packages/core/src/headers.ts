import type { CorsRequest } from './options.js';

/**
 * Merges `add` (a comma-separated list of header names) into an existing `Vary` value: names are
 * compared case-insensitively and never duplicated, the existing order is kept, and `*` absorbs
 * everything. Adapters call this instead of overwriting `Vary`, which would drop what the
 * application or another middleware set.
 *
 * @example
 * ```ts
 * mergeVary('Accept-Encoding', 'Origin'); // 'Accept-Encoding, Origin'
 * mergeVary('origin', 'Origin');          // 'origin'
 * ```
 */
export function mergeVary(existing: VaryValue, add: string): string {
  if (existing === undefined || existing === null || existing === '') return add;
  const current = Array.isArray(existing) ? existing.join(', ') : String(existing);
  if (current.trim() === '*') return '*';
  const names: string[] = [];
  const seen = new Set<string>();
  for (const list of [current, add]) {
    for (const raw of list.split(',')) {
      const name = raw.trim();
      if (name === '') continue;
      if (name === '*') return '*';
      const key = name.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      names.push(name);
    }
  }
  return names.join(', ');
}

/** What a response's `Vary` can hold, as frameworks report it. */
export type VaryValue = string | readonly string[] | number | undefined | null;

/**
 * Writes a decision's headers through a framework's own getter and setter, merging `vary` with
 * what the response already has (never overwriting it). `get` and `set` take the target as an
 * argument, so an adapter passes module-level functions and nothing is allocated per request.
 *
 * @example
 * ```ts
 * const getHeader = (res: ServerResponse, name: string) => res.getHeader(name);
 * const setHeader = (res: ServerResponse, name: string, value: string) => void res.setHeader(name, value);
 * writeDecisionHeaders(decision.headers, res, getHeader, setHeader);
 * ```
 */
export function writeDecisionHeaders<T>(
  headers: Readonly<Record<string, string>>,
  target: T,
  get: (target: T, name: string) => VaryValue,
  set: (target: T, name: string, value: string) => void,
): void {
  for (const name in headers) {
    const value = headers[name]!;
    set(target, name, name === 'vary' ? mergeVary(get(target, name), value) : value);
  }
}

/** Request headers as Node (and most frameworks on it) hand them over: lower-case names. */
export type IncomingHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Builds the {@link CorsRequest} that `policy.evaluate` takes from a method and a header map with
 * lower-case names (Node's `req.headers`, Koa's `ctx.req.headers`, Fastify's `request.headers`),
 * passing the raw values through untouched. A header that arrives as several values is joined
 * with `', '`, which is never a valid origin or method, so it is refused rather than guessed at.
 *
 * @example
 * ```ts
 * const decision = policy.evaluate(readCorsRequest(req.method, req.headers, req));
 * ```
 */
export function readCorsRequest<N>(
  method: string | undefined,
  headers: IncomingHeaders,
  native?: N,
): CorsRequest<N> {
  return {
    method: method ?? '',
    origin: single(headers.origin),
    requestMethod: single(headers['access-control-request-method']),
    requestHeaders: single(headers['access-control-request-headers']),
    requestPrivateNetwork: single(headers['access-control-request-private-network']),
    host: single(headers.host ?? headers[':authority']),
    secFetchSite: single(headers['sec-fetch-site']),
    native,
  };
}

function single(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' || value === undefined ? value : value.join(', ');
}
