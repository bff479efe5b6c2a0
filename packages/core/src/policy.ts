import { compileHosts } from './hosts.js';
import type {
  CorsDecision,
  CorsOptions,
  CorsOptionsInput,
  CorsPolicy,
  CorsRejectReason,
  CorsRequest,
} from './options.js';
import { compileOrigins, splitOrigin } from './origins/matcher.js';
import { crossOriginRefusals, hostRefusal, isCrossOrigin, isUnsafeMethod } from './protection.js';
import { parseRequestHeaders } from './request-headers.js';
import { isToken } from './tokens.js';
import { CorsConfigError, type ValidatedOptions, validateOptions } from './validate.js';

/** Thrown (as a rejection) when an async origin function or async options outlive `timeout`. */
export class CorsTimeoutError extends Error {
  override readonly name = 'CorsTimeoutError';
  constructor(readonly timeout: number) {
    super(
      `@cors/core: the origin function or options function did not settle within ${timeout} ms (the timeout option)`,
    );
  }
}

type Evaluate = (request: CorsRequest) => CorsDecision | Promise<CorsDecision>;
/** A compiled configuration: its CORS decision and its WebSocket upgrade decision. */
type Compiled = { evaluate: Evaluate; upgrade: Evaluate };

// Fetch: a CORS-safelisted method never needs to be listed in Access-Control-Allow-Methods.
const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);
const NO_HEADERS: string[] = [];
const DECISION_CACHE_LIMIT = 1024;

/**
 * Validates `options` (throwing one {@link CorsConfigError} that lists every problem) and compiles
 * them once into a policy whose `evaluate` decides each request.
 *
 * `options` may also be a function of the request returning options, sync or async, for
 * per-request configuration: each distinct result is validated and compiled once, then cached.
 *
 * @example
 * ```ts
 * import { createCorsPolicy } from '@cors/core';
 *
 * const policy = createCorsPolicy({ origin: 'https://app.example.com', credentials: true });
 * const decision = policy.evaluate({ method: 'GET', origin: 'https://app.example.com' });
 * // decision.headers: { 'access-control-allow-origin': 'https://app.example.com',
 * //   'access-control-allow-credentials': 'true', vary: 'Origin' }
 * ```
 */
export function createCorsPolicy<N = unknown>(options: CorsOptionsInput<N>): CorsPolicy<N> {
  if (typeof options !== 'function') {
    const { evaluate, upgrade } = compileOptions(options as CorsOptions);
    return { evaluate, evaluateUpgrade: upgrade };
  }
  const resolve = createOptionsCache();
  const optionsFor = options as (request: CorsRequest) => CorsOptions | Promise<CorsOptions>;
  const decideWith = (which: keyof Compiled) => (request: CorsRequest) => {
    const result = optionsFor(request);
    if (!isThenable(result)) return resolve(result)[which](request);
    return result.then((resolved) => resolve(resolved)[which](request));
  };
  return { evaluate: decideWith('evaluate'), evaluateUpgrade: decideWith('upgrade') };
}

/**
 * Bounds an async per-request options function: when it has not settled within `timeout`
 * milliseconds the request fails with a {@link CorsTimeoutError}, handed to the framework's error
 * handling, instead of waiting as long as the client does. Works with every adapter, since it
 * returns an options function itself. (For an async origin function, use the `timeout` option.)
 *
 * @example
 * ```ts
 * app.use(cors(optionsTimeout(async (req) => tenantCors(await lookupTenant(req.native)), 2000)));
 * ```
 */
export function optionsTimeout<N>(
  options: (request: CorsRequest<N>) => CorsOptions<N> | Promise<CorsOptions<N>>,
  timeout: number,
): (request: CorsRequest<N>) => CorsOptions<N> | Promise<CorsOptions<N>> {
  if (!Number.isInteger(timeout) || timeout <= 0) {
    throw new CorsConfigError([
      {
        option: 'timeout',
        message: `must be a whole number of milliseconds > 0, got ${timeout}`,
        fix: 'use e.g. optionsTimeout(fn, 2000)',
      },
    ]);
  }
  return (request) => {
    const result = options(request);
    return isThenable(result) ? withTimeout(result, timeout) : result;
  };
}

