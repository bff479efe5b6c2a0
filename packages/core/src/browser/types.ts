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
  | 'PreflightInvalidAllowPrivateNetwork';

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
