// Our CorsOptions written as each peer's options, the way a user of that peer would write them.
// Where a peer has no way to say what an option means, `NotExpressible` says why and the scenario
// is reported as such instead of failing.
import type { CorsOptions, CorsRequest, OriginEntry, OriginFunction } from '@cors/core';
import type { FastifyCorsOptions } from '@fastify/cors';
import type { Options as KoaCorsOptions } from '@koa/cors';
import type { CorsOptions as ExpressCorsOptions } from 'cors';
import type { Context } from 'koa';

/** The peer has no option for what `options` asks; `message` says which. */
export class NotExpressible extends Error {
  override name = 'NotExpressible';
}

/**
 * How a pattern such as `https://*.example.com` becomes a RegExp, since no peer has patterns.
 * - `naive` (default): the form the `cors` README teaches for "a subdomain of example2.com",
 *   `/\.example2\.com$/`: a suffix test, not anchored at the start.
 * - `strict`: the form the @fastify/cors README teaches, `/^https:\/\/([a-z0-9-]+\.)+example\.com$/`,
 *   our pattern's meaning (any depth, not the apex).
 */
export type PatternStyle = 'naive' | 'strict';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export function patternToRegExp(pattern: string, style: PatternStyle): RegExp {
  const port = /^(.*):\*$/.exec(pattern);
  if (port) return new RegExp(`^${escapeRegExp(port[1]!)}:\\d+$`);
  const host = /^([a-z]+:\/\/)\*(\..+)$/i.exec(pattern);
  // A pattern we refuse (`https://a*.example.com`): `*` as `.*`, only so that the peer gets one.
  if (!host) return new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return style === 'naive'
    ? new RegExp(`${escapeRegExp(host[2]!)}$`)
    : new RegExp(`^${escapeRegExp(host[1]!)}([a-z0-9-]+\\.)+${escapeRegExp(host[2]!.slice(1))}$`);
}

const isPattern = (entry: OriginEntry): entry is string =>
  typeof entry === 'string' && entry !== '*' && entry.includes('*');

/** Whether translating `options` involves a pattern, so depends on the {@link PatternStyle}. */
export function usesPattern(options: CorsOptions): boolean {
  const origin = options.origin as unknown;
  return Array.isArray(origin) ? origin.some(isPattern) : isPattern(origin as OriginEntry);
}

/** Exact strings and RegExps as they are; patterns as a RegExp. */
function entryFor(entry: OriginEntry, style: PatternStyle): string | RegExp {
  return isPattern(entry) ? patternToRegExp(entry, style) : entry;
}

/** Option names and meanings no peer has. */
function refuseCommon(options: CorsOptions): void {
  if (options.timeout !== undefined) {
    throw new NotExpressible('no timeout for an origin function');
  }
}

// The peers hand an origin function the Origin only (`cors`, @fastify/cors) or the context (Koa):
// ours gets the request facts it can see.
const requestOf = (origin: string | undefined, method = ''): CorsRequest => ({ method, origin });

/** `(origin, callback)` as `cors` and @fastify/cors call it; a synchronous throw stays synchronous. */
function callbackOrigin(fn: OriginFunction) {
  return (origin: string | undefined, callback: (error: Error | null, allow: boolean) => void) => {
    // The peers call it for requests without Origin too: ours gets what they pass.
    const result = fn(origin as string, requestOf(origin));
    if (typeof result === 'boolean') callback(null, result);
    else
      result.then(
        (allow) => callback(null, allow),
        (error) => callback(error, false),
      );
  };
}

/** `cors` on Express, and NestJS `enableCors` on @nestjs/platform-express (which is `cors`). */
export function toExpressCors(options: CorsOptions, style: PatternStyle): ExpressCorsOptions {
  refuseCommon(options);
  if (options.allowPrivateNetwork) {
    throw new NotExpressible('cors has no private-network option');
  }
  return { ...common(options), ...originForCorsOrFastify(options, style) };
}