function compileOptions(options: CorsOptions): Compiled {
  const validated = validateOptions(options);
  for (const warning of validated.warnings) validated.onWarning(warning);
  return compile(validated);
}

/** Caches compiled policies by the options object's identity, then by its content. */
function createOptionsCache(): (options: CorsOptions) => Compiled {
  const byIdentity = new WeakMap<object, Compiled>();
  const byContent = new Map<string, Compiled>();
  // Functions and RegExps have no JSON form: name them so that equal content gives equal keys.
  const functionIds = new WeakMap<object, number>();
  let nextId = 0;
  const replacer = (_key: string, value: unknown) => {
    if (value instanceof RegExp) return `regexp:${String(value)}`;
    if (typeof value !== 'function') return value;
    let id = functionIds.get(value);
    if (id === undefined) {
      id = nextId++;
      functionIds.set(value, id);
    }
    return `function:${id}`;
  };
  return (options) => {
    if (options === null || typeof options !== 'object') return compileOptions(options);
    const known = byIdentity.get(options);
    if (known !== undefined) return known;
    const key = JSON.stringify(options, replacer);
    let evaluate = byContent.get(key);
    if (evaluate === undefined) {
      evaluate = compileOptions(options);
      if (byContent.size >= 100) byContent.delete(byContent.keys().next().value as string);
      byContent.set(key, evaluate);
    }
    byIdentity.set(options, evaluate);
    return evaluate;
  };
}

