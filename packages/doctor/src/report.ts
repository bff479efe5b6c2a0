// The JSON schema of `cors-doctor --json` and of `diagnose()`. Stable: fields are only ever added,
// and `version` changes if one is removed or changes meaning. Documented in the README.
import type { BrowserCheck, CorsErrorCode } from '@cors/core';

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

/** One exchange: the preflight or the actual request, with the browser model's verdict on it. */
export interface DoctorStep {
  kind: 'preflight' | 'actual';
  request: DoctorSentRequest;
  response: DoctorResponse;
  /** `checkPreflight` (preflight) or `checkResponse` (actual) of `@cors/core`. */
  check: BrowserCheck;
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
   * warning); `'blocked'`: the browser refuses it, `code` and `message` say how.
   */
  verdict: 'allowed' | 'blocked';
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
  /** The exchanges made, in order: the preflight (when needed), then the actual request if the preflight passed. */
  steps: DoctorStep[];
  /** Chromium's CORS error name when blocked, else `null`. */
  code: CorsErrorCode | null;
  /** The exact console line Chromium prints when blocked, else `null`. */
  message: string | null;
  /** The cause; `null` when allowed and nothing is at risk. */
  cause: DoctorCause | null;
  /** The fix for each framework; empty when `cause` is `null`. */
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
