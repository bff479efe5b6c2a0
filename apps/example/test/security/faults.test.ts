// Faults: an origin function or an options function that throws, rejects or never settles, and
// clients that go away mid-preflight. The server stays up, the error reaches the framework's own
// error handling (its 500), nothing hangs past `timeout`, and no promise rejects unhandled.
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { rawRequest } from '@cors/conformance';
import { type CorsOptions, type CorsRequest, optionsTimeout } from '@cors/core';
import { cors as fastifyCors } from '@cors/fastify';
import { createCorsHandler } from '@cors/node';
import Fastify from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listen } from '../../../../packages/node/test/server.js';
import { type ServerName, servers } from '../../src/servers.js';
import { ALLOWED } from './attacks.js';

const THROWS = 'https://throws.example';
const REJECTS = 'https://rejects.example';
const HANGS = 'https://hangs.example';
const TIMEOUT = 100;

/** An origin function that fails in every way, by origin; `ALLOWED` passes. */
const decide = (origin: string): boolean | Promise<boolean> => {
  if (origin === THROWS) throw new Error('origin lookup failed');
  if (origin === REJECTS) return Promise.reject(new Error('origin lookup failed'));
  if (origin === HANGS) return new Promise<boolean>(() => {});
  return origin === ALLOWED;
};
const faulty: CorsOptions = { origin: decide, timeout: TIMEOUT };
const noTimeout: CorsOptions = { origin: decide };

const get = (origin: string) => ({ method: 'GET', path: '/resource', headers: { origin } });
const preflight = (origin: string) => ({
  method: 'OPTIONS',
  path: '/resource',
  headers: { origin, 'access-control-request-method': 'PUT' },
});

/** Connects, writes `bytes`, and hangs up at once, without reading an answer. */
function abortAfter(url: string, bytes: string): Promise<void> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => {
      socket.write(bytes, () => {
        socket.destroy();
        resolve();
      });
    });
    socket.on('error', () => resolve());
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Any rejection nobody handles fails the test that caused it.
let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  await sleep(TIMEOUT + 50); // let every timeout of the test fire
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

async function expectHealthy(url: string): Promise<void> {
  const response = await rawRequest(url, get(ALLOWED));
  expect(response.status).toBe(200);
  expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
}

for (const name of Object.keys(servers) as ServerName[]) {
  describe(`${name} with a failing origin function`, () => {
    let server: { url: string; close(): Promise<void> };
    let bare: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      [server, bare] = await Promise.all([servers[name](faulty), servers[name](noTimeout)]);
    });
    afterAll(() => Promise.all([server?.close(), bare?.close()]));

    for (const [what, origin] of [
      ['throws', THROWS],
      ['rejects', REJECTS],
    ] as const) {
      it(`answers the framework's 500 when it ${what}, on an actual request and a preflight, then goes on serving`, async () => {
        for (const request of [get(origin), preflight(origin)]) {
          const response = await rawRequest(server.url, request);
          expect(response.status).toBe(500);
          expect(response.headers['access-control-allow-origin']).toBeUndefined();
          expect(response.body).not.toBe('ok');
        }
        await expectHealthy(server.url);
      });
    }

    it('answers 500 once `timeout` passes when it never settles, serving others meanwhile', async () => {
      const started = Date.now();
      const hanging = Promise.all(
        Array.from({ length: 10 }, () => rawRequest(server.url, preflight(HANGS))),
      );
      await Promise.all(Array.from({ length: 10 }, () => expectHealthy(server.url)));
      const responses = await hanging;
      for (const response of responses) {
        expect(response.status).toBe(500);
        expect(response.headers['access-control-allow-origin']).toBeUndefined();
      }
      expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT - 5);
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('survives clients that hang up mid-preflight: after the request, halfway through it, while it waits', async () => {
      const whole = (origin: string) =>
        `OPTIONS /resource HTTP/1.1\r\nHost: x\r\nOrigin: ${origin}\r\nAccess-Control-Request-Method: PUT\r\n\r\n`;
      await Promise.all([
        ...Array.from({ length: 20 }, () => abortAfter(server.url, whole(HANGS))),
        ...Array.from({ length: 20 }, () => abortAfter(server.url, whole(ALLOWED))),
        ...Array.from({ length: 20 }, () => abortAfter(server.url, whole(REJECTS))),
        ...Array.from({ length: 20 }, () => abortAfter(server.url, whole(ALLOWED).slice(0, 40))),
      ]);
      await sleep(TIMEOUT + 20);
      await expectHealthy(server.url);
    });

    it('without `timeout`, holds only the request that waits on it; the client gives up and the server serves on', async () => {
      await expect(rawRequest(bare.url, { ...get(HANGS), timeout: 300 })).rejects.toThrow(
        /no complete response/,
      );
      await expectHealthy(bare.url);
    });
  });
}

// Per-request options (a function of the request) go through the adapters directly: the server
// contract takes plain options. Adapters take no second argument, so no `timeout` applies here.
// (Express and Koa are left out: this app has no @types/express or @types/koa to type them.)
type OptionsFn = (req: CorsRequest) => CorsOptions | Promise<CorsOptions>;
const optionsFor: OptionsFn = (request) => {
  const origin = request.origin;
  if (origin === THROWS) throw new Error('options lookup failed');
  if (origin === REJECTS) return Promise.reject(new Error('options lookup failed'));
  if (origin === HANGS) return new Promise<CorsOptions>(() => {});
  return Promise.resolve({ origin: ALLOWED });
};

const optionServers: Record<
  string,
  (options?: OptionsFn) => Promise<{ url: string; close(): Promise<void> }>
> = {
  'node-http': (options = optionsFor) => {
    const handle = createCorsHandler(options);
    const server = createServer(async (req, res) => {
      try {
        if (await handle(req, res)) return;
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      } catch {
        res.writeHead(500).end(); // the server's own error handling
      }
    });
    return listen(server);
  },
  fastify: async (options = optionsFor) => {
    const app = Fastify();
    await app.register(fastifyCors, () => options as never);
    app.all('/resource', async () => 'ok');
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
  },
};

for (const [name, start] of Object.entries(optionServers)) {
  describe(`${name} with a failing options function`, () => {
    let server: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      server = await start();
    });
    afterAll(() => server?.close());

    it("answers the framework's 500 when it throws or rejects, then goes on serving", async () => {
      for (const origin of [THROWS, REJECTS]) {
        for (const request of [get(origin), preflight(origin)]) {
          const response = await rawRequest(server.url, request);
          expect(response.status).toBe(500);
          expect(response.headers['access-control-allow-origin']).toBeUndefined();
        }
      }
      await expectHealthy(server.url);
    });

    it('holds only the request whose options never settle; a client that hangs up frees nothing else', async () => {
      await expect(rawRequest(server.url, { ...get(HANGS), timeout: 300 })).rejects.toThrow(
        /no complete response/,
      );
      await abortAfter(
        server.url,
        `OPTIONS /resource HTTP/1.1\r\nHost: x\r\nOrigin: ${HANGS}\r\nAccess-Control-Request-Method: PUT\r\n\r\n`,
      );
      await expectHealthy(server.url);
    });

    it("answers the framework's 500 once optionsTimeout passes when they never settle", async () => {
      const bounded = await start(optionsTimeout(optionsFor, 100));
      try {
        const response = await rawRequest(bounded.url, { ...get(HANGS), timeout: 5_000 });
        expect(response.status).toBe(500);
        await expectHealthy(bounded.url);
      } finally {
        await bounded.close();
      }
    });
  });
}
