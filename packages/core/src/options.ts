/**
 * The request facts a CORS decision depends on: the method and the raw values of the four request
 * headers, exactly as received (never trimmed or normalised by the adapter).
 *
 * @typeParam N - the framework's own request object, handed to origin functions and hooks.
 */
export interface CorsRequest<N = unknown> {
  /** The HTTP method of the request, e.g. `'OPTIONS'`. */
  method: string;
  /** The raw `Origin` header; `undefined` when absent (not a CORS request). */
  origin?: string | undefined;
  /** The raw `Access-Control-Request-Method` header. */
  requestMethod?: string | undefined;
  /** The raw `Access-Control-Request-Headers` header. */
  requestHeaders?: string | undefined;
  /** The raw `Access-Control-Request-Private-Network` header. */
  requestPrivateNetwork?: string | undefined;
  /** The raw `Host` header (HTTP/2: `:authority`), read by `allowedHosts` and `crossOriginProtection`. */
  host?: string | undefined;
  /** The raw `Sec-Fetch-Site` header, read by `crossOriginProtection`. */
  secFetchSite?: string | undefined;
  /** The framework's request (`IncomingMessage`, Koa `ctx`, Fastify `request`), for your functions. */
  native?: N;
}

/**
 * An entry of the `origin` option:
 * - an exact origin: `'https://app.example.com'` (normalised at start-up; no path, no trailing slash);
 * - a pattern: `'https://*.example.com'` (any subdomain depth, not the apex) or
 *   `'http://localhost:*'` (any port);
 * - an anchored RegExp: `/^https:\/\/(?:a|b)\.example\.com$/` (no `g` or `y` flag).
 */
export type OriginEntry = string | RegExp;

/**
 * Decides an origin at request time. Return (or resolve to) `true` to allow it. If it throws or
 * rejects, the error goes to the framework's error handling: the origin is never allowed.
 */
export type OriginFunction<N = unknown> = (
  origin: string,
  request: CorsRequest<N>,
) => boolean | Promise<boolean>;

/** Why a CORS request was refused; stable strings, meant for logs and metrics. */
export type CorsRejectReason =
  | 'origin-not-allowed'
  | 'method-not-allowed'
  | 'header-not-allowed'
  | 'invalid-request-method'
  | 'invalid-request-headers'
  | 'private-network-not-allowed'
  /** `crossOriginProtection`: an unsafe method from another origin that `origin` does not allow. */
  | 'cross-origin-request-refused'
  /** `allowedHosts`: the `Host` header is absent, malformed or not listed. */
  | 'host-not-allowed';

/**
 * What `policy.evaluate()` decided for one request.
 *
 * Adapters write every entry of `headers` (merging `vary` with what is already set), then end the
 * response with `status` when it is present (an answered preflight), or hand the request on.
 */
export interface CorsDecision {
  /**
   * `'preflight'`: OPTIONS with `Origin` and `Access-Control-Request-Method`; `'not-cors'`: no
   * `Origin`; `'websocket'`: a WebSocket upgrade, from `policy.evaluateUpgrade`.
   */
  kind: 'preflight' | 'actual' | 'not-cors' | 'websocket';
  /**
   * Whether the browser will be allowed what it asked. `true` for `'not-cors'` unless
   * `allowedHosts` or `crossOriginProtection` refused the request.
   */
  allowed: boolean;
  /** Machine-readable cause when `allowed` is `false`. */
  reason?: CorsRejectReason;
  /**
   * Headers to set, lower-case names. `vary` must be merged with an existing `Vary`, never replace
   * it. Under `origin: '*'`, a `'not-cors'` answer carries `access-control-allow-origin: *` too.
   */
  headers: Readonly<Record<string, string>>;
  /**
   * Present when the middleware must end the response now, with this status: an answered
   * preflight, or a request refused by `allowedHosts` or `crossOriginProtection`.
   */
  status?: number;
  /** A plain-text body to end the response with (a refusal's explanation), when `status` is set. */
  body?: string;
}

/** A start-up warning: the configuration works but is probably not what you want. */
export interface CorsWarning {
  /** Stable identifier, e.g. `'max-age-above-chromium-cap'`. */
  code: string;
  /** The option it is about. */
  option: string;
  /** What is wrong and what to do instead. */
  message: string;
}

/**
 * CORS options. The names and meanings of the `cors` package's options are kept, so migrating is
 * renaming an import; what `cors` allowed silently but is unsafe is a start-up error here.
 *
 * @example
 * ```ts
 * const policy = createCorsPolicy({
 *   origin: ['https://app.example.com', 'https://*.preview.example.com'],
 *   credentials: true,
 *   maxAge: 600,
 * });
 * ```
 */
