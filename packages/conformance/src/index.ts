export {
  headerValues,
  type RawHeaders,
  type RawRequest,
  type RawResponse,
  rawRequest,
} from './http.js';
export {
  type ConformanceSession,
  createConformanceSession,
  formatResult,
  type RunOptions,
  runConformance,
  selectScenarios,
} from './runner.js';
export { scenarios } from './scenarios/index.js';
export type {
  BrowserExpectation,
  ConfigErrorScenario,
  RequestScenario,
  ResponseExpectation,
  Scenario,
  ScenarioRequest,
  ScenarioResult,
  StartedServer,
  StartServer,
} from './types.js';
