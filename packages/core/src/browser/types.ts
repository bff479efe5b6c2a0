/** A request as a page's `fetch()` would make it, for the browser model. */
export interface BrowserRequest {
  /** Absolute URL fetched, e.g. `'https://api.example.com/items'`. */
  url: string;
  /** The page's origin, serialised, e.g. `'https://app.example.com'`. */
  origin: string;
  /** Method as the script wrote it (the browser upper-cases `get`, `post`... but not `patch`). */
  method: string;
  /** Request headers the script set (names in any case). */
  headers?: Readonly<Record<string, string>>;
  /** `fetch`'s credentials mode. @default 'same-origin' */
  credentials?: 'omit' | 'same-origin' | 'include';
  /**
   * What redirects did to the request: set on the requests {@link followRedirect} returns, absent
   * on the one fetch() starts with.
   */
  redirect?: BrowserRedirectState;
}

/** The request's state after one or more redirects (Fetch's HTTP-redirect fetch). */
export interface BrowserRedirectState {
  /**
   * The URL fetch() was called with. Chromium names it in its messages:
   * `Access to fetch at '<url>' (redirected from '<initialUrl>') from origin …`.
   */
  initialUrl: string;
  /** Redirects followed so far: 1 on the request after the first redirect. Chromium follows 20. */
  count: number;
  /**
   * Fetch's tainted origin flag: a redirect went from a cross-origin URL to another origin. The
   * request then carries `Origin: null`, so `Access-Control-Allow-Origin` must be `*` (without
   * credentials) or `null`; the page's origin no longer matches.
   */
  taintedOrigin: boolean;
}

/** The response the browser received. Header names in any case; repeated headers as arrays. */
export interface BrowserResponse {
  status: number;
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** Chromium's `network::mojom::CorsError` names that the model can produce. */
export type CorsErrorCode =
  | 'DisallowedByMode'
  | 'InvalidResponse'
  | 'WildcardOriginNotAllowed'
  | 'MissingAllowOriginHeader'
  | 'MultipleAllowOriginValues'
  | 'InvalidAllowOriginValue'
  | 'AllowOriginMismatch'
  | 'InvalidAllowCredentials'
  | 'PreflightInvalidStatus'
  | 'PreflightDisallowedRedirect'
  | 'PreflightWildcardOriginNotAllowed'
  | 'PreflightMissingAllowOriginHeader'
  | 'PreflightMultipleAllowOriginValues'
  | 'PreflightInvalidAllowOriginValue'
  | 'PreflightAllowOriginMismatch'
  | 'PreflightInvalidAllowCredentials'
  | 'InvalidAllowMethodsPreflightResponse'
  | 'InvalidAllowHeadersPreflightResponse'
  | 'MethodDisallowedByPreflightResponse'
  | 'HeaderDisallowedByPreflightResponse'
  | 'PreflightMissingAllowPrivateNetwork'
  | 'PreflightInvalidAllowPrivateNetwork'
  | 'RedirectContainsCredentials'
  | 'CorsDisabledScheme';

/**
 * How fetch() fails when it fails without a CORS error, so Chromium prints no "Access to fetch"
 * line: a `net::` error (`Failed to load resource: net::ERR_…` in the console), or a request the
 * renderer refuses to make: `'MixedContent'` ("Mixed Content: The page at '…' was loaded over
 * HTTPS, but requested an insecure resource '…'. This request has been blocked; …") and
 * `'LocalResource'` ("Not allowed to load local resource: …").
 */
export type BrowserNetworkError =
  /** A 21st redirect. */
  | 'ERR_TOO_MANY_REDIRECTS'
  /** A `Location` that is not a URL. */
  | 'ERR_INVALID_REDIRECT'
  /** Two different `Location` fields. */
  | 'ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION'
  /** A redirect to `data:`, `file:`, `blob:`, `about:`, `chrome:`... */
  | 'ERR_UNSAFE_REDIRECT'
  /** A redirect to `ws:` or `wss:`. */
  | 'ERR_UNKNOWN_URL_SCHEME'
  /** A redirect to a port browsers never connect to (https://fetch.spec.whatwg.org/#bad-port). */
  | 'ERR_UNSAFE_PORT'
  | 'MixedContent'
  | 'LocalResource';

/** What Chromium does with a response of the actual request: {@link followRedirect}. */
export type BrowserRedirect =
  /** Not a redirect fetch() follows (not 301, 302, 303, 307, 308, or no `Location`): the response is the final one. */
  | { kind: 'final' }
  /** Chromium follows it with `request` (preflighted first when `needsPreflight(request)`). */
  | { kind: 'follow'; request: BrowserRequest }
  /** fetch() fails with a CORS error; `check.message` is Chromium's console line. */
  | { kind: 'blocked'; check: Extract<BrowserCheck, { ok: false }> }
  /** fetch() fails without a CORS error; `url` is the URL Chromium's console names. */
  | { kind: 'failed'; error: BrowserNetworkError; url: string };

/** The outcome of one browser check. */
export type BrowserCheck =
  | { ok: true }
  | {
      ok: false;
      /** Chromium's CorsError name. */
      code: CorsErrorCode;
      /** The whole console line Chromium prints, `Access to fetch at '…' from origin '…' has been blocked by CORS policy: …`. */
      message: string;
    };
