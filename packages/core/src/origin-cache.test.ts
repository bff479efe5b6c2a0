import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CorsRequest } from './options.js';
import { OriginLoadTimeoutError, originCache } from './origin-cache.js';
import { createCorsPolicy } from './policy.js';
import { CorsConfigError } from './validate.js';

const A = 'https://a.example';
const B = 'https://b.example';
const GET: CorsRequest = { method: 'GET', origin: A };
const quiet = { onError: () => {} };

/** A promise resolved or rejected from outside, as a database answer that arrives later. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A load whose every call is answered by hand, in order. */
function manualLoad() {
  const calls: { origin: string; answer: ReturnType<typeof deferred<boolean>> }[] = [];
  const load = vi.fn((origin: string) => {
    const answer = deferred<boolean>();
    calls.push({ origin, answer });
    return answer.promise;
  });
  return { load, calls };
}

/** Lets settled loads run their callbacks, without moving the fake clock. */
async function flush() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('originCache: TTLs', () => {
  it('loads an allowed origin once per ttl and answers synchronously from memory', async () => {
    const load = vi.fn(async () => true);
    const origin = originCache(load, { ttl: 1000, negativeTtl: 100 });
    expect(await origin(A, GET)).toBe(true);
    for (let i = 0; i < 100; i++) expect(origin(A, GET)).toBe(true);
    expect(load).toHaveBeenCalledTimes(1);
    expect(origin.stats()).toMatchObject({ hits: 100, misses: 1, loads: 1, entries: 1 });
  });

  it('keeps a refusal for negativeTtl only, shorter than ttl', async () => {
    const load = vi.fn(async () => false);
    const origin = originCache(load, { ttl: 10_000, negativeTtl: 100, maxStale: 0 });
    expect(await origin(A, GET)).toBe(false);
    vi.advanceTimersByTime(99);
    expect(origin(A, GET)).toBe(false);
    expect(load).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    load.mockResolvedValue(true);
    expect(await origin(A, GET)).toBe(true);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('refuses a negativeTtl longer than ttl at creation', () => {
    expect(() => originCache(async () => true, { ttl: 100, negativeTtl: 1000 })).toThrow(
      /negativeTtl/,
    );
  });
});

describe('originCache: single-flight', () => {
  it('makes concurrent requests for one origin wait on one load', async () => {
    const { load, calls } = manualLoad();
    const origin = originCache(load, quiet);
    const answers = Array.from({ length: 50 }, () => origin(A, GET));
    expect(load).toHaveBeenCalledTimes(1);
    calls[0]!.answer.resolve(true);
    expect(await Promise.all(answers)).toEqual(Array(50).fill(true));
    expect(origin.stats()).toMatchObject({ misses: 50, loads: 1 });
  });

  it('loads distinct origins separately', async () => {
    const load = vi.fn(async (o: string) => o === A);
    const origin = originCache(load);
    expect(await Promise.all([origin(A, GET), origin(B, GET)])).toEqual([true, false]);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('passes the request to load', async () => {
    const load = vi.fn(async () => true);
    const origin = originCache(load);
    await origin(A, GET);
    expect(load).toHaveBeenCalledWith(A, GET);
  });
});

describe('originCache: stale-while-revalidate', () => {
  it('answers an expired entry at once while exactly one refresh runs', async () => {
    const { load, calls } = manualLoad();
    const origin = originCache(load, { ttl: 1000, negativeTtl: 100, maxStale: 5000 });
    const first = origin(A, GET);
    calls[0]!.answer.resolve(true);
    expect(await first).toBe(true);
    vi.advanceTimersByTime(1000);
    // Synchronous answers (no promise): the old one, while the refresh is in flight.
    for (let i = 0; i < 10; i++) expect(origin(A, GET)).toBe(true);
    expect(load).toHaveBeenCalledTimes(2);
    calls[1]!.answer.resolve(false);
    await flush();
    expect(origin(A, GET)).toBe(false);
    expect(origin.stats()).toMatchObject({ stale: 10, loads: 2 });
  });

  it('waits for a fresh load once an entry is more than maxStale past its ttl', async () => {
    const { load, calls } = manualLoad();
    const origin = originCache(load, { ttl: 1000, negativeTtl: 100, maxStale: 500 });
    const first = origin(A, GET);
    calls[0]!.answer.resolve(true);
    await first;
    vi.advanceTimersByTime(1500);
    const answer = origin(A, GET);
    expect(answer).toBeInstanceOf(Promise);
    calls[1]!.answer.resolve(false);
    expect(await answer).toBe(false);
  });
});

describe('originCache: bounded memory', () => {
  it('never keeps more than max entries, dropping the least recently used', async () => {
    const origin = originCache(async () => true, { max: 100 });
    await origin(A, GET);
    for (let i = 0; i < 1000; i++) {
      await origin(`https://o${i}.example`, GET);
      origin(A, GET); // A stays recently used
      expect(origin.stats().entries).toBeLessThanOrEqual(100);
    }
    expect(origin.stats().entries).toBe(100);
    const loads = origin.stats().loads;
    expect(origin(A, GET)).toBe(true);
    expect(origin.stats().loads).toBe(loads);
    expect(origin('https://o0.example', GET)).toBeInstanceOf(Promise);
  });

  it('lets refusals take at most half of max, so a flood cannot evict allowed origins', async () => {
    const origin = originCache(async (o: string) => o.startsWith('https://ok'), { max: 100 });
    for (let i = 0; i < 50; i++) await origin(`https://ok${i}.example`, GET);
    for (let i = 0; i < 5000; i++) await origin(`https://random${i}.example`, GET);
    expect(origin.stats().entries).toBe(100);
    const loads = origin.stats().loads;
    for (let i = 0; i < 50; i++) expect(origin(`https://ok${i}.example`, GET)).toBe(true);
    expect(origin.stats().loads).toBe(loads);
  });
});

describe('originCache: loads in flight', () => {
  it('refuses unknown origins at once beyond maxLoading, and counts them', async () => {
    const { load, calls } = manualLoad();
    const origin = originCache(load, { maxLoading: 3, ...quiet });
    const pending = [1, 2, 3].map((i) => origin(`https://p${i}.example`, GET));
    expect(origin.stats().loading).toBe(3);
    for (let i = 0; i < 1000; i++) expect(origin(`https://flood${i}.example`, GET)).toBe(false);
    expect(load).toHaveBeenCalledTimes(3);
    expect(origin.stats()).toMatchObject({ refused: 1000, loading: 3 });
    // A request for an origin already loading still waits on that load.
    const again = origin('https://p1.example', GET);
    for (const call of calls) call.answer.resolve(true);
    expect(await Promise.all([...pending, again])).toEqual([true, true, true, true]);
    expect(origin.stats().loading).toBe(0);
    const later = origin('https://later.example', GET);
    calls[3]!.answer.resolve(true);
    expect(await later).toBe(true);
  });

  it('answers an expired entry without refreshing it while the cap is reached', async () => {
    const { load, calls } = manualLoad();
    const origin = originCache(load, { ttl: 1000, negativeTtl: 100, maxLoading: 1, ...quiet });
    const first = origin(A, GET);
    calls[0]!.answer.resolve(true);
    await first;
    vi.advanceTimersByTime(1000);
    void origin(B, GET); // takes the only slot
    expect(origin(A, GET)).toBe(true);
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe('originCache: failures never hang and never reach the client', () => {
  it('gives up on a load after loadTimeout, refuses, reports it and frees the slot', async () => {
    const onError = vi.fn();
    const origin = originCache(() => new Promise<boolean>(() => {}), {
      loadTimeout: 500,
      maxLoading: 1,
      onError,
    });
    const answer = origin(A, GET);
    vi.advanceTimersByTime(500);
    expect(await answer).toBe(false);
    expect(onError).toHaveBeenCalledWith(expect.any(OriginLoadTimeoutError), A);
    expect(onError.mock.calls[0]![0].message).toContain('loadTimeout');
    expect(origin.stats()).toMatchObject({ errors: 1, loading: 0 });
    expect(origin(B, GET)).toBeInstanceOf(Promise); // the slot is free again
  });

  it("failMode 'stale' serves the last known answer for at most maxStale, then refuses", async () => {
    const onError = vi.fn();
    let up = true;
    const load = vi.fn(async () => {
      if (!up) throw new Error('connection refused');
      return true;
    });
    const origin = originCache(load, {
      ttl: 1000,
      negativeTtl: 100,
      maxStale: 3000,
      retryAfter: 200,
      onError,
    });
    expect(await origin(A, GET)).toBe(true);
    up = false;
    vi.advanceTimersByTime(1000);
    expect(origin(A, GET)).toBe(true); // stale, refresh starts and fails
    await flush();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]).toEqual([
      expect.objectContaining({ message: 'connection refused' }),
      A,
    ]);
    // Within retryAfter, no further query goes to the failing database.
    vi.advanceTimersByTime(199);
    expect(origin(A, GET)).toBe(true);
    expect(load).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(2801); // 3000 ms past the ttl: the last answer is too old
    expect(await origin(A, GET)).toBe(false);
    up = true;
    vi.advanceTimersByTime(200);
    expect(await origin(A, GET)).toBe(true); // recovery without restart
  });

  it("failMode 'refuse' refuses as soon as a load fails", async () => {
    let up = true;
    const origin = originCache(
      async () => {
        if (!up) throw new Error('down');
        return true;
      },
      { ttl: 1000, negativeTtl: 100, retryAfter: 200, failMode: 'refuse', ...quiet },
    );
    expect(await origin(A, GET)).toBe(true);
    up = false;
    vi.advanceTimersByTime(1000);
    expect(origin(A, GET)).toBe(true); // stale-while-revalidate: answered before the load fails
    await flush();
    expect(origin.stats().errors).toBe(1);
    expect(origin(A, GET)).toBe(false);
  });

  it('refuses an origin never loaded when its load fails, and retries after retryAfter', async () => {
    const load = vi.fn(async () => {
      throw new Error('down');
    });
    const origin = originCache(load, { retryAfter: 300, ...quiet });
    expect(await origin(A, GET)).toBe(false);
    expect(origin(A, GET)).toBe(false);
    expect(load).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(300);
    expect(await origin(A, GET)).toBe(false);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('treats a synchronous throw, a non-Error rejection and a non-boolean as failures', async () => {
    const onError = vi.fn();
    const loads = [
      () => {
        throw new Error('sync');
      },
      () => Promise.reject('a string'),
      () => 'yes' as unknown as boolean,
    ];
    for (const load of loads) {
      const origin = originCache(load, { onError });
      expect(await origin(A, GET)).toBe(false);
    }
    expect(onError.mock.calls.map(([e]) => (e instanceof Error ? e.message : e))).toEqual([
      'sync',
      'a string',
      expect.stringContaining('must return true or false'),
    ]);
  });

  it('survives an onError hook that throws', async () => {
    const origin = originCache(
      async () => {
        throw new Error('down');
      },
      {
        onError: () => {
          throw new Error('logger broken');
        },
      },
    );
    expect(await origin(A, GET)).toBe(false);
  });

  it('logs with console.warn by default', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const origin = originCache(async () => {
      throw new Error('down');
    });
    await origin(A, GET);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining(`could not load ${A}`),
      expect.any(Error),
    );
    warn.mockRestore();
  });
});

describe('originCache: invalidate, clear, stats', () => {
  it('invalidate(origin) makes the next request load it again', async () => {
    let answer = true;
    const origin = originCache(async () => answer);
    expect(await origin(A, GET)).toBe(true);
    answer = false;
    origin.invalidate(A);
    expect(await origin(A, GET)).toBe(false);
  });

  it('keeps nothing from a load that was in flight when the origin was invalidated', async () => {
    const { load, calls } = manualLoad();
    const origin = originCache(load);
    const before = origin(A, GET);
    origin.invalidate(A);
    const after = origin(A, GET);
    expect(load).toHaveBeenCalledTimes(2);
    calls[0]!.answer.resolve(true); // read before the change
    calls[1]!.answer.resolve(false);
    expect(await before).toBe(true);
    expect(await after).toBe(false);
    expect(origin(A, GET)).toBe(false);
  });

  it('does not serve stale after invalidate, even while the database is down', async () => {
    let up = true;
    const origin = originCache(async () => {
      if (!up) throw new Error('down');
      return true;
    }, quiet);
    expect(await origin(A, GET)).toBe(true);
    up = false;
    origin.invalidate(A);
    expect(await origin(A, GET)).toBe(false);
  });

  it('clear() forgets every entry and counter, and in-flight loads', async () => {
    const { load, calls } = manualLoad();
    const origin = originCache(load);
    const pending = origin(A, GET);
    origin.clear();
    calls[0]!.answer.resolve(true);
    expect(await pending).toBe(true);
    expect(origin.stats()).toEqual({
      hits: 0,
      stale: 0,
      misses: 0,
      loads: 0,
      errors: 0,
      refused: 0,
      entries: 0,
      loading: 0,
    });
  });
});

describe('originCache: static entries', () => {
  it('allows static exact origins and patterns without calling load', async () => {
    const load = vi.fn(async () => false);
    const origin = originCache(load, {
      static: ['https://app.example', 'https://*.preview.example'],
    });
    expect(origin('https://app.example', GET)).toBe(true);
    expect(origin('https://pr-1.preview.example', GET)).toBe(true);
    expect(load).not.toHaveBeenCalled();
    expect(await origin(A, GET)).toBe(false);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('validates static entries as the origin option does', () => {
    try {
      originCache(async () => true, { static: ['https://app.example/', '*'] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CorsConfigError);
    }
    try {
      originCache(async () => true, { static: ['https://app.example/', /app/] });
      expect.unreachable();
    } catch (error) {
      expect((error as CorsConfigError).issues.map((i) => i.option)).toEqual([
        'originCache.static[0]',
        'originCache.static[1]',
      ]);
    }
  });
});

describe('originCache: options', () => {
  it('reports every invalid option at once, each with its fix', () => {
    try {
      originCache('nope' as never, {
        ttl: 0,
        negativeTtl: 1.5,
        max: -1,
        maxLoading: 0,
        loadTimeout: Number.NaN,
        maxStale: -1,
        retryAfter: 0,
        failMode: 'open' as never,
      });
      expect.unreachable();
    } catch (error) {
      const issues = (error as CorsConfigError).issues;
      expect(issues.map((i) => i.option)).toEqual([
        'originCache(load)',
        'originCache.ttl',
        'originCache.negativeTtl',
        'originCache.max',
        'originCache.maxLoading',
        'originCache.loadTimeout',
        'originCache.maxStale',
        'originCache.retryAfter',
        'originCache.failMode',
      ]);
      for (const issue of issues) expect(issue.fix).not.toBe('');
    }
  });
});

describe('originCache as the origin option', () => {
  it('never loads null nor a value that is not a serialised origin', async () => {
    const load = vi.fn(async () => true);
    const policy = createCorsPolicy({ origin: originCache(load) });
    for (const bad of [
      'null',
      'https://a.example/',
      'https://a.example, https://b.example',
      ' https://a.example',
      'a.example',
    ]) {
      const decision = await policy.evaluate({ method: 'GET', origin: bad });
      expect(decision.allowed).toBe(false);
    }
    expect(load).not.toHaveBeenCalled();
    // A direct caller gets the same guarantee.
    const direct = originCache(load);
    expect(direct('null', GET)).toBe(false);
    expect(direct('https://a.example/x', GET)).toBe(false);
    expect(load).not.toHaveBeenCalled();
  });

  it('decides synchronously once the origin is known, preflights included', async () => {
    const policy = createCorsPolicy({ origin: originCache(async () => true), credentials: true });
    const first = policy.evaluate(GET);
    expect(first).toBeInstanceOf(Promise);
    expect((await first).headers['access-control-allow-origin']).toBe(A);
    const again = policy.evaluate(GET);
    expect(again).not.toBeInstanceOf(Promise);
    const pre = policy.evaluate({ method: 'OPTIONS', origin: A, requestMethod: 'PUT' });
    expect(pre).toMatchObject({ kind: 'preflight', allowed: true, status: 204 });
  });

  it('never makes evaluate reject, even when load fails', async () => {
    const policy = createCorsPolicy({
      origin: originCache(async () => {
        throw new Error('down');
      }, quiet),
    });
    await expect(policy.evaluate(GET)).resolves.toMatchObject({
      allowed: false,
      reason: 'origin-not-allowed',
    });
  });
});

describe('changing the whole configuration at run time (the documented recipe)', () => {
  it('applies a new options object from the next request, compiled once per object', () => {
    vi.useRealTimers();
    const compiled = vi.fn();
    // 'null' listed: every compilation warns once, which counts compilations.
    const make = (origin: string[], credentials: boolean) => ({
      origin: ['null', ...origin],
      credentials,
      onWarning: compiled,
    });
    let current = make([A], false);
    const policy = createCorsPolicy(() => current);
    const allowed = (origin: string) =>
      (policy.evaluate({ method: 'GET', origin }) as { allowed: boolean }).allowed;
    for (let i = 0; i < 100; i++) expect(allowed(A)).toBe(true);
    expect(allowed(B)).toBe(false);
    expect(compiled).toHaveBeenCalledTimes(1);
    const next = make([B], true);
    createCorsPolicy(next); // validate before swapping: an invalid object throws here, not per request
    current = next;
    for (let i = 0; i < 100; i++) expect(allowed(B)).toBe(true);
    expect(allowed(A)).toBe(false);
    expect(policy.evaluate({ method: 'GET', origin: B })).toMatchObject({
      headers: { 'access-control-allow-credentials': 'true' },
    });
    expect(compiled).toHaveBeenCalledTimes(3); // once by the check above, once by the policy
  });
});