export interface CorsOptions<N = unknown> {
  /**
   * Which origins may read responses. Required: there is no silent default.
   *
   * - `'*'`: any origin, without credentials.
   * - an exact origin, a pattern or an anchored RegExp, or an array of them (see {@link OriginEntry});
   * - a function `(origin, request) => boolean | Promise<boolean>`.
   *
   * `'null'` is allowed only when listed explicitly (start-up warns). `true` (reflect any origin)
   * is refused: it is `'*'` with credentials in disguise.
   */
  origin: '*' | OriginEntry | readonly OriginEntry[] | OriginFunction<N>;
  /**
   * Methods a preflight may ask for; a list or a comma-separated string. Compared case-sensitively,
   * as browsers do (`patch` is not `PATCH`).
   * @default ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE']
   */
  methods?: string | readonly string[];
  /**
   * Request headers a preflight may ask for; compared case-insensitively. When omitted, the
   * requested names are allowed (as in `cors`); `'*'` does the same explicitly.
   * @default the names the preflight requests
   * @example ['Content-Type', 'Authorization']
   */
  allowedHeaders?: '*' | string | readonly string[];
  /**
   * Response headers the page's script may read, sent on actual responses only. `'*'` (not with
   * credentials) exposes all. `Set-Cookie` can never be exposed.
   * @default none
   */
  exposedHeaders?: '*' | string | readonly string[];
  /**
   * Send `Access-Control-Allow-Credentials: true` (cookies, HTTP auth), to allowed origins only.
   * Not with `origin: '*'`.
   * @default false
   */
  credentials?: boolean;
  /**
   * Seconds a browser may cache a preflight's answer (`Access-Control-Max-Age`). `0` is sent.
   * Chromium caps it at 7200, Firefox at 86400.
   * @default not sent (browsers use 5 seconds)
   */
  maxAge?: number;
  /**
   * Hand preflights on to the application instead of answering them.
   * @default false
   */
  preflightContinue?: boolean;
  /**
   * Status of an answered preflight; 200-299. 204 comes with `Content-Length: 0`.
   * @default 204
   */
  optionsSuccessStatus?: number;
  /**
   * Answer `Access-Control-Request-Private-Network: true` with
   * `Access-Control-Allow-Private-Network: true` (Chromium's Private Network Access), for allowed
   * origins only.
   * @default false
   */
  allowPrivateNetwork?: boolean;
  /**
   * Milliseconds an async origin function or async options may take before the request fails with
   * a `CorsTimeoutError` (handed to the framework's error handling).
   * @default no limit
   */
  timeout?: number;
  /**
   * Refuse (403, before the application runs) a request with an unsafe method (anything but GET,
   * HEAD, OPTIONS) that a browser sent from another origin, unless `origin` allows that origin:
   * the cross-site `<form method=post>` and simple `fetch()` that CORS lets through. "Another
   * origin": `Sec-Fetch-Site` is `cross-site` or `same-site`, or, without it, an `Origin` whose
   * host is not the request's `Host`. Same-origin requests, requests with neither header (curl,
   * webhooks, servers) and GET/HEAD/OPTIONS pass. It does not protect GET handlers with side
   * effects. The decision's reason is `'cross-origin-request-refused'`.
   * @default false
   * @example crossOriginProtection: true
   */
  crossOriginProtection?: boolean;
  /**
   * Host names this server answers to: a request whose `Host` is absent or not listed is refused
   * (403, before the application runs, with a body naming the host to add), which stops DNS
   * rebinding. Exact names or `*.example.com` (any subdomain depth, not the apex), each with an
   * optional port (without one, any port). The decision's reason is `'host-not-allowed'`.
   * @default not checked
   * @example allowedHosts: ['localhost', '127.0.0.1', '[::1]'] // a local dev or MCP server
   */
  allowedHosts?: readonly string[];
  /** Called with every decision, for logging and metrics. */
  onDecision?: (decision: CorsDecision, request: CorsRequest<N>) => void;
  /**
   * Receives start-up warnings.
   * @default console.warn
   */
  onWarning?: (warning: CorsWarning) => void;
}

/**
 * Options, or a function of the request that returns them (sync or async) for per-request
 * configuration. Each distinct result is compiled once and cached.
 */
export type CorsOptionsInput<N = unknown> =
  | CorsOptions<N>
  | ((request: CorsRequest<N>) => CorsOptions<N> | Promise<CorsOptions<N>>);

/** A validated, compiled configuration. */
export interface CorsPolicy<N = unknown> {
  /**
   * Decides one request. Synchronous unless an async origin function or async options are
   * configured; throws (or rejects) only when your origin function or options function does.
   */
  evaluate(request: CorsRequest<N>): CorsDecision | Promise<CorsDecision>;
  /**
   * Decides a WebSocket upgrade, which browsers send from any origin with no CORS at all: an
   * `Origin` that `origin` does not allow (`'null'` included, unless listed) is refused with 403;
   * an allowed or absent one proceeds (kind `'websocket'`). `allowedHosts` applies too.
   */
  evaluateUpgrade(request: CorsRequest<N>): CorsDecision | Promise<CorsDecision>;
}
