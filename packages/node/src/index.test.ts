import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import connect from 'connect';
import express, { type ErrorRequestHandler } from 'express';
import express4 from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import { listen } from '../test/server.js';
import { CorsConfigError, cors, createCorsHandler } from './index.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';
const preflight = { origin: APP, 'access-control-request-method': 'PUT' };

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = await listen(createServer(handler));
  open.push(server.close);
  return (path: string, init: RequestInit = {}) => fetch(server.url + path, init);
}

/** A node:http server that records what `createCorsHandler` returned before answering. */
async function serveHandler(options: Parameters<typeof createCorsHandler>[0]) {
  const handle = createCorsHandler(options);
  const results: unknown[] = [];
  const request = await serve((req, res) => {
    let result: boolean | Promise<boolean>;
    try {
      result = handle(req, res);
    } catch (err) {
      results.push(err);
      res.writeHead(500).end();
      return;
    }
    results.push(result);
    Promise.resolve(result).then(
      (ended) => ended || res.end('app'),
      (err) => {
        results.push(err);
        res.writeHead(500).end();
      },
    );
  });
  return { request, results };
}

describe('cors() middleware', () => {
  it('throws CorsConfigError when cors() is called with an invalid configuration', () => {
    expect(() => cors({ origin: '*', credentials: true })).toThrow(CorsConfigError);
    expect(() => cors({ origin: true as never })).toThrow(/origin/);
  });

  it('merges Vary with the Vary another middleware set before it', async () => {
    const app = express();
    app.use((req, res, next) => {
      res.setHeader(
        'Vary',
        req.path === '/list' ? ['Accept-Encoding', 'Accept-Language'] : 'Accept-Encoding',
      );
      next();
    });
    app.use(cors({ origin: [APP] }));
    app.all('/{*any}', (_req, res) => {
      res.send('ok');
    });
    const request = await serve(app);

    const single = await request('/one', { headers: { origin: APP } });
    expect(single.headers.get('vary')).toBe('Accept-Encoding, Origin');
    const list = await request('/list', { headers: { origin: APP } });
    expect(list.headers.get('vary')).toBe('Accept-Encoding, Accept-Language, Origin');
    const again = await request('/one', { method: 'OPTIONS', headers: { ...preflight } });
    expect(again.headers.get('vary')).toBe(
      'Accept-Encoding, Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    );
  });

  it('waits for an async origin function, then answers or hands on', async () => {
    const app = express();
    app.use(cors({ origin: async (origin) => origin === APP }));
    app.all('/{*any}', (_req, res) => {
      res.send('app');
    });
    const request = await serve(app);

    const allowed = await request('/x', { headers: { origin: APP } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await allowed.text()).toBe('app');
    const refused = await request('/x', { headers: { origin: EVIL } });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(await refused.text()).toBe('app');
    const answered = await request('/x', { method: 'OPTIONS', headers: preflight });
    expect(answered.status).toBe(204);
    expect(await answered.text()).toBe('');
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('origin lookup failed');
      },
    ],
    [
      'rejects',
      async () => {
        throw new Error('origin lookup failed');
      },
    ],
  ])(
    'hands the error to the Express error handler when the origin function %s',
    async (_, origin) => {
      const seen: unknown[] = [];
      const app = express();
      app.use(cors({ origin }));
      app.all('/{*any}', (_req, res) => {
        res.send('never');
      });
      const record: ErrorRequestHandler = (err, _req, _res, next) => {
        seen.push(err);
        next(err);
      };
      app.use(record);
      const request = await serve(app);

      const res = await request('/x', { headers: { origin: APP } });
      // The error comes before any CORS header is decided: Express's 500 carries none, so the
      // browser reports a CORS failure while the server logs the real cause.
      expect(res.status).toBe(500);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(seen).toEqual([expect.objectContaining({ message: 'origin lookup failed' })]);
    },
  );

  it('answers a preflight without reaching the middleware registered after it', async () => {
    let reached = 0;
    const app = connect();
    app.use(cors({ origin: APP }));
    app.use((_req: IncomingMessage, _res: ServerResponse, next: () => void) => {
      reached++;
      next();
    });
    const request = await serve(app);

    const res = await request('/anything', { method: 'OPTIONS', headers: preflight });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(reached).toBe(0);
  });

  it('applies the policy mounted on each path, preflights included', async () => {
    const app = express();
    app.use('/public', cors({ origin: '*' }));
    app.use('/api', cors({ origin: APP, credentials: true }));
    app.all('/{*any}', (_req, res) => {
      res.send('ok');
    });
    const request = await serve(app);

    const open = await request('/public/logo', {
      method: 'OPTIONS',
      headers: { ...preflight, origin: EVIL },
    });
    expect(open.status).toBe(204);
    expect(open.headers.get('access-control-allow-origin')).toBe('*');
    const refused = await request('/api/me', {
      method: 'OPTIONS',
      headers: { ...preflight, origin: EVIL },
    });
    expect(refused.status).toBe(403);
    const allowed = await request('/api/me', { headers: { origin: APP } });
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('chooses the options per request when given a function of the request', async () => {
    const open = { origin: '*' } as const;
    const strict = { origin: APP };
    const app = express();
    app.use(cors((request) => (request.native?.headers['x-tenant'] === 'cdn' ? open : strict)));
    app.all('/{*any}', (_req, res) => {
      res.send('ok');
    });
    const request = await serve(app);

    const cdn = await request('/', { headers: { origin: EVIL, 'x-tenant': 'cdn' } });
    expect(cdn.headers.get('access-control-allow-origin')).toBe('*');
    const other = await request('/', { headers: { origin: EVIL } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('calls next() synchronously when the decision is synchronous', async () => {
    const middleware = cors({ origin: APP });
    const order: string[] = [];
    const request = await serve((req, res) => {
      middleware(req, res, () => order.push('next'));
      order.push('returned');
      res.end();
    });
    await request('/', { headers: { origin: APP } });
    expect(order).toEqual(['next', 'returned']);
  });

  describe.each([
    ['Express 5', express],
    ['Express 4', express4],
  ])('on %s', (_, createApp) => {
    it('keeps the CORS headers on the default error handler’s 500', async () => {
      const app = createApp();
      app.use(cors({ origin: APP, credentials: true, exposedHeaders: ['X-Total-Count'] }));
      app.get('/boom', () => {
        throw new Error('handler failed');
      });
      const request = await serve(app);

      const res = await request('/boom', { headers: { origin: APP } });
      expect(res.status).toBe(500);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-expose-headers')).toBe('X-Total-Count');
      expect(res.headers.get('vary')).toBe('Origin');
    });
  });
});

describe('createCorsHandler()', () => {
  it('throws CorsConfigError when created with an invalid configuration', () => {
    expect(() => createCorsHandler({ origin: 'https://app.example.com/' })).toThrow(
      CorsConfigError,
    );
  });

  it('returns true when it answered a preflight and false when the application must answer', async () => {
    const { request, results } = await serveHandler({ origin: APP });

    const answered = await request('/', { method: 'OPTIONS', headers: preflight });
    expect(answered.status).toBe(204);
    expect(answered.headers.get('content-length')).toBeNull();
    const actual = await request('/', { headers: { origin: APP } });
    expect(await actual.text()).toBe('app');
    expect(actual.headers.get('access-control-allow-origin')).toBe(APP);
    const sameOrigin = await request('/');
    expect(await sameOrigin.text()).toBe('app');
    expect(results).toEqual([true, false, false]);
  });

  it('returns a promise only when the origin function is async', async () => {
    const { request, results } = await serveHandler({ origin: async (origin) => origin === APP });

    await request('/', { method: 'OPTIONS', headers: preflight });
    await request('/', { headers: { origin: EVIL } });
    expect(results).toHaveLength(2);
    expect(results[0]).toBeInstanceOf(Promise);
    await expect(results[0]).resolves.toBe(true);
    await expect(results[1]).resolves.toBe(false);
  });

  it('throws what a synchronous origin function throws, and rejects with what an async one rejects', async () => {
    const failure = new Error('origin lookup failed');
    const sync = await serveHandler({
      origin: () => {
        throw failure;
      },
    });
    expect((await sync.request('/', { headers: { origin: APP } })).status).toBe(500);
    expect(sync.results).toEqual([failure]);

    const async = await serveHandler({ origin: () => Promise.reject(failure) });
    const res = await async.request('/', { headers: { origin: APP } });
    expect(res.status).toBe(500);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(async.results).toHaveLength(2);
    expect(async.results[1]).toBe(failure);
  });
});
