import type {
  BrowserRequest,
  CorsDecision,
  CorsErrorCode,
  CorsOptions,
  CorsRejectReason,
} from '@cors/core';
import type { RawHeaders, RawResponse } from './http.js';

/** A server started by a {@link StartServer} factory. */
export interface StartedServer {
  /** Where it listens: `http://127.0.0.1:PORT`. */
  url: string;
  /** Stops it; resolves once the port is released. */
  close(): Promise<void>;
}

/**
 * Starts the framework with the adapter configured with `options`, on 127.0.0.1 port 0, and the
 * routes every adapter registers (see the README): `/resource`, `/error`, `/private`, and `/scoped`
 * (governed by `extras.scoped`) on frameworks with per-route configuration. An invalid
 * configuration rejects with the `CorsConfigError`.
 */
export type StartServer = (
  options: CorsOptions,
  extras?: { scoped?: CorsOptions | false },
) => Promise<StartedServer>;

/** The request a scenario sends: method and target as given, headers byte for byte. */
export interface ScenarioRequest {
  method: string;
  path: string;
  /** A record, or `[name, value]` pairs to repeat a header. */
  headers: RawHeaders;
  body?: string;
}

/** What must hold for the response. Header names are case-insensitive. */
export interface ResponseExpectation {
  status?: number;
  headersPresent?: readonly string[];
  headersAbsent?: readonly string[];
  /** Exact values; a header sent more than once never equals anything. */
  headersEqual?: Readonly<Record<string, string>>;
  /** Names `Vary` must list (case-insensitive tokens, over every `Vary` line). */
  varyIncludes?: readonly string[];
  /** Names `Vary` must not list (it may be absent). */
  varyExcludes?: readonly string[];
  /** Whether the route's handler produced the response (`X-Handler: resource`, or its body). */
  handlerRan?: boolean;
  body?: string;
  /** What the policy decided, as reported to the `onDecision` hook. */
  decision?: {
    kind?: CorsDecision['kind'];
    allowed?: boolean;
    reason?: CorsRejectReason;
  };
  /** Start-up must warn (through `onWarning`) about this option or one of its entries (`origin[0]`). */
  warnsAbout?: string;
}

/** The browser's side: the `fetch()` that led to the request, and what Chromium concludes. */
export interface BrowserExpectation {
  /** The script's request; the URL and the page's origin come from the scenario's request. */
  request: Pick<BrowserRequest, 'method' | 'headers' | 'credentials'>;
  verdict: 'allowed' | 'blocked';
  /** Chromium's CorsError when blocked. */
  code?: CorsErrorCode;
}

interface ScenarioBase {
  /** Stable identifier, dot-separated by topic: `'origin.exact.reflects'`. */
  id: string;
  /** The requirement, as a sentence: `'MUST reflect an allowed exact origin ...'`. */
  name: string;
  level: 'MUST' | 'SHOULD';
  /**
   * Where the requirement comes from: a Fetch standard URL, a web-platform-tests path,
   * `'DESIGN.md: <row>'`, or a peer's issue URL.
   */
  source: string | readonly string[];
  /** The options the server is started with. */
  options: CorsOptions;
  /** Options of `/scoped` (`false`: CORS off there); only with `perRoute: true`. */
  scoped?: CorsOptions | false;
  /** Needs per-route configuration; generated only when the run asks for it. */
  perRoute?: true;
}

/** A scenario that sends a request and checks the response. */
export interface RequestScenario extends ScenarioBase {
  request: ScenarioRequest;
  /** Send the request this many times; every response must satisfy `expect` (statelessness). */
  repeat?: number;
  expect: ResponseExpectation;
  browser?: BrowserExpectation;
}

/** A scenario whose options must be refused at start-up with a `CorsConfigError`. */
export interface ConfigErrorScenario extends ScenarioBase {
  request?: undefined;
  expect: { configError: true };
}

export type Scenario = RequestScenario | ConfigErrorScenario;

/** The outcome of one scenario. */
export interface ScenarioResult {
  scenario: Scenario;
  pass: boolean;
  /** Readable lines, one per unmet expectation. Empty when `pass`. */
  failures: string[];
  /** The last response received, for diagnosis. */
  response?: RawResponse;
}
