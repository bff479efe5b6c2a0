import { parse, pathToRegexp, type Text } from 'path-to-regexp';

interface Pattern<T> {
  method: string;
  order: number;
  test: RegExp;
  value: T;
}

type Buckets<T> = Map<string, Pattern<T>[]>;

/**
 * Finds the route a request reaches, by method and path, as Nest's routers do: paths are
 * case-insensitive and a trailing slash is ignored (Express's defaults), a static path wins over
 * patterns (as Fastify and Nest's specificity ordering decide), patterns are tried in declaration
 * order, `ALL` fits any method and `GET` also answers `HEAD`. Paths use Nest's route syntax
 * (path-to-regexp 8: `/items/:id`, `/files/{*path}`, `/users{/:id}`).
 *
 * Built once at bootstrap. A look-up costs one `Map` access for a static path; for a pattern, one
 * `Map` access per segment of the request path, then a RegExp test for the few patterns that
 * share its literal leading segments, however many routes the application has.
 */
export class RouteTable<T> {
  private readonly exact = new Map<string, { method: string; value: T }[]>();
  // Per method, the patterns that fit it, bucketed by their literal leading segments
  // ('/api/items' for '/api/items/:id'). A method no route names (a preflight may ask for any)
  // is served by the `ALL` routes alone.
  private readonly patterns = new Map<string, Buckets<T>>();

  /** @param routes in the order Nest registers them. */
  constructor(routes: Iterable<{ method: string; path: string; value: T }>) {
    const patterns: (Pattern<T> & { prefix: string })[] = [];
    for (const { method, path, value } of routes) {
      const { tokens } = parse(path);
      const literal = tokens.findIndex((token) => token.type !== 'text');
      const text = tokens
        .slice(0, literal === -1 ? undefined : literal)
        .map((t) => (t as Text).value);
      if (literal === -1) {
        const key = normalize(text.join(''));
        this.exact.set(key, [...(this.exact.get(key) ?? []), { method, value }]);
        continue;
      }
      const leading = text.join('').toLowerCase();
      const { regexp } = pathToRegexp(path, { sensitive: false });
      const prefix = leading.slice(0, Math.max(0, leading.lastIndexOf('/')));
      patterns.push({ method, order: patterns.length, test: regexp, value, prefix });
    }
    for (const method of new Set([...patterns.map((route) => route.method), 'HEAD', 'ALL'])) {
      const buckets: Buckets<T> = new Map();
      for (const { prefix, ...route } of patterns) {
        if (fits(route.method, method))
          buckets.set(prefix, [...(buckets.get(prefix) ?? []), route]);
      }
      this.patterns.set(method, buckets);
    }
  }

  /** The value of the route `method` and `path` (no query string) reach, if any. */
  find(method: string, path: string): T | undefined {
    const routes = this.exact.get(normalize(path));
    if (routes !== undefined) {
      for (const route of routes) if (fits(route.method, method)) return route.value;
    }
    const buckets = this.patterns.get(method) ?? this.patterns.get('ALL')!;
    if (buckets.size === 0) return undefined;
    // Every leading run of whole segments of the path ('', '/api', '/api/items', then the whole
    // path) may hold patterns that match it; the one declared first wins.
    const lower = path.toLowerCase();
    let found: Pattern<T> | undefined;
    for (let end = 0; end !== -1; end = end === lower.length ? -1 : nextSlash(lower, end)) {
      const bucket = buckets.get(end === 0 ? '' : lower.slice(0, end));
      if (bucket === undefined) continue;
      for (const route of bucket) {
        if (found !== undefined && route.order > found.order) break;
        if (route.test.test(path)) {
          found = route;
          break;
        }
      }
    }
    return found?.value;
  }
}

function nextSlash(path: string, from: number): number {
  const index = path.indexOf('/', from + 1);
  return index === -1 ? path.length : index;
}

function fits(routeMethod: string, method: string): boolean {
  return (
    routeMethod === method || routeMethod === 'ALL' || (method === 'HEAD' && routeMethod === 'GET')
  );
}

function normalize(path: string): string {
  const lower = path.toLowerCase();
  return lower.length > 1 && lower.endsWith('/') ? lower.slice(0, -1) : lower;
}
