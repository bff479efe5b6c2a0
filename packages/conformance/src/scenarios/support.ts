import type { RawHeaders } from '../http.js';
import type { ScenarioRequest } from '../types.js';

/** The page origins the scenarios play. */
export const APP = 'https://app.example.com';
export const ADMIN = 'https://admin.example.com';
export const PARTNER = 'https://partner.example.org';
export const EVIL = 'https://evil.example.net';

/** `methods` when not configured, as core joins it. */
export const DEFAULT_METHODS = 'GET,HEAD,PUT,PATCH,POST,DELETE';

/** Every `Access-Control-Allow-*` response header: a refusal carries none of them. */
export const ALLOW_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-allow-private-network',
] as const;

/** Headers only a preflight answer carries. */
export const PREFLIGHT_ONLY_HEADERS = [
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'access-control-allow-private-network',
] as const;

/** A section of the Fetch standard. */
export const fetchSpec = (anchor: string) => `https://fetch.spec.whatwg.org/#${anchor}`;

/** The rows of DESIGN.md's decided-semantics table (its first column, without backticks). */
export type DesignRow =
  | 'no origin option'
  | "origin: '*'"
  | "'*' with credentials: true"
  | 'reflect any origin (origin: true)'
  | 'exact origins'
  | 'request Origin'
  | 'wildcard patterns'
  | 'RegExp'
  | "'null' origin"
  | 'origin function'
  | 'request without Origin'
  | 'disallowed origin, actual request'
  | 'OPTIONS without Access-Control-Request-Method'
  | 'preflight'
  | 'methods'
  | 'allowed headers'
  | 'exposed headers'
  | 'maxAge'
  | 'Access-Control-Allow-Credentials'
  | 'Vary'
  | 'private network'
  | 'error responses'
  | 'options compatible with cors';

export const design = (row: DesignRow) => `DESIGN.md: ${row}`;

/** A simple (non-preflight) request, optionally from `origin`. */
export function simple(
  method: string,
  path: string,
  origin?: string,
  extra: Record<string, string> = {},
): ScenarioRequest {
  return { method, path, headers: origin === undefined ? extra : { origin, ...extra } };
}

/** A preflight from `origin` asking for `method` (and `requestHeaders`, as the browser lists them). */
export function preflight(
  origin: string,
  method: string,
  requestHeaders?: string,
  path = '/resource',
  extra: Record<string, string> = {},
): ScenarioRequest {
  const headers: Record<string, string> = {
    origin,
    'access-control-request-method': method,
    ...extra,
  };
  if (requestHeaders !== undefined) headers['access-control-request-headers'] = requestHeaders;
  return { method: 'OPTIONS', path, headers };
}

/** Headers given as pairs, to send one of them twice. */
export const pairs = (...list: Array<readonly [string, string]>): RawHeaders => list;
