import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import Koa2 from 'koa2';
import { afterEach, describe, expect, it } from 'vitest';
import { CorsConfigError, type CorsOptions, cors } from './index.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';
const preflight = { origin: APP, 'access-control-request-method': 'PUT' };

const open: Array<() => void> = [];
afterEach(() => {
  for (const close of open.splice(0)) close();
});

/** Starts `app` on 127.0.0.1:0 and returns a fetch bound to it. */
async function serve(app: Koa) {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  open.push(() => {
    server.close();
    server.closeAllConnections();
  });
  const { port } = server.address() as AddressInfo;
  return (path: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${port}${path}`, init);
}

it('throws CorsConfigError when cors() is called with an invalid configuration', () => {
  expect(() => cors({ origin: '*', credentials: true })).toThrow(CorsConfigError);
  expect(() => cors({ origin: [/app\.example\.com/] })).toThrow(CorsConfigError);
});

describe.each([
  ['Koa 3', Koa],
  ['Koa 2', Koa2],
])('on %s', (_, App) => {
  /** An app with `cors(options)` first, then `rest`, quiet about the errors the tests provoke. */
  function koa(options: CorsOptions<Koa.Context>, ...rest: Koa.Middleware[]) {
    const app = new App();
    app.silent = true;
    app.use(cors(options));
    for (const middleware of rest) app.use(middleware);
    return app;
  }

  it('answers a preflight with 204, no body and no Content-Type, before later middleware', async () => {
    let reached = 0;
    const request = await serve(
      koa({ origin: APP }, () => {
        reached++;
      }),
    );
    const res = await request('/nowhere', { method: 'OPTIONS', headers: preflight });
    expect(res.status).toBe(204);
    expect(res.headers.get('content-type')).toBeNull();
    // No Content-Length on a 204 (RFC 9110 §8.6).
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await res.text()).toBe('');
    expect(reached).toBe(0);
  });

  it('answers a preflight with optionsSuccessStatus 200 and an empty body, not a 404', async () => {
    const request = await serve(koa({ origin: APP, optionsSuccessStatus: 200 }));
    const res = await request('/nowhere', { method: 'OPTIONS', headers: preflight });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBeNull();
    expect(res.headers.get('content-length')).toBe('0');
    expect(await res.text()).toBe('');
  });

  it('answers a preflight from a refused origin with 403 and no Access-Control-Allow-* header', async () => {
    const request = await serve(koa({ origin: APP }));
    const res = await request('/', { method: 'OPTIONS', headers: { ...preflight, origin: EVIL } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await res.text()).toBe('');
  });

  it('keeps the CORS headers when a handler throws and Koa answers 500', async () => {
    const options = { origin: APP, credentials: true, exposedHeaders: ['X-Total-Count'] };
    const request = await serve(
      koa(options, () => {
        throw new Error('handler failed');
      }),
    );
    const res = await request('/', { headers: { origin: APP } });
    expect(res.status).toBe(500);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-expose-headers')).toBe('X-Total-Count');
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('keeps the CORS headers and the error’s own headers on ctx.throw(401)', async () => {
    const request = await serve(
      koa({ origin: APP }, (ctx) => {
        ctx.throw(401, { headers: { 'WWW-Authenticate': 'Bearer', Vary: 'Authorization' } });
      }),
    );
    const res = await request('/', { headers: { origin: APP } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.headers.get('vary')).toBe('Authorization, Origin');
  });

  it('keeps Vary: Origin on the error response of a refused origin', async () => {
    const request = await serve(
      koa({ origin: APP }, (ctx) => {
        ctx.throw(400);
      }),
    );
    const res = await request('/', { headers: { origin: EVIL } });
    expect(res.status).toBe(400);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('keeps the CORS headers on Koa’s own 404', async () => {
    const request = await serve(koa({ origin: APP }));
    const res = await request('/missing', { headers: { origin: APP } });
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('merges Vary with the Vary an earlier middleware set, as a string or a list', async () => {
    const app = new App();
    app.use(async (ctx, next) => {
      ctx.set(
        'Vary',
        ctx.path === '/list' ? ['Accept-Encoding', 'Accept-Language'] : 'Accept-Encoding',
      );
      await next();
    });
    app.use(cors({ origin: [APP] }));
    app.use((ctx) => {
      ctx.body = 'ok';
    });
    const request = await serve(app);

    const single = await request('/one', { headers: { origin: APP } });
    expect(single.headers.get('vary')).toBe('Accept-Encoding, Origin');
    const list = await request('/list', { headers: { origin: APP } });
    expect(list.headers.get('vary')).toBe('Accept-Encoding, Accept-Language, Origin');
  });

  it('waits for an async origin function, which receives the Koa context', async () => {
    const request = await serve(
      koa({ origin: async (origin, req) => origin === APP && req.native?.path === '/' }, (ctx) => {
        ctx.body = 'app';
      }),
    );
    const allowed = await request('/', { headers: { origin: APP } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await allowed.text()).toBe('app');
    const otherPath = await request('/other', { headers: { origin: APP } });
    expect(otherPath.headers.get('access-control-allow-origin')).toBeNull();
    expect(await otherPath.text()).toBe('app');
  });

  it('chooses the options by path when given a function of the request', async () => {
    const open = { origin: '*' } as const;
    const strict = { origin: APP };
    const app = new App();
    app.use(cors((request) => (request.native?.path.startsWith('/public/') ? open : strict)));
    const request = await serve(app);

    const logo = await request('/public/logo', {
      method: 'OPTIONS',
      headers: { ...preflight, origin: EVIL },
    });
    expect(logo.status).toBe(204);
    expect(logo.headers.get('access-control-allow-origin')).toBe('*');
    const api = await request('/api', {
      method: 'OPTIONS',
      headers: { ...preflight, origin: EVIL },
    });
    expect(api.status).toBe(403);
  });

  it('hands an origin function’s error to Koa’s error handling: a 500 without CORS headers', async () => {
    const failure = new Error('origin lookup failed');
    const app = koa({ origin: () => Promise.reject(failure) });
    const seen: unknown[] = [];
    app.on('error', (err) => seen.push(err));
    const request = await serve(app);

    const res = await request('/', { headers: { origin: APP } });
    // The error comes before any CORS header is decided: the browser sees a CORS failure, the
    // server's 'error' listeners see the cause.
    expect(res.status).toBe(500);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(seen).toEqual([failure]);
  });
});
