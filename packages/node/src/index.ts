import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type CorsDecision,
  type CorsOptionsInput,
  createCorsPolicy,
  readCorsRequest,
  writeDecisionHeaders,
} from '@cors/core';

// What a user of this package needs, so that it need not depend on @cors/core directly.
export type { CorsDecision, CorsOptions, CorsRequest, OriginFunction } from '@cors/core';
export { CorsConfigError, CorsTimeoutError } from '@cors/core';

/**
 * Handles CORS for one request on bare `node:http`: returns `true` when it ended the response (an
 * answered preflight), `false` when the application should answer. A `Promise` of the same only
 * when an async origin function or async options are configured.
 *
 * It never answers errors itself: if your origin function (or options function) throws or
 * rejects, so does the handler, before any header is written. Answer that as your server answers
 * any other failure (typically a 500).
 */
export type CorsHandler<Req extends IncomingMessage = IncomingMessage> = (
  req: Req,
  res: ServerResponse,
) => boolean | Promise<boolean>;

/** A connect-style middleware, as Express 4 and 5 and Connect call it. */
export type CorsMiddleware<Req extends IncomingMessage = IncomingMessage> = (
  req: Req,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

const getHeader = (res: ServerResponse, name: string) => res.getHeader(name);
const setHeader = (res: ServerResponse, name: string, value: string) => {
  res.setHeader(name, value);
};

function write(res: ServerResponse, decision: CorsDecision): boolean {
  // Another middleware (compression, i18n) may already vary the response: core adds to it.
  writeDecisionHeaders(decision.headers, res, getHeader, setHeader);
  if (decision.status === undefined) return false;
  res.statusCode = decision.status;
  res.end(decision.body);
  return true;
}

/**
 * CORS for bare `node:http` (and anything that hands you Node's `req` and `res`). The options are
 * validated once, here: an invalid configuration throws a `CorsConfigError` listing every problem.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createCorsHandler } from '@cors/node';
 *
 * const handleCors = createCorsHandler({ origin: 'https://app.example.com' });
 * createServer(async (req, res) => {
 *   try {
 *     if (await handleCors(req, res)) return; // preflight answered
 *   } catch {
 *     res.statusCode = 500; // your origin function failed
 *     return res.end();
 *   }
 *   res.end('hello');
 * }).listen(3000);
 * ```
 */
export function createCorsHandler<Req extends IncomingMessage = IncomingMessage>(
  options: CorsOptionsInput<Req>,
): CorsHandler<Req> {
  const policy = createCorsPolicy(options);
  return (req, res) => {
    // Raw values, as Node gives them: a repeated header arrives joined with ', ', which core refuses.
    const decision = policy.evaluate(readCorsRequest(req.method, req.headers, req));
    // A synchronous decision stays synchronous: no promise, no microtask on the common path.
    return decision instanceof Promise ? decision.then((d) => write(res, d)) : write(res, decision);
  };
}

/**
 * CORS middleware for Express 4 and 5 and Connect. Register it before your routes and your auth:
 * it answers preflights itself and sets the CORS headers on every other response, the error
 * responses of the framework included. Errors of your origin function go to `next(err)`.
 * An invalid configuration throws a `CorsConfigError` here, at start-up.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { cors } from '@cors/node';
 *
 * const app = express();
 * app.use(cors({ origin: ['https://app.example.com'], credentials: true }));
 * app.get('/items', (req, res) => res.json([]));
 * ```
 */
export function cors<Req extends IncomingMessage = IncomingMessage>(
  options: CorsOptionsInput<Req>,
): CorsMiddleware<Req> {
  const handle = createCorsHandler(options);
  return (req, res, next) => {
    let ended: boolean | Promise<boolean>;
    try {
      ended = handle(req, res);
    } catch (err) {
      next(err);
      return;
    }
    if (ended === false) next();
    else if (ended !== true) ended.then((done) => done || next(), next);
  };
}
