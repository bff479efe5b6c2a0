export {
  checkPreflight,
  checkResponse,
  followRedirect,
  needsPreflight,
  type PreflightRequestHeaders,
  preflightCacheSeconds,
  preflightRequestHeaders,
} from './browser/index.js';
export type {
  BrowserCheck,
  BrowserNetworkError,
  BrowserRedirect,
  BrowserRedirectState,
  BrowserRequest,
  BrowserResponse,
  CorsErrorCode,
} from './browser/types.js';
export { type CorsEnvOptions, corsOptionsFromEnv } from './env.js';
export {
  type IncomingHeaders,
  mergeVary,
  readCorsRequest,
  type VaryValue,
  writeDecisionHeaders,
} from './headers.js';
export type {
  CorsDecision,
  CorsOptions,
  CorsOptionsInput,
  CorsPolicy,
  CorsRejectReason,
  CorsRequest,
  CorsWarning,
  OriginEntry,
  OriginFunction,
} from './options.js';
export {
  type CachedOriginFunction,
  type OriginCacheOptions,
  type OriginCacheStats,
  type OriginLoader,
  OriginLoadTimeoutError,
  originCache,
} from './origin-cache.js';
export {
  CorsTimeoutError,
  createCorsPolicy,
  isPreflight,
  optionsTimeout,
} from './policy.js';
export { CorsConfigError, type CorsConfigIssue, closestName } from './validate.js';
