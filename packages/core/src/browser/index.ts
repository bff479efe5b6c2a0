export { checkPreflight, checkResponse, preflightCacheSeconds } from './checks.js';
export { followRedirect } from './redirect.js';
export {
  needsPreflight,
  type PreflightRequestHeaders,
  preflightRequestHeaders,
} from './safelist.js';
