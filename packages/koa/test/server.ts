// The contract's server for @cors/koa. The example app imports this file, so it imports no test
// framework.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { StartServer } from '@cors/conformance';
import Koa from 'koa';
import { type CorsOptions, cors } from '../src/index.js';

/**
 * The contract's routes on a Koa 2 or 3 app, after its CORS middleware (bench/src/peers puts a
 * peer's middleware in front of the same routes). Anything else gets no body: Koa's own 404.
 */
export function addKoaRoutes(app: Koa): void {
  app.use(async (ctx, next) => {
    if (ctx.path === '/private' && !ctx.get('Authorization')) ctx.throw(401);
    await next();
  });
  app.use((ctx) => {
    switch (ctx.path) {
      case '/resource':
        ctx.set({ 'X-Handler': 'resource', 'X-Request-Id': '7', 'X-Total-Count': '42' });
        ctx.type = 'text/plain';
        ctx.body = 'ok';
        return;
      case '/private':
        ctx.body = 'secret';
        return;
      case '/error':
        throw new Error('handler failed');
    }
  });
}

/** Koa 2 and 3 share this shape; `App` is the `Koa` class of either major. */
export function startKoaWith(App: typeof Koa): StartServer {
  return async (options: CorsOptions) => {
    const app = new App();
    app.silent = true; // the 500 of /error is expected; keep the console quiet
    app.use(cors(options));
    addKoaRoutes(app);

    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      close: () =>
        new Promise<void>((resolve, reject) => {
          server.close((err) => (err ? reject(err) : resolve()));
          server.closeAllConnections();
        }),
    };
  };
}

/** Koa 3. */
export const startKoa: StartServer = startKoaWith(Koa);
