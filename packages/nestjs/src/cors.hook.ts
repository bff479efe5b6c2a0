import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPreflight } from '@cors/core';
import type { AbstractHttpAdapter } from '@nestjs/core';
import type { CorsRoutes } from './cors.routes.js';

/** What Nest's adapters pass to a request hook: Node's `req`/`res` (Express), or Fastify's wrappers of them. */
type HookRequest = IncomingMessage & { raw?: IncomingMessage };
type HookResponse = ServerResponse & { raw?: ServerResponse };
type Done = (err?: Error) => void;
type RequestHook = (req: HookRequest, res: HookResponse, done: Done) => unknown;

/**
 * The per-request work of `CorsModule`: finds the options of the route the request reaches (for a
 * preflight, the route of the method it asks for) and runs `@cors/node` with them on Node's
 * `req` and `res`. It answers preflights itself (it then never calls `done`), and sets the CORS
 * headers of every other response before anything else runs, so that error responses keep them.
 */
export function corsRequestHook(routes: CorsRoutes): RequestHook {
  return (request, response, done) => {
    const req = request.raw ?? request;
    const res = response.raw ?? response;
    const asked = req.headers['access-control-request-method'];
    const method = isPreflight({ method: req.method!, requestMethod: asked })
      ? asked!
      : req.method!;
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const handle = routes.handlerFor(method, query === -1 ? url : url.slice(0, query));
    if (handle === null) done();
    else handle(req, res, done as (err?: unknown) => void);
  };
}

/**
 * Installs `hook` as the adapter's request hook: the first thing Nest's Express and Fastify
 * adapters run for every request, ahead of body parsers, Nest middleware, routing, guards and the
 * 404 handler (where `app.enableCors()` runs, too). The adapter holds one request hook: one set
 * later (Nest's devtools do) runs after CORS instead of replacing it.
 */
export function installRequestHook(adapter: AbstractHttpAdapter, hook: RequestHook): void {
  let after: RequestHook | undefined;
  const chained: RequestHook = (req, res, done) =>
    hook(req, res, (err) => {
      if (err || after === undefined) return done(err);
      try {
        const result = after(req, res, done);
        if (result instanceof Promise)
          result.then(undefined, (e) => done(e ?? new Error(String(e))));
      } catch (e) {
        done(e as Error);
      }
    });
  const set = adapter.setOnRequestHook.bind(adapter);
  set(chained);
  adapter.setOnRequestHook = (next: RequestHook) => {
    after = next;
  };
}
