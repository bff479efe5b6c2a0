import type { CorsRequest, OriginEntry, OriginFunction } from './options.js';
import { splitOrigin } from './origins/matcher.js';
import { createCorsPolicy } from './policy.js';
import { CorsConfigError, type CorsConfigIssue } from './validate.js';

/** Loads whether one origin is allowed, typically from a database. */
export type OriginLoader<N = unknown> = (
  origin: string,
  request: CorsRequest<N>,
) => boolean | Promise<boolean>;

/** Options of {@link originCache}. Every duration is in milliseconds. */
export interface OriginCacheOptions {
  /**
   * How long an allowed answer is fresh. After it, the entry still answers at once while one
   * refresh runs in the background (stale-while-revalidate), for at most `maxStale` more.
   * @default 60_000
   * @example { ttl: 5 * 60_000 }
   */
  ttl?: number;
  /**
   * How long a refusal (`load` returned `false`) is fresh; shorter than `ttl`, so that a newly
   * added origin is picked up soon even where no invalidation reaches this process.
   * @default 10_000
   */
  negativeTtl?: number;
  /**
   * Answers kept in memory, whatever origins arrive; the least recently used goes first.
   * Refusals take at most half of it, so a flood of unknown origins cannot evict allowed ones.
   * @default 10_000
   */
  max?: number;
  /**
   * Loads in flight at once. Beyond it, an origin with no answer in memory is refused at once
   * (counted as `refused` in `stats()`): a flood of random `Origin` values costs the database at
   * most this many concurrent queries.
   * @default 16
   */
  maxLoading?: number;
  /**
   * How long one `load` may take; after it the load counts as failed (`OriginLoadTimeoutError` to
   * `onError`), and stops counting against `maxLoading`. No request ever waits longer.
   * @default 2_000
   */
  loadTimeout?: number;
  /**
   * What a failed or timed-out `load` answers:
   * - `'stale'`: the last answer `load` gave for this origin, while it is at most `maxStale` past
   *   its TTL; an origin never loaded successfully (or known too long ago) is refused;
   * - `'refuse'`: the origin is refused.
   *
   * Either way the error goes to `onError`, never to the client, and the origin is retried after
   * `retryAfter`. An `invalidate(origin)` drops the last answer, so a removed origin is not
   * served stale.
   * @default 'stale'
   */
  failMode?: 'stale' | 'refuse';
  /**
   * How long past its TTL an answer may still be served: while its refresh runs, and (with
   * `failMode: 'stale'`) while loads fail. Beyond it, a request waits for a fresh load.
   * @default 60_000
   */
  maxStale?: number;
  /**
   * After a failed load, how long the fail mode's answer stands before the origin is loaded
   * again, so that a database that is down is not sent one query per request.
   * @default 1_000
   */
  retryAfter?: number;
  /**
   * Origins allowed without calling `load` (exact origins, patterns or anchored RegExps, as in
   * the `origin` option), e.g. your own front end.
   * @example { static: ['https://app.example.com', 'https://*.preview.example.com'] }
   */
  static?: OriginEntry | readonly OriginEntry[];
  /**
   * Receives every failed or timed-out load.
   * @default console.warn
   */
  onError?: (error: unknown, origin: string) => void;
}

/** Counters since creation (or the last `clear()`), and the current sizes. */
export interface OriginCacheStats {
  /** Answers from a fresh entry. */
  hits: number;
  /** Answers from an expired entry, given at once while it is refreshed or while loads fail. */
  stale: number;
  /** Requests that had to wait for a load (no usable entry). */
  misses: number;
  /** Calls to `load`. */
  loads: number;
  /** Loads that failed or timed out. */
  errors: number;
  /** Unknown origins refused at once because `maxLoading` loads were in flight. */
  refused: number;
  /** Answers in memory now. */
  entries: number;
  /** Loads in flight now. */
  loading: number;
}

/** An origin function with a cache in front of it; see {@link originCache}. */
export interface CachedOriginFunction<N = unknown> extends OriginFunction<N> {
  /** Forgets what is known about `origin` (call it when the origin is added or removed). */
  invalidate(origin: string): void;
  /** Forgets everything, counters included. */
  clear(): void;
  stats(): OriginCacheStats;
}

/** Reaches `onError` when a load outlives `loadTimeout`. */
export class OriginLoadTimeoutError extends Error {
  override readonly name = 'OriginLoadTimeoutError';
  constructor(
    readonly origin: string,
    readonly timeout: number,
  ) {
    super(
      `@cors/core: loading origin ${origin} did not settle within ${timeout} ms (originCache loadTimeout); ` +
        'make the query faster (an index on the origin column) or raise loadTimeout',
    );
  }
}

interface Entry {
  allowed: boolean;
  freshUntil: number;
  staleUntil: number;
}

interface Flight {
  promise: Promise<boolean>;
  superseded: boolean;
}

