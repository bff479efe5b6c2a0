import type { CorsDecision, CorsOptions, CorsOptionsInput, CorsPolicy } from '@cors/core';
import {
  createCorsPolicy,
  isPreflight,
  readCorsRequest,
  type VaryValue,
  writeDecisionHeaders,
} from '@cors/core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import FindMyWay from 'find-my-way';

// What a user of this package needs, so that it need not depend on @cors/core directly.
export type { CorsDecision, CorsOptions, CorsRequest, OriginFunction } from '@cors/core';
export { CorsConfigError, CorsTimeoutError } from '@cors/core';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** CORS for this route and its preflights: options that replace the plugin's (not merged), or
     * `false` for no CORS headers and no preflight answer. @default the plugin's options */
    cors?: CorsOptions<FastifyRequest> | false;
  }
}

/** A misuse of the plugin itself: registered twice, or where it cannot see every request. */
export class CorsPluginError extends Error {
  override readonly name = 'CorsPluginError';
}

type Policy = CorsPolicy<FastifyRequest> | false;
/** The routes of one method and path (several only when their constraints differ). */
type Entry = { routes: RouteOptions[]; policy: Policy };
const registered = Symbol.for('@cors/fastify');

const getHeader = (reply: FastifyReply, name: string) => reply.getHeader(name) as VaryValue;
const setHeader = (reply: FastifyReply, name: string, value: string) => {
  reply.header(name, value);
};

function write(decision: CorsDecision, reply: FastifyReply, done: (error?: Error) => void) {
  writeDecisionHeaders(decision.headers, reply, getHeader, setHeader);
  if (decision.status === undefined) done();
  // A preflight answered, or a request refused (allowedHosts, crossOriginProtection): nothing else runs.
  else reply.code(decision.status).send(decision.body);
}

