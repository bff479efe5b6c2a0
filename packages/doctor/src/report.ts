// The JSON schema of `cors-doctor --json` and of `diagnose()`. Stable: fields are only ever added,
// and `version` changes if one is removed or changes meaning. Documented in the README.
import type { BrowserCheck, BrowserNetworkError, CorsErrorCode } from '@cors/core';

/** Why a request is blocked (or, for `vary-missing`, at risk). Stable identifiers. */
export type DoctorCauseId =
  /** No `Access-Control-*` header at all: no CORS middleware on this route. */
  | 'cors-middleware-missing'
  /** A 401 or 403 without CORS headers: the auth check runs before the CORS middleware. */
  | 'cors-after-auth'
  /** A 404, 405 or 501 without CORS headers: routing answered before the CORS middleware. */
  | 'cors-after-routing'
  /** The server speaks CORS (`Vary: Origin`, other `Access-Control-*` headers) but not to this origin. */
  | 'origin-not-allowed'
  /** `Access-Control-Allow-Origin` names another origin (scheme, port, trailing slash, `www`...). */
  | 'origin-mismatch'
  /** `Access-Control-Allow-Origin` sent twice (app and proxy) or as a list. */
  | 'multiple-values'
  /** `Access-Control-Allow-Origin` is not an origin at all. */
  | 'invalid-origin-value'
  /** `Access-Control-Allow-Origin: *` on a request with credentials. */
  | 'wildcard-with-credentials'
  /** Credentials requested, `Access-Control-Allow-Credentials: true` missing. */
  | 'credentials-not-allowed'
  /** The preflight carries CORS headers but its status is not 2xx. */
  | 'preflight-status'
  /** The preflight was redirected (http to https, a trailing slash...). */
  | 'preflight-redirect'
  /** `Access-Control-Allow-Methods` or `-Headers` does not parse. */
  | 'invalid-allow-list'
  /** The method is missing from `Access-Control-Allow-Methods`. */
  | 'method-not-allowed'
  /** A request header is missing from `Access-Control-Allow-Headers`. */
  | 'header-not-allowed'
  /** An origin-specific response is cacheable without `Vary: Origin`: a cache will serve it to other origins. */
  | 'vary-missing'
  /** A redirect of the actual request carries no CORS headers: it is made before the CORS middleware. */
  | 'redirect-before-cors'
  /** A redirect to another origin made the request's `Origin` `null`, which the target does not allow. */
  | 'redirect-origin-null'
  /** More than 20 redirects (`net::ERR_TOO_MANY_REDIRECTS`): a redirect loop. */
  | 'redirect-loop'
  /** A redirect to where fetch() never goes: not http(s), a user name or password, a bad port, no valid `Location`. */
  | 'redirect-location'
  /** A redirect from an HTTPS page's request to plain http: blocked as mixed content. */
  | 'redirect-insecure'
  /** Not judged: the doctor could not reach a URL a redirect leads to. */
  | 'redirect-unreachable'
  /** Not judged: a redirect set a cookie that the browser may send on, and the doctor keeps none. */
  | 'redirect-cookie'
  /** A failure this version of the doctor has no explanation for (a newer `@cors/core`). */
  | 'unexplained';

/** The frameworks a fix is shown for. */
export type DoctorFramework = 'express' | 'koa' | 'fastify' | 'nestjs';

/** A request the doctor sent (or would send), exactly as on the wire. */
export interface DoctorSentRequest {
  method: string;
  url: string;
  /** Header names as sent. */
  headers: Record<string, string>;
  /** The same request as a `curl` command line. */
  curl: string;
}

/** A response as received. Header names lower-case; a field received more than once is an array. */
export interface DoctorResponse {
  status: number;
  statusText: string;
  headers: Record<string, string | string[]>;
}

/**
 * One exchange: a preflight or an actual request, with the browser model's verdict on it. A
 * followed redirect adds more: each new URL's preflight (when the browser sends one) and request.
 */
export interface DoctorStep {
  kind: 'preflight' | 'actual';
  /** Redirects followed before this request: 0 for the URL fetch() was called with. */
  hop: number;
  request: DoctorSentRequest;
  response: DoctorResponse;
  /** `checkPreflight` (preflight) or `checkResponse` (actual) of `@cors/core`. */
  check: BrowserCheck;
  /** The URL the browser went on to when it followed this response's redirect, else `null`. */
  redirectTo: string | null;
}

/** The diagnosis in plain words. */
export interface DoctorCause {
  id: DoctorCauseId;
  /** One line: what is wrong. */
  summary: string;
  /** Why, with the evidence from the responses. */
  detail: string;
  /** What to change, in plain words. */
  fix: string;
}

/** The fix as code for one framework. */
export interface DoctorFix {
  framework: DoctorFramework;
  /** The package that provides it, e.g. `'@cors/node'`. */
  package: string;
  /** The framework's display name, e.g. `'Express'`. */
  title: string;
  /** A complete snippet to paste. */
  code: string;
}

/** What `cors-doctor --json` prints and `diagnose()` resolves with. */
export interface DoctorReport {
  /** Schema version; 1 for this shape. */
  version: 1;
  /**
   * `'allowed'`: the page can read the response (possibly with a `vary-missing` cause as a
   * warning); `'blocked'`: the browser refuses it, `code` and `message` (or `networkError`) say
   * how; `'undetermined'`: the doctor could not check what the browser would get (a redirect to a
   * URL it cannot reach, or that depends on a cookie), and `cause` says why.
   */
  verdict: 'allowed' | 'blocked' | 'undetermined';
  /** What the page asked for. */
  request: {
    url: string;
    origin: string;
    /** The method as fetch() sends it (`delete`, `get`, `head`, `options`, `post`, `put` upper-cased). */
    method: string;
    /** Headers the script sets. */
    headers: Record<string, string>;
    /** `true` for `credentials: 'include'`. */
    credentials: boolean;
  };
  /** Whether the browser sends a preflight first. */
  preflight: boolean;
  /**
   * The exchanges made, in order: the preflight (when needed), then the actual request if the
   * preflight passed; then, for each redirect the browser follows, the new URL's preflight (when
   * needed) and request.
   */
  steps: DoctorStep[];
  /** Chromium's CORS error name when blocked by CORS, else `null`. */
  code: CorsErrorCode | null;
  /** The exact CORS console line Chromium prints ("Access to fetch at …") when blocked by CORS, else `null`. */
  message: string | null;
  /**
   * How fetch() fails when it is blocked without a CORS error (`code` and `message` are then
   * `null`): a `net::` error such as `'ERR_TOO_MANY_REDIRECTS'`, which Chromium prints as
   * `Failed to load resource: net::ERR_TOO_MANY_REDIRECTS`, or `'MixedContent'`. Else `null`.
   */
  networkError: BrowserNetworkError | null;
  /** The cause, or why the doctor could not judge; `null` when allowed and nothing is at risk. */
  cause: DoctorCause | null;
  /** The fix for each framework; empty when `cause` is `null` or its fix is not a CORS setting. */
  fixes: DoctorFix[];
}

/** What `cors-doctor --json` prints, and exits 2 with, when no answer could be obtained. */
export interface DoctorErrorReport {
  version: 1;
  verdict: 'error';
  error: {
    /** `'usage'` for bad arguments; otherwise how the network failed. */
    kind: 'usage' | ProbeErrorKind;
    message: string;
  };
}

/** How a request failed before any response arrived. */
export type ProbeErrorKind = 'dns' | 'refused' | 'timeout' | 'tls' | 'reset' | 'network';