const DEFAULTS = {
  ttl: 60_000,
  negativeTtl: 10_000,
  max: 10_000,
  maxLoading: 16,
  loadTimeout: 2_000,
  maxStale: 60_000,
  retryAfter: 1_000,
};

/**
 * Puts a bounded cache in front of an origin look-up (a database query), and returns an origin
 * function for the `origin` option. Each origin is loaded once per TTL however many requests
 * carry it (single-flight), an expired answer is served at once while one refresh runs, memory
 * and loads in flight are bounded, and a failing or slow `load` never hangs a request nor
 * reaches the client (see `failMode`). Only serialised origins reach `load`: never `'null'` nor a
 * malformed value.
 *
 * A cached answer is returned synchronously, so a request whose origin is known is decided
 * without a promise.
 *
 * @example
 * ```ts
 * import { originCache } from '@cors/core';
 * import { cors } from '@cors/node';
 *
 * const origin = originCache(
 *   async (origin) => (await db.query('select 1 from origins where origin = $1', [origin])).rowCount > 0,
 *   { ttl: 60_000, static: ['https://app.example.com'] },
 * );
 * app.use(cors({ origin, credentials: true }));
 * // when an origin is added or removed: origin.invalidate('https://customer.example')
 * ```
 */
export function originCache<N = unknown>(
  load: OriginLoader<N>,
  options: OriginCacheOptions = {},
): CachedOriginFunction<N> {
  const o = validate(load, options);
  const onError =
    options.onError ??
    ((error: unknown, origin: string) =>
      console.warn(`@cors/core: originCache could not load ${origin}:`, error));
  const isStatic = o.static;
  const maxRefused = Math.max(1, Math.floor(o.max / 2));
  // Maps keep insertion order: the first key is the least recently used.
  const allowed = new Map<string, Entry>();
  const refused = new Map<string, Entry>();
  const flights = new Map<string, Flight>();
  let loading = 0;
  let stats = zero();

  const get = (origin: string) => allowed.get(origin) ?? refused.get(origin);
  const drop = (origin: string) => {
    allowed.delete(origin);
    refused.delete(origin);
  };
  const evictOldest = (map: Map<string, Entry>) => {
    map.delete(map.keys().next().value as string);
  };
  const store = (origin: string, entry: Entry) => {
    drop(origin);
    if (entry.allowed) {
      if (allowed.size + refused.size >= o.max) evictOldest(refused.size > 0 ? refused : allowed);
      allowed.set(origin, entry);
    } else {
      if (refused.size >= maxRefused) evictOldest(refused);
      else if (allowed.size + refused.size >= o.max) evictOldest(allowed);
      refused.set(origin, entry);
    }
  };
  const touch = (origin: string, entry: Entry) => {
    const map = entry.allowed ? allowed : refused;
    map.delete(origin);
    map.set(origin, entry);
  };

  const settle = (origin: string, flight: Flight, outcome: Outcome): boolean => {
    const now = Date.now();
    if (outcome.ok) {
      const freshUntil = now + (outcome.allowed ? o.ttl : o.negativeTtl);
      if (!flight.superseded) {
        store(origin, {
          allowed: outcome.allowed,
          freshUntil,
          staleUntil: freshUntil + o.maxStale,
        });
      }
      return outcome.allowed;
    }
    stats.errors++;
    try {
      onError(outcome.error, origin);
    } catch {
      // A failing error hook must not turn into a failed request.
    }
    const known = flight.superseded ? undefined : get(origin);
    if (o.failMode === 'stale' && known !== undefined && now < known.staleUntil) {
      known.freshUntil = Math.min(now + o.retryAfter, known.staleUntil);
      return known.allowed;
    }
    if (!flight.superseded) {
      const retryAt = now + o.retryAfter;
      store(origin, { allowed: false, freshUntil: retryAt, staleUntil: retryAt });
    }
    return false;
  };

  const start = (origin: string, request: CorsRequest<N>): Promise<boolean> => {
    loading++;
    stats.loads++;
    const flight = { superseded: false } as Flight;
    flight.promise = new Promise<boolean>((resolve) => {
      let done = false;
      const finish = (outcome: Outcome) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        loading--;
        if (flights.get(origin) === flight) flights.delete(origin);
        resolve(settle(origin, flight, outcome));
      };
      const timer = setTimeout(
        () => finish({ ok: false, error: new OriginLoadTimeoutError(origin, o.loadTimeout) }),
        o.loadTimeout,
      );
      let result: boolean | Promise<boolean>;
      try {
        result = load(origin, request);
      } catch (error) {
        finish({ ok: false, error });
        return;
      }
      Promise.resolve(result).then(
        (value) =>
          finish(
            typeof value === 'boolean'
              ? { ok: true, allowed: value }
              : { ok: false, error: notBoolean(value) },
          ),
        (error: unknown) => finish({ ok: false, error }),
      );
    });
    flights.set(origin, flight);
    return flight.promise;
  };

  const cached = ((origin: string, request: CorsRequest<N>): boolean | Promise<boolean> => {
    if (isStatic?.(origin)) return true;
    // The policy already filters these; a direct caller gets the same guarantee.
    if (origin === 'null' || splitOrigin(origin) === null) return false;
    const entry = get(origin);
    const now = Date.now();
    if (entry !== undefined) {
      if (now < entry.freshUntil) {
        stats.hits++;
        touch(origin, entry);
        return entry.allowed;
      }
      if (now < entry.staleUntil) {
        stats.stale++;
        touch(origin, entry);
        if (!flights.has(origin) && loading < o.maxLoading) void start(origin, request);
        return entry.allowed;
      }
    }
    const flight = flights.get(origin);
    stats.misses++;
    if (flight !== undefined) return flight.promise;
    if (loading >= o.maxLoading) {
      stats.refused++;
      return false;
    }
    return start(origin, request);
  }) as CachedOriginFunction<N>;

  cached.invalidate = (origin) => {
    drop(origin);
    const flight = flights.get(origin);
    if (flight !== undefined) {
      // A load that started before the change may have read the old row: answer its waiters,
      // but keep nothing from it.
      flight.superseded = true;
      flights.delete(origin);
    }
  };
  cached.clear = () => {
    allowed.clear();
    refused.clear();
    for (const flight of flights.values()) flight.superseded = true;
    flights.clear();
    stats = zero();
  };
  cached.stats = () => ({ ...stats, entries: allowed.size + refused.size, loading });
  return cached;
}

