import {
  type CorsDecision,
  type CorsOptionsInput,
  createCorsPolicy,
  mergeVary,
  readCorsRequest,
  type VaryValue,
  writeDecisionHeaders,
} from '@cors/core';
import type { Context, Middleware } from 'koa';

// What a user of this package needs, so that it need not depend on @cors/core directly.
export type { CorsDecision, CorsOptions, CorsRequest, OriginFunction } from '@cors/core';
export { CorsConfigError, CorsTimeoutError } from '@cors/core';

type ErrorHeaders = Record<string, string | readonly string[] | number>;

/**
 * Koa's default error handling (`ctx.onerror`) removes every response header, then sets
 * `err.headers`: the CORS headers go there too, so a 401, 500 or any thrown error stays readable.
 */
function keepOnError(err: unknown, cors: Readonly<Record<string, string>>): void {
  // Koa turns a thrown non-object into a new Error, which we cannot reach: nothing to keep.
  if (typeof err !== 'object' || err === null) return;
  const target = err as { headers?: ErrorHeaders };
  const headers: ErrorHeaders = { ...target.headers };
  for (const name in cors) {
    if (name !== 'vary') {
      headers[name] = cors[name]!;
      continue;
    }
    // The error may carry its own Vary, under any case.
    const own = Object.keys(headers).find((key) => key.toLowerCase() === 'vary');
    const existing = own === undefined ? undefined : headers[own];
    if (own !== undefined) delete headers[own];
    headers.vary = mergeVary(existing, cors[name]!);
  }
  target.headers = headers;
}

const getHeader = (ctx: Context, name: string) => ctx.response.get(name) as VaryValue;
const setHeader = (ctx: Context, name: string, value: string) => {
  ctx.set(name, value);
};

function write(ctx: Context, decision: CorsDecision): void {
  writeDecisionHeaders(decision.headers, ctx, getHeader, setHeader);
}

/**
 * CORS middleware for Koa 2 and 3. Register it first: it answers preflights itself (before your
 * auth, your router and Koa's 404) and sets the CORS headers on every other response, including
 * the ones Koa's default error handling writes for a thrown error or `ctx.throw()`.
 *
 * The options are validated here, once: an invalid configuration throws a `CorsConfigError`
 * listing every problem. An error of your origin function is thrown on to Koa's error handling.
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { cors } from '@cors/koa';
 *
 * const app = new Koa();
 * app.use(cors({ origin: ['https://app.example.com'], credentials: true }));
 * app.use((ctx) => {
 *   ctx.body = { ok: true };
 * });
 * app.listen(3000);
 * ```
 */
export function cors(options: CorsOptionsInput<Context>): Middleware {
  const policy = createCorsPolicy(options);
  return async (ctx, next) => {
    // Raw values from Node: ctx.get() would turn an absent header into ''.
    const evaluated = policy.evaluate(readCorsRequest(ctx.method, ctx.req.headers, ctx));
    const decision = evaluated instanceof Promise ? await evaluated : evaluated;
    if (decision.status !== undefined) {
      // An explicit null body first: Koa then sends no body and no Content-Type, and the status
      // set after it is kept (set before, a 200 would become 204 and an unset body a 404).
      ctx.body = decision.body ?? null;
      ctx.status = decision.status;
      write(ctx, decision);
      return;
    }
    write(ctx, decision);
    try {
      await next();
    } catch (err) {
      keepOnError(err, decision.headers);
      throw err;
    }
  };
}
