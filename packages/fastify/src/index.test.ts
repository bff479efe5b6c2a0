import { CorsConfigError, type CorsRequest } from '@cors/core';
import Fastify, {
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
  type InjectOptions,
} from 'fastify';
import fp from 'fastify-plugin';
import { afterEach, describe, expect, it } from 'vitest';
import defaultExport, {
  type CorsOptions,
  CorsPluginError,
  CorsTimeoutError,
  cors,
} from './index.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';
const global: CorsOptions = { origin: [APP] };
const admin: CorsOptions = { origin: [ADMIN], methods: ['PUT'], maxAge: 60 };

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function fastify(options?: FastifyServerOptions): FastifyInstance {
  const app = Fastify(options);
  apps.push(app);
  return app;
}

function preflight(url: string, origin: string, method: string, extra = {}): InjectOptions {
  return {
    method: 'OPTIONS',
    url,
    headers: { origin, 'access-control-request-method': method, ...extra },
  };
}

/** Parametric item routes: GET with the plugin's options, PUT with its own. */
async function itemsApp(put: CorsOptions | false = admin): Promise<FastifyInstance> {
  const app = fastify();
  await app.register(cors, global);
  app.get('/items/:id', async (request) => `get ${(request.params as { id: string }).id}`);
  app.put('/items/:id', { config: { cors: put } }, async () => 'put');
  return app;
}