/** Turns validated options into the per-request function. Everything static is built here, once. */
function compile(v: ValidatedOptions): Compiled {
  const originDependent = v.origin.kind !== 'any';
  const origins =
    v.origin.kind === 'list' ? compileOrigins(v.origin.entries, v.origin.regexps) : undefined;
  // Exact origins map to their allowed-actual decision, built on first use (null until then), so an
  // allowed actual request costs one hash look-up whatever the size of the list.
  const exact =
    origins === undefined
      ? undefined
      : new Map<string, CorsDecision | null>(origins.exact.map((o) => [o, null]));
  const others = origins?.others;
  const originFn = v.origin.kind === 'function' ? v.origin.fn : undefined;
  const methods = new Set(v.methods);
  const allowMethods = v.methods.join(',');
  const allowedHeaders =
    v.allowedHeaders === null ? undefined : new Set(v.allowedHeaders.map((h) => h.toLowerCase()));
  const allowHeaders = v.allowedHeaders?.join(',');
  const exposeHeaders = v.exposedHeaders === '*' ? '*' : v.exposedHeaders.join(',');
  const maxAge = v.maxAge === undefined ? undefined : String(v.maxAge);
  const varyPreflight = [
    ...(originDependent ? ['Origin'] : []),
    'Access-Control-Request-Method',
    'Access-Control-Request-Headers',
    ...(v.allowPrivateNetwork ? ['Access-Control-Request-Private-Network'] : []),
  ].join(', ');
  const ended = v.preflightContinue ? undefined : v.optionsSuccessStatus;
  const onDecision = v.onDecision;
  const hostAllowed = v.allowedHosts === undefined ? undefined : compileHosts(v.allowedHosts);
  const protect = v.crossOriginProtection;

  // Under '*' the answer is the same for every origin: every response, with or without Origin,
  // carries Access-Control-Allow-Origin: * and none varies on Origin, so a shared cache can serve
  // one stored response to everyone (Fetch, "CORS protocol and HTTP caches").
  const notCors = freeze({
    kind: 'not-cors',
    allowed: true,
    headers: originDependent
      ? { vary: 'Origin' }
      : {
          'access-control-allow-origin': '*',
          ...(exposeHeaders === '' ? {} : { 'access-control-expose-headers': exposeHeaders }),
        },
  });
  const actualRejected = freeze({
    kind: 'actual',
    allowed: false,
    reason: 'origin-not-allowed',
    headers: { vary: 'Origin' },
  });
  const preflightRejected = freeze({
    kind: 'preflight',
    allowed: false,
    reason: 'origin-not-allowed',
    headers: v.preflightContinue
      ? { vary: varyPreflight }
      : { vary: varyPreflight, 'content-length': '0' },
    ...(v.preflightContinue ? {} : { status: 403 }),
  });

  // The headers of an allowed actual response depend on the origin alone, so each origin's decision
  // is built once and reused: exact origins keep theirs in `exact`; others in a bounded map, since
  // patterns can allow unboundedly many origins.
  const actualAllowed = new Map<string, CorsDecision>();
  const allowActual = (origin: string, exactHit: boolean): CorsDecision => {
    let decision = exactHit ? undefined : actualAllowed.get(origin);
    if (decision !== undefined) return decision;
    const headers: Record<string, string> = {
      'access-control-allow-origin': originDependent ? origin : '*',
    };
    if (v.credentials) headers['access-control-allow-credentials'] = 'true';
    if (exposeHeaders !== '') headers['access-control-expose-headers'] = exposeHeaders;
    if (originDependent) headers.vary = 'Origin';
    decision = freeze({ kind: 'actual', allowed: true, headers });
    if (exactHit) exact?.set(origin, decision);
    else {
      if (actualAllowed.size >= DECISION_CACHE_LIMIT) actualAllowed.clear();
      actualAllowed.set(origin, decision);
    }
    return decision;
  };

  const allowPreflight = (request: CorsRequest, origin: string): CorsDecision => {
    const headers: Record<string, string> = {
      'access-control-allow-origin': originDependent ? origin : '*',
    };
    if (v.credentials) headers['access-control-allow-credentials'] = 'true';
    headers['access-control-allow-methods'] = allowMethods;
    let reason: CorsRejectReason | undefined;
    const method = request.requestMethod as string;
    if (!isToken(method)) reason = 'invalid-request-method';
    else if (!methods.has(method) && !SAFELISTED_METHODS.has(method)) reason = 'method-not-allowed';
    const requested =
      request.requestHeaders === undefined
        ? NO_HEADERS
        : parseRequestHeaders(request.requestHeaders);
    if (requested === null) reason ??= 'invalid-request-headers';
    if (allowedHeaders !== undefined) {
      headers['access-control-allow-headers'] = allowHeaders as string;
      if (requested !== null && reason === undefined) {
        for (const name of requested) {
          if (!allowedHeaders.has(name)) {
            reason = 'header-not-allowed';
            break;
          }
        }
      }
    } else if (requested !== null && requested.length > 0) {
      headers['access-control-allow-headers'] = requested.join(',');
    }
    if (request.requestPrivateNetwork === 'true') {
      if (v.allowPrivateNetwork) headers['access-control-allow-private-network'] = 'true';
      else reason ??= 'private-network-not-allowed';
    }
    if (reason === undefined && maxAge !== undefined) headers['access-control-max-age'] = maxAge;
    headers.vary = varyPreflight;
    // An ended preflight has no body: say so, except on 204, where RFC 9110 §8.6 forbids the header.
    if (ended !== undefined && ended !== 204) headers['content-length'] = '0';
    const decision: CorsDecision = { kind: 'preflight', allowed: reason === undefined, headers };
    if (reason !== undefined) decision.reason = reason;
    if (ended !== undefined) decision.status = ended;
    return decision;
  };

  const decide = (
    request: CorsRequest,
    origin: string,
    allowed: boolean,
    exactHit = false,
  ): CorsDecision => {
    const decision = isPreflight(request)
      ? allowed
        ? allowPreflight(request, origin)
        : preflightRejected
      : allowed
        ? allowActual(origin, exactHit)
        : (refuseCrossOrigin(request, 'actual') ?? actualRejected);
    return report(decision, request);
  };
  const report = (decision: CorsDecision, request: CorsRequest): CorsDecision => {
    onDecision?.(decision, request);
    return decision;
  };
  // crossOriginProtection: an origin the policy does not allow may still not change state.
  const refuseCrossOrigin = (request: CorsRequest, kind: 'actual' | 'not-cors') =>
    protect && isUnsafeMethod(request.method) && isCrossOrigin(request)
      ? crossOriginRefusals[kind]
      : undefined;

  /** Whether `origin` is allowed, for an origin that is not one of the exact entries. */
  const allows = (request: CorsRequest, origin: string): boolean | Promise<boolean> => {
    if (others !== undefined || exact !== undefined) return others?.(origin) === true;
    if (originFn === undefined) return true;
    // An origin function never sees 'null' (allowed only when listed) nor a value that is not a
    // serialised origin, so whatever it returns, nothing unsafe is echoed.
    if (origin === 'null' || splitOrigin(origin) === null) return false;
    let verdict: boolean | Promise<boolean>;
    try {
      verdict = originFn(origin, request);
    } catch (error) {
      throw asError(error);
    }
    if (!isThenable(verdict)) return checkVerdict(verdict);
    return withTimeout(verdict, v.timeout).then(checkVerdict, (error: unknown) =>
      Promise.reject(asError(error)),
    );
  };

  const evaluate: Evaluate = (request) => {
    const origin = request.origin;
    if (hostAllowed !== undefined && !hostAllowed(request.host)) {
      const kind =
        origin === undefined ? 'not-cors' : isPreflight(request) ? 'preflight' : 'actual';
      return report(hostRefusal(kind, request.host), request);
    }
    if (origin === undefined)
      return report(refuseCrossOrigin(request, 'not-cors') ?? notCors, request);
    if (exact !== undefined) {
      const known = exact.get(origin);
      if (known === undefined) return decide(request, origin, others?.(origin) === true);
      if (known === null || isPreflight(request)) return decide(request, origin, true, true);
      return report(known, request);
    }
    const verdict = allows(request, origin);
    if (!isThenable(verdict)) return decide(request, origin, verdict);
    return verdict.then((allowed) => decide(request, origin, allowed));
  };

  // Browsers apply no CORS to WebSockets: the handshake itself is the only place to refuse one.
  const upgrade: Evaluate = (request) => {
    const origin = request.origin;
    if (hostAllowed !== undefined && !hostAllowed(request.host)) {
      return report(hostRefusal('websocket', request.host), request);
    }
    if (origin === undefined) return report(upgradeAllowed, request);
    const verdict = exact?.has(origin) === true || allows(request, origin);
    const settle = (allowed: boolean) => report(allowed ? upgradeAllowed : upgradeRefused, request);
    return isThenable(verdict) ? verdict.then(settle) : settle(verdict);
  };
  const upgradeAllowed = freeze({ kind: 'websocket', allowed: true, headers: {} });
  const upgradeRefused = freeze({
    kind: 'websocket',
    allowed: false,
    reason: 'origin-not-allowed',
    status: 403,
    headers: { vary: 'Origin', 'content-length': '0' },
  });

  return { evaluate, upgrade };
}

