// originCache (from @cors/core) as the origin option of a real adapter: @cors/node on node:http.
// It lives here because core's own tests run without Node's typings and core cannot depend on
// @cors/node (which depends on core).
import { type CorsOptions, createCorsPolicy, originCache } from '@cors/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { allowOrigin, serve, type TestServer } from './http.js';

const A = 'https://a.example';
const B = 'https://b.example';
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('originCache through @cors/node on node:http', () => {
  it('allows what load allows, refuses the rest, and loads each origin once', async () => {
    const load = vi.fn(async (origin: string) => origin === A);
    const origin = originCache(load);
    server = await serve({ origin, credentials: true });
    for (let i = 0; i < 5; i++) {
      expect(await allowOrigin(server.url, A)).toBe(A);
      expect(await allowOrigin(server.url, B)).toBeNull();
    }
    expect(load).toHaveBeenCalledTimes(2);
    expect(origin.stats()).toMatchObject({ hits: 8, misses: 2, loads: 2, entries: 2 });
  });

  it('answers concurrent requests for a new origin with one load', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const load = vi.fn(async () => {
      await gate;
      return true;
    });
    server = await serve({ origin: originCache(load) });
    const url = server.url;
    const answers = Array.from({ length: 20 }, () => allowOrigin(url, A));
    await vi.waitFor(() => expect(load).toHaveBeenCalled());
    release();
    expect(await Promise.all(answers)).toEqual(Array(20).fill(A));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('answers preflights, and refuses one with 403 for a refused origin', async () => {
    server = await serve({ origin: originCache(async (o) => o === A), methods: ['GET', 'PUT'] });
    const preflight = (origin: string) =>
      fetch(`${server!.url}/`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'PUT' },
      });
    const ok = await preflight(A);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-methods')).toBe('GET,PUT');
    expect((await preflight(B)).status).toBe(403);
  });

  it('keeps serving (never a 500) while load fails or hangs', async () => {
    const origin = originCache(() => new Promise<boolean>(() => {}), {
      loadTimeout: 200,
      onError: () => {},
    });
    server = await serve({ origin });
    const started = Date.now();
    expect(await allowOrigin(server.url, A)).toBeNull();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(origin.stats().errors).toBe(1);
  });

  it('serves static entries beside the loaded ones', async () => {
    const load = vi.fn(async (o: string) => o === A);
    server = await serve({ origin: originCache(load, { static: ['https://*.app.example'] }) });
    expect(await allowOrigin(server.url, 'https://eu.app.example')).toBe('https://eu.app.example');
    expect(await allowOrigin(server.url, A)).toBe(A);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('picks up an invalidated origin on the next request', async () => {
    const allowed = new Set<string>();
    const origin = originCache(async (o) => allowed.has(o));
    server = await serve({ origin });
    expect(await allowOrigin(server.url, A)).toBeNull();
    allowed.add(A);
    origin.invalidate(A);
    expect(await allowOrigin(server.url, A)).toBe(A);
  });
});

describe('changing the whole configuration at run time through @cors/node', () => {
  it('a per-request options function returning the current object applies a swap at once', async () => {
    let current: CorsOptions = { origin: [A] };
    const setCorsOptions = (next: CorsOptions) => {
      createCorsPolicy(next); // throws on a mistake, before anything changes
      current = next;
    };
    server = await serve(() => current);
    expect(await allowOrigin(server.url, A)).toBe(A);
    expect(await allowOrigin(server.url, B)).toBeNull();
    setCorsOptions({ origin: [B], credentials: true });
    expect(await allowOrigin(server.url, B)).toBe(B);
    expect(await allowOrigin(server.url, A)).toBeNull();
    const res = await fetch(`${server.url}/`, { headers: { origin: B } });
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(() => setCorsOptions({ origin: [`${A}/`] })).toThrow(/invalid CORS configuration/);
    expect(await allowOrigin(server.url, B)).toBe(B); // the bad one never reached the server
  });
});