type Outcome = { ok: true; allowed: boolean } | { ok: false; error: unknown };

function zero() {
  return { hits: 0, stale: 0, misses: 0, loads: 0, errors: 0, refused: 0 };
}

function notBoolean(value: unknown): TypeError {
  return new TypeError(
    `@cors/core: the originCache load function must return true or false (or a Promise of it), got ${typeof value}`,
  );
}

function validate(load: unknown, options: OriginCacheOptions) {
  const issues: CorsConfigIssue[] = [];
  if (typeof load !== 'function') {
    issues.push({
      option: 'originCache(load)',
      message: `load must be a function (origin, request) => boolean | Promise<boolean>, got ${typeof load}`,
      fix: 'pass e.g. originCache(async (origin) => db.hasOrigin(origin))',
    });
  }
  const whole = (name: keyof typeof DEFAULTS, min: number): number => {
    const value = options[name] ?? DEFAULTS[name];
    if (!Number.isInteger(value) || value < min) {
      issues.push({
        option: `originCache.${name}`,
        message: `must be a whole number >= ${min}, got ${String(value)}`,
        fix: `use e.g. ${name}: ${DEFAULTS[name]} (the default)`,
      });
    }
    return value;
  };
  const ttl = whole('ttl', 1);
  const negativeTtl = whole('negativeTtl', 1);
  const o = {
    ttl,
    negativeTtl,
    max: whole('max', 1),
    maxLoading: whole('maxLoading', 1),
    loadTimeout: whole('loadTimeout', 1),
    maxStale: whole('maxStale', 0),
    retryAfter: whole('retryAfter', 1),
    failMode: options.failMode ?? 'stale',
    static: undefined as ((origin: string) => boolean) | undefined,
  };
  if (o.failMode !== 'stale' && o.failMode !== 'refuse') {
    issues.push({
      option: 'originCache.failMode',
      message: `must be 'stale' or 'refuse', got ${String(o.failMode)}`,
      fix: "use failMode: 'stale' (serve the last known answer for maxStale) or 'refuse'",
    });
  }
  if (issues.length === 0 && negativeTtl > ttl) {
    issues.push({
      option: 'originCache.negativeTtl',
      message: `(${negativeTtl}) is longer than ttl (${ttl}): a newly added origin would stay refused longer than a removed one stays allowed`,
      fix: `use a negativeTtl <= ttl, e.g. negativeTtl: ${Math.max(1, Math.floor(ttl / 6))}`,
    });
  }
  if (options.static !== undefined) {
    const entries = Array.isArray(options.static) ? options.static : [options.static];
    if (entries.includes('*')) {
      issues.push({
        option: 'originCache.static',
        message: "'*' would allow every origin and make the cache pointless",
        fix: "use origin: '*' without originCache, or list your own origins",
      });
    } else {
      // The same validation and matching as the origin option, errors included.
      try {
        const policy = createCorsPolicy({ origin: entries as OriginEntry[] });
        o.static = (origin) => {
          const decision = policy.evaluate({ method: 'GET', origin });
          return (decision as { allowed: boolean }).allowed;
        };
      } catch (error) {
        if (!(error instanceof CorsConfigError)) throw error;
        for (const issue of error.issues) {
          issues.push({ ...issue, option: issue.option.replace(/^origin/, 'originCache.static') });
        }
      }
    }
  }
  if (issues.length > 0) throw new CorsConfigError(issues);
  return o;
}