/**
 * Whether a request is a CORS preflight (Fetch §4.8: OPTIONS with `Access-Control-Request-Method`;
 * with an `Origin` too, or `evaluate` calls it not CORS). Adapters with per-route options use it
 * to look a preflight up by the method it asks for.
 */
export function isPreflight(request: Pick<CorsRequest, 'method' | 'requestMethod'>): boolean {
  return request.method === 'OPTIONS' && request.requestMethod !== undefined;
}

/**
 * Frameworks treat a falsy error as "no error" (`next(undefined)` carries on), so what an origin
 * function throws always reaches them as an object.
 */
function asError(error: unknown): unknown {
  if (typeof error === 'object' && error !== null) return error;
  return new Error(`@cors/core: the origin function threw ${String(error)}`, { cause: error });
}

function checkVerdict(verdict: unknown): boolean {
  if (typeof verdict === 'boolean') return verdict;
  throw new TypeError(
    `@cors/core: the origin function must return true or false (or a Promise of it), got ${typeof verdict}; ` +
      'to allow the request origin, return true instead of the origin string',
  );
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function withTimeout<T>(promise: Promise<T>, timeout: number | undefined): Promise<T> {
  if (timeout === undefined) return Promise.resolve(promise);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CorsTimeoutError(timeout)), timeout);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function freeze(decision: CorsDecision): CorsDecision {
  Object.freeze(decision.headers);
  return Object.freeze(decision);
}
