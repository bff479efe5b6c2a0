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
export { createCorsPolicy, CorsTimeoutError } from './policy.js';
export { CorsConfigError, type CorsConfigIssue } from './validate.js';
export { mergeVary } from './headers.js';
export { corsOptionsFromEnv, type CorsEnvOptions } from './env.js';
export { checkPreflight, checkResponse, needsPreflight } from './browser/index.js';
export type { BrowserCheck, BrowserRequest, BrowserResponse, CorsErrorCode } from './browser/types.js';