/** @fastify/cors, and NestJS `enableCors` on @nestjs/platform-fastify (which is @fastify/cors). */
export function toFastifyCors(options: CorsOptions, style: PatternStyle): FastifyCorsOptions {
  refuseCommon(options);
  if (options.allowPrivateNetwork) {
    throw new NotExpressible('@fastify/cors has no private-network option');
  }
  return { ...common(options), ...originForCorsOrFastify(options, style) };
}

/** The options `cors` and @fastify/cors share with ours, name for name. */
function common(options: CorsOptions) {
  return {
    ...(options.methods !== undefined && { methods: list(options.methods) }),
    ...(options.allowedHeaders !== undefined && { allowedHeaders: list(options.allowedHeaders) }),
    ...(options.exposedHeaders !== undefined && { exposedHeaders: list(options.exposedHeaders) }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    ...(options.maxAge !== undefined && { maxAge: options.maxAge }),
    ...(options.preflightContinue !== undefined && {
      preflightContinue: options.preflightContinue,
    }),
    ...(options.optionsSuccessStatus !== undefined && {
      optionsSuccessStatus: options.optionsSuccessStatus,
    }),
  };
}

function originForCorsOrFastify(options: CorsOptions, style: PatternStyle) {
  const origin = options.origin as CorsOptions['origin'] | boolean | undefined;
  // Absent (peer default: '*'), '*', `true` (reflect any), an exact string (sent as is, fixed):
  // what the user wrote goes through.
  if (origin === undefined) return {};
  if (typeof origin === 'boolean') return { origin };
  if (typeof origin === 'function') return { origin: callbackOrigin(origin) };
  if (typeof origin === 'string' || origin instanceof RegExp) {
    return { origin: entryFor(origin, style) };
  }
  return { origin: origin.map((entry) => entryFor(entry, style)) };
}

/**
 * @koa/cors: `origin` is one string (sent as is) or a function of the context returning the value
 * of Access-Control-Allow-Origin ('' for none). Lists, RegExps and patterns become that function,
 * as in the benchmark's configuration.
 */
export function toKoaCors(options: CorsOptions, style: PatternStyle): KoaCorsOptions {
  refuseCommon(options);
  if (options.preflightContinue) {
    throw new NotExpressible('@koa/cors always answers a preflight (no preflightContinue)');
  }
  if (options.optionsSuccessStatus !== undefined && options.optionsSuccessStatus !== 204) {
    throw new NotExpressible('@koa/cors always answers a preflight 204 (no optionsSuccessStatus)');
  }
  const koa: KoaCorsOptions = {
    ...(options.methods !== undefined && { allowMethods: list(options.methods) }),
    ...(options.allowedHeaders !== undefined && { allowHeaders: list(options.allowedHeaders) }),
    ...(options.exposedHeaders !== undefined && { exposeHeaders: list(options.exposedHeaders) }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    ...(options.maxAge !== undefined && { maxAge: options.maxAge }),
    ...(options.allowPrivateNetwork !== undefined && {
      privateNetworkAccess: options.allowPrivateNetwork,
    }),
  };
  const origin = options.origin as CorsOptions['origin'] | boolean | undefined;
  if (origin === undefined || origin === false) return koa;
  // Reflecting any origin, in Koa, is a function returning the request's Origin.
  if (origin === true) return { ...koa, origin: (ctx: Context) => ctx.get('Origin') };
  if (typeof origin === 'string' && !isPattern(origin)) return { ...koa, origin };
  if (typeof origin === 'function') {
    return {
      ...koa,
      origin: async (ctx: Context) => {
        const requested = ctx.get('Origin');
        return (await origin(requested, requestOf(requested, ctx.method))) ? requested : '';
      },
    };
  }
  const entries = (Array.isArray(origin) ? origin : [origin]).map((e) => entryFor(e, style));
  return {
    ...koa,
    origin: (ctx: Context) => {
      const requested = ctx.get('Origin');
      const allowed = entries.some((entry) =>
        typeof entry === 'string' ? entry === requested : entry.test(requested),
      );
      return allowed ? requested : '';
    },
  };
}

const list = (value: string | readonly string[]) =>
  typeof value === 'string' ? value : [...value];
