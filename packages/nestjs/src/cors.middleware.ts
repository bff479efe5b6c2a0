import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPreflight } from '@cors/core';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { CorsRoutes } from './cors.routes.js';

/**
 * The middleware `CorsModule` mounts on every path and method, ahead of guards, interceptors,
 * pipes, routing and the 404 handler: it answers preflights and sets the CORS headers of every
 * other response, error responses included. Nest hands it Node's `req` and `res` on Express and on
 * Fastify alike, so it runs `@cors/node` with the options of the route the request reaches.
 */
@Injectable()
export class CorsMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  constructor(@Inject(CorsRoutes) private readonly routes: CorsRoutes) {}

  use(
    req: IncomingMessage & { originalUrl?: string },
    res: ServerResponse,
    next: (err?: unknown) => void,
  ): void {
    // A preflight is looked up by the method it asks for: it gets the options of the route that
    // the request it precedes will reach.
    const asked = req.headers['access-control-request-method'] as string | undefined;
    const method = isPreflight({ method: req.method!, requestMethod: asked })
      ? asked!
      : req.method!;
    // Express and @fastify/middie strip the mount path from `url`; `originalUrl` keeps it.
    const url = req.originalUrl ?? req.url ?? '/';
    const query = url.indexOf('?');
    const handle = this.routes.handlerFor(method, query === -1 ? url : url.slice(0, query));
    if (handle === null) next();
    else handle(req, res, next);
  }
}
