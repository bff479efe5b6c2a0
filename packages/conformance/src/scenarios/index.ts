import type { Scenario } from '../types.js';
import { cachingScenarios } from './caching.js';
import { configScenarios } from './config.js';
import { errorScenarios } from './errors.js';
import { listScenarios } from './lists.js';
import { originScenarios } from './origins.js';
import { preflightScenarios } from './preflight.js';
import { protectionScenarioTable } from './protection.js';
import { requestScenarios } from './requests.js';
import { scopedScenarios } from './scoped.js';
import { securityScenarios } from './security.js';

/**
 * Every scenario of the suite, grouped by topic. Data only: pass it to `runConformance` (or filter
 * it first) to prove a server; each one names its requirement, its level and its source.
 */
export const scenarios: readonly Scenario[] = [
  ...configScenarios,
  ...originScenarios,
  ...requestScenarios,
  ...preflightScenarios,
  ...listScenarios,
  ...cachingScenarios,
  ...errorScenarios,
  ...scopedScenarios,
  ...securityScenarios,
  ...protectionScenarioTable,
];