const plugin: FastifyPluginAsync<CorsOptionsInput<FastifyRequest>> = async (fastify, options) => {
  // Fastify builds the root as a plain object, each encapsulated context with Object.create(); a
  // preflight to a path without an OPTIONS route goes to the root's 404, which runs root hooks only.
  const problem = fastify.hasDecorator(registered)
    ? 'registered twice; it answers the preflights of the whole application, so it is registered once, on the root instance. Fix: remove the second `register(cors, ...)`; to give some routes other options, set `config: { cors: { ... } }` on them'
    : Object.getPrototypeOf(fastify) !== Object.prototype
      ? `registered inside an encapsulated plugin (prefix '${fastify.prefix}'), where preflights to routes without an OPTIONS handler never reach it. Fix: register it on the root instance, or in a plugin wrapped with fastify-plugin; to keep routes free of CORS, set \`config: { cors: false }\` on them`
      : typeof (options as { then?: unknown } | null)?.then === 'function'
        ? 'the options are a Promise: Fastify calls a function given to register() with the instance, not a request. Fix: for per-request options, `register(cors, () => yourOptionsFunction)`'
        : undefined;
  if (problem !== undefined) throw new CorsPluginError(`@cors/fastify: ${problem}`);
  const global = createCorsPolicy(options);
  fastify.decorate(registered, true);

  // A preflight asks about another method than its own, so it is routed here, on a mirror of
  // Fastify's router built from the routes declared after this plugin loaded.
  const { routerOptions: r, ...top } = fastify.initialConfig;
  const ignoreTrailingSlash = r?.ignoreTrailingSlash || top.ignoreTrailingSlash;
  const router = FindMyWay({
    caseSensitive: r?.caseSensitive ?? top.caseSensitive,
    ignoreTrailingSlash,
    ignoreDuplicateSlashes: r?.ignoreDuplicateSlashes || top.ignoreDuplicateSlashes,
    allowUnsafeRegex: true, // Fastify has accepted each pattern already
    maxParamLength: Number.MAX_SAFE_INTEGER, // where Fastify answers 414, nothing runs anyway
  });
  const entries = new Map<string, Entry>();
  fastify.addHook('onRoute', (route) => {
    // In a prefixed plugin, '/' is served at '/prefix' and, by default, at '/prefix/' too.
    const both = route.routePath === '' && (route.prefixTrailingSlash ?? 'both') === 'both';
    for (const url of both && !ignoreTrailingSlash ? [route.url, `${route.url}/`] : [route.url]) {
      for (const method of [route.method].flat()) {
        const key = `${method} ${url}`;
        const entry = entries.get(key) ?? { routes: [], policy: global };
        if (entry.routes.push(route) > 1) continue;
        entries.set(key, entry);
        router.on(method as FindMyWay.HTTPMethod, url, () => {}, entry);
      }
    }
  });

  const compiled = new WeakMap<CorsOptions<FastifyRequest>, CorsPolicy<FastifyRequest>>();
  const policyOf = (cors: CorsOptions<FastifyRequest> | false | undefined) =>
    cors === undefined ? global : cors === false ? false : compiled.get(cors);
  // Compiled once, at start-up, after every onRoute hook (one of yours may set config.cors).
  fastify.addHook('onReady', async () => {
    for (const [key, entry] of entries) {
      const [cors, ...others] = entry.routes.map((route) => route.config?.cors);
      if (others.some((other) => other !== cors)) {
        throw new CorsPluginError(
          `@cors/fastify: ${key} is declared more than once, with different constraints and different config.cors, which a preflight cannot tell apart. Fix: give these routes the same config.cors`,
        );
      }
      if (cors !== undefined && cors !== false)
        compiled.set(cors, compiled.get(cors) ?? createCorsPolicy(cors));
      entry.policy = policyOf(cors)!;
    }
  });

  fastify.addHook('onRequest', (request, reply, done) => {
    const corsRequest = readCorsRequest(request.method, request.headers, request);
    let policy: Policy | undefined;
    if (isPreflight(corsRequest)) {
      // A preflight is governed by the route that will serve the method it asks for.
      const found = router.find(corsRequest.requestMethod as FindMyWay.HTTPMethod, request.url);
      policy = found === null ? global : (found.store as Entry).policy;
    } else policy = policyOf(request.routeOptions.config.cors);
    if (policy === undefined) {
      const { method, url } = request.routeOptions;
      const problem = `@cors/fastify: the route ${method} ${url} has config.cors but was declared before the plugin loaded, so it was never compiled. Fix: \`await app.register(cors, options)\` before declaring routes, or declare them in a plugin registered after it`;
      return done(new CorsPluginError(problem));
    }
    if (policy === false) return done();
    let decision: CorsDecision | Promise<CorsDecision>;
    try {
      decision = policy.evaluate(corsRequest);
    } catch (error) {
      return done(error as Error); // your origin or options function threw
    }
    if (decision instanceof Promise) decision.then((d) => write(d, reply, done), done);
    else write(decision, reply, done);
  });
};

/**
 * CORS for Fastify 5, registered once, on the root instance. It answers every preflight in an
 * `onRequest` hook, before your hooks, routing's 404 and body parsing (no OPTIONS route needed),
 * and sets the CORS headers on every other response, errors included. A route's `config.cors`
 * governs its actual requests and its preflights. Invalid options make `ready()` and `listen()`
 * reject with a `CorsConfigError`. Per-request options: `register(cors, () => (req) => options)`.
 *
 * @example
 * ```ts
 * const app = Fastify();
 * await app.register(cors, { origin: ['https://app.example.com'], credentials: true });
 * app.put('/items/:id', { config: { cors: { origin: 'https://admin.example.com' } } }, save);
 * ```
 */
export const cors: FastifyPluginAsync<CorsOptionsInput<FastifyRequest>> = fp(plugin, {
  name: '@cors/fastify',
  fastify: '5.x',
});
export default cors;