describe('per-route configuration', () => {
  it("applies a route's config.cors to its actual requests", async () => {
    const app = await itemsApp();
    const put = await app.inject({ method: 'PUT', url: '/items/1', headers: { origin: ADMIN } });
    expect(put.headers['access-control-allow-origin']).toBe(ADMIN);
    const refused = await app.inject({ method: 'PUT', url: '/items/1', headers: { origin: APP } });
    expect(refused.statusCode).toBe(200); // a refused actual request still reaches the handler
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    const get = await app.inject({ method: 'GET', url: '/items/1', headers: { origin: APP } });
    expect(get.headers['access-control-allow-origin']).toBe(APP);
  });

  it('answers a preflight with the config of the route serving the requested method', async () => {
    const app = await itemsApp();
    const put = await app.inject(preflight('/items/1', ADMIN, 'PUT'));
    expect(put.statusCode).toBe(204);
    expect(put.headers).toMatchObject({
      'access-control-allow-origin': ADMIN,
      'access-control-allow-methods': 'PUT',
      'access-control-max-age': '60',
    });
    expect(put.headers['content-length']).toBeUndefined();
    expect(put.body).toBe('');
    expect((await app.inject(preflight('/items/1', APP, 'PUT'))).statusCode).toBe(403);
    const get = await app.inject(preflight('/items/1?x=1', APP, 'DELETE'));
    expect(get.statusCode).toBe(204); // no DELETE route: the plugin's options answer
    expect(get.headers['access-control-allow-origin']).toBe(APP);
  });

  it('leaves a route with cors: false without CORS headers, its preflights unanswered', async () => {
    const app = await itemsApp(false);
    const put = await app.inject({ method: 'PUT', url: '/items/1', headers: { origin: APP } });
    expect(put.body).toBe('put');
    expect(put.headers['access-control-allow-origin']).toBeUndefined();
    expect(put.headers.vary).toBeUndefined();
    const answered = await app.inject(preflight('/items/1', APP, 'PUT'));
    expect(answered.statusCode).toBe(404); // Fastify's own answer: there is no OPTIONS route
    expect(answered.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('hands the preflight of a cors: false route to an OPTIONS route of the app', async () => {
    const app = fastify();
    await app.register(cors, global);
    app.put('/manual', { config: { cors: false } }, async () => 'put');
    app.options('/manual', async (_request, reply) =>
      reply.code(204).header('x-manual', '1').send(),
    );
    const response = await app.inject(preflight('/manual', APP, 'PUT'));
    expect(response.headers['x-manual']).toBe('1');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('compiles a config shared by several routes once, at start-up', async () => {
    const warnings: string[] = [];
    const shared: CorsOptions = {
      origin: [ADMIN],
      maxAge: 10_000,
      onWarning: (w) => warnings.push(w.code),
    };
    const app = fastify();
    await app.register(cors, global);
    app.get('/a', { config: { cors: shared } }, async () => 'a');
    app.post('/b', { config: { cors: shared } }, async () => 'b');
    await app.ready();
    const afterStart = warnings.length;
    expect(afterStart).toBeGreaterThan(0);
    await app.inject({ method: 'GET', url: '/a', headers: { origin: ADMIN } });
    await app.inject(preflight('/b', ADMIN, 'POST'));
    expect(warnings).toHaveLength(afterStart);
  });

  it('sees config.cors set by an onRoute hook of a scope', async () => {
    const app = fastify();
    await app.register(cors, global);
    await app.register(async (site) => {
      site.addHook('onRoute', (route) => {
        route.config = { ...route.config, cors: false };
      });
      site.put('/page', async () => 'page');
    });
    const put = await app.inject({ method: 'PUT', url: '/page', headers: { origin: APP } });
    expect(put.headers['access-control-allow-origin']).toBeUndefined();
    expect((await app.inject(preflight('/page', APP, 'PUT'))).statusCode).toBe(404);
  });

  it.each([
    [{}, ['/api', '/api/', '/api/Users/7']],
    [
      { routerOptions: { caseSensitive: false, ignoreTrailingSlash: true } },
      ['/api/', '/API/users/7/'],
    ],
    [{ ignoreTrailingSlash: true }, ['/api/', '/api/Users/7/']], // the deprecated top-level form (Fastify warns FSTDEP022)
  ] as const)('routes preflights as Fastify routes requests (%j)', async (options, urls) => {
    const app = fastify(options);
    await app.register(cors, global);
    await app.register(
      async (api) => {
        api.put('/', { config: { cors: admin } }, async () => 'root');
        api.put('/Users/:id', { config: { cors: admin } }, async () => 'user');
      },
      { prefix: '/api' },
    );
    for (const url of urls) {
      expect((await app.inject({ method: 'PUT', url })).statusCode, url).toBe(200);
      const response = await app.inject(preflight(url, ADMIN, 'PUT'));
      expect(response.headers['access-control-allow-origin'], url).toBe(ADMIN);
    }
  });

  it('refuses routes that only constraints tell apart, with different config.cors', async () => {
    const app = fastify();
    await app.register(cors, global);
    app.put('/v', { constraints: { version: '1.0.0' }, config: { cors: admin } }, async () => '1');
    app.put('/v', { constraints: { version: '2.0.0' } }, async () => '2');
    await expect(app.ready()).rejects.toThrow(/PUT \/v is declared more than once/);
  });

  it('reports the route config errors of start-up as the CorsConfigError itself', async () => {
    const app = fastify();
    await app.register(cors, global);
    app.get('/bad', { config: { cors: { origin: '*', credentials: true } } }, async () => 'x');
    const error = await app.ready().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CorsConfigError);
    expect((error as CorsConfigError).issues.length).toBeGreaterThan(0);
  });
});

describe('preflights without routes of their own', () => {
  it('answers a preflight to a path that has only GET and PUT routes', async () => {
    const app = await itemsApp();
    const response = await app.inject(preflight('/items/9', APP, 'GET'));
    expect(response.statusCode).toBe(204);
  });

  it('answers a preflight to an unknown path with the plugin options', async () => {
    const app = await itemsApp();
    const allowed = await app.inject(preflight('/nowhere', APP, 'PATCH'));
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(APP);
    expect((await app.inject(preflight('/nowhere', ADMIN, 'PATCH'))).statusCode).toBe(403);
  });

  it('answers before body parsing, auth hooks and route hooks', async () => {
    const app = fastify();
    await app.register(cors, global);
    app.addHook('onRequest', async (_request, reply) => reply.code(401).send('no'));
    app.all('/x', { onRequest: async () => 'never' }, async () => 'handler');
    const response = await app.inject({
      ...preflight('/x', APP, 'POST', { 'content-type': 'application/json' }),
      payload: '{not json',
    });
    expect(response.statusCode).toBe(204);
  });

  it('answers whatever Access-Control-Request-Method says, without routing on it blindly', async () => {
    const app = await itemsApp();
    for (const method of ['constructor', '__proto__', 'GET, PUT', 'put', '', 'PUT\t']) {
      const response = await app.inject(preflight('/items/1', APP, method));
      expect(response.statusCode, JSON.stringify(method)).toBe(204);
      expect(response.headers['access-control-allow-methods']).toBe(
        'GET,HEAD,PUT,PATCH,POST,DELETE',
      );
    }
  });

  it("passes OPTIONS without Access-Control-Request-Method to the app's OPTIONS route", async () => {
    const app = fastify();
    await app.register(cors, global);
    app.options('/x', async () => 'options handler');
    const response = await app.inject({ method: 'OPTIONS', url: '/x', headers: { origin: APP } });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('options handler');
    expect(response.headers['access-control-allow-origin']).toBe(APP);
  });

  it("passes OPTIONS without Access-Control-Request-Method to Fastify's 404", async () => {
    const app = await itemsApp();
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/items/1',
      headers: { origin: APP },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'Not Found' });
  });
});

describe('registration', () => {
  it('exports the plugin as the default export too', () => {
    expect(defaultExport).toBe(cors);
  });

  it('refuses a second registration on the same instance', async () => {
    const app = fastify();
    app.register(cors, global);
    app.register(cors, global);
    await expect(app.ready()).rejects.toThrow(/@cors\/fastify: registered twice.*Fix: remove/);
  });

  it('refuses a second registration inside an encapsulated plugin', async () => {
    const app = fastify();
    app.register(cors, global);
    app.register(async (child) => {
      await child.register(cors, admin);
    });
    await expect(app.ready()).rejects.toBeInstanceOf(CorsPluginError);
    await expect(app.ready()).rejects.toThrow(/registered twice/);
  });

  it('refuses a registration inside an encapsulated plugin, naming the fix', async () => {
    const app = fastify();
    app.register(
      async (api) => {
        await api.register(cors, global);
      },
      { prefix: '/api' },
    );
    await expect(app.ready()).rejects.toThrow(
      /encapsulated plugin \(prefix '\/api'\).*register it on the root instance/,
    );
  });

  it('accepts a registration inside a plugin wrapped with fastify-plugin', async () => {
    const app = fastify();
    await app.register(fp(async (root) => root.register(cors, global)));
    app.get('/x', async () => 'x');
    expect((await app.inject(preflight('/x', APP, 'GET'))).statusCode).toBe(204);
  });

  it('rejects invalid options with the CorsConfigError itself', async () => {
    const app = fastify();
    const error = await app.register(cors, { origin: '*', credentials: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CorsConfigError);
  });

  it('fails the actual requests of a route with config.cors declared before the plugin loaded', async () => {
    const app = fastify();
    app.register(cors, global); // not awaited: the routes below are declared before it loads
    app.get('/early', { config: { cors: admin } }, async () => 'handler ran');
    app.get('/plain', async () => 'plain');
    const early = await app.inject({ url: '/early', headers: { origin: ADMIN } });
    expect(early.statusCode).toBe(500);
    expect(early.json().message).toMatch(/declared before the plugin loaded.*await app.register/);
    // Routes without config.cors get the plugin's options, whatever the order.
    const plain = await app.inject({ url: '/plain', headers: { origin: APP } });
    expect(plain.headers['access-control-allow-origin']).toBe(APP);
    expect((await app.inject(preflight('/plain', APP, 'GET'))).statusCode).toBe(204);
  });
});

describe('functions and errors', () => {
  it('takes per-request options, given to Fastify as a function that returns them', async () => {
    const seen: CorsRequest<FastifyRequest>[] = [];
    const app = fastify();
    await app.register(cors, () => async (request: CorsRequest<FastifyRequest>) => {
      seen.push(request);
      return request.native?.headers['x-tenant'] === 'admin' ? admin : global;
    });
    app.put('/x', async () => 'x');
    const response = await app.inject(preflight('/x', ADMIN, 'PUT', { 'x-tenant': 'admin' }));
    expect(response.statusCode).toBe(204);
    expect(seen[0]?.requestMethod).toBe('PUT');
    expect((await app.inject(preflight('/x', ADMIN, 'PUT'))).statusCode).toBe(403);
  });

  it('explains an options function given to register() directly, which Fastify calls', async () => {
    const app = fastify();
    // Fastify calls a function given as options with the instance: this one returns a Promise.
    app.register(cors, async (_request: CorsRequest<FastifyRequest>) => global);
    await expect(app.ready()).rejects.toThrow(/register\(cors, \(\) => yourOptionsFunction\)/);
  });

  it("hands a rejecting origin function's error to Fastify's error handler", async () => {
    const handled: string[] = [];
    const app = fastify();
    await app.register(cors, {
      origin: async () => {
        throw new Error('origin store down');
      },
    });
    app.setErrorHandler((error: Error, _request, reply) => {
      handled.push(error.message);
      return reply.code(503).send('try later');
    });
    app.get('/x', async () => 'handler ran');
    const actual = await app.inject({ url: '/x', headers: { origin: APP } });
    const answered = await app.inject(preflight('/x', APP, 'GET'));
    expect([actual.statusCode, answered.statusCode]).toEqual([503, 503]);
    expect(actual.body).toBe('try later');
    expect(handled).toEqual(['origin store down', 'origin store down']);
  });

  it('answers a throwing origin function with Fastify’s default 500', async () => {
    const app = fastify();
    await app.register(cors, {
      origin: () => {
        throw new Error('boom');
      },
    });
    app.get('/x', async () => 'handler ran');
    const response = await app.inject({ url: '/x', headers: { origin: APP } });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('handler ran');
  });

  it('never hangs on an origin function that never settles: timeout gives a 500', async () => {
    const app = fastify();
    await app.register(cors, { origin: () => new Promise<boolean>(() => {}), timeout: 20 });
    let error: unknown;
    app.setErrorHandler((e, _request, reply) => {
      error = e;
      return reply.code(500).send();
    });
    app.get('/x', async () => 'x');
    expect((await app.inject(preflight('/x', APP, 'GET'))).statusCode).toBe(500);
    expect(error).toBeInstanceOf(CorsTimeoutError);
  });

  it('keeps the CORS headers on 401 from hooks, thrown 500s and not-found handlers', async () => {
    const app = fastify();
    await app.register(cors, global);
    app.addHook('onRequest', async (request, reply) => {
      if (request.url === '/on-request') return reply.code(401).send('no');
    });
    const deny = async () => {
      throw Object.assign(new Error('no'), { statusCode: 401 });
    };
    app.get('/on-request', async () => 'x');
    app.get('/pre-handler', { preHandler: deny }, async () => 'x');
    app.get('/throws', async () => {
      throw new Error('handler failed');
    });
    await app.register(
      async (api) => {
        api.setNotFoundHandler((_request, reply) => reply.code(404).send('api 404'));
      },
      { prefix: '/api' },
    );
    const expected = {
      '/on-request': 401,
      '/pre-handler': 401,
      '/throws': 500,
      '/gone': 404,
      '/api/gone': 404,
    };
    for (const [url, status] of Object.entries(expected)) {
      const response = await app.inject({ url, headers: { origin: APP } });
      expect(response.statusCode, url).toBe(status);
      expect(response.headers['access-control-allow-origin'], url).toBe(APP);
      expect(response.headers.vary, url).toContain('Origin');
    }
  });

  it('merges Vary with what an earlier hook set', async () => {
    const app = fastify();
    app.addHook('onRequest', async (_request, reply) => {
      reply.header('vary', 'Accept-Encoding');
    });
    await app.register(cors, global);
    app.get('/x', async () => 'x');
    const response = await app.inject({ url: '/x', headers: { origin: APP } });
    expect(response.headers.vary).toBe('Accept-Encoding, Origin');
  });
});

describe('types', () => {
  it('types config.cors on routes', () => {
    const app = fastify();
    app.get('/typed', { config: { cors: { origin: APP } } }, async () => 'x');
    // @ts-expect-error: config.cors is CorsOptions or false
    app.get('/wrong', { config: { cors: true } }, async () => 'x');
    expect(app.hasRoute({ method: 'GET', url: '/typed' })).toBe(true);
  });
});
