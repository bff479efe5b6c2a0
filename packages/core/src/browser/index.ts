export { checkPreflight, checkResponse } from './checks.js';
export {
  needsPreflight,
  type PreflightRequestHeaders,
  preflightRequestHeaders,
} from './safelist.js';
