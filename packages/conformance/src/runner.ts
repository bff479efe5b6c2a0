import {
  type BrowserRequest,
  type CorsDecision,
  type CorsOptions,
  type CorsWarning,
  checkPreflight,
  checkResponse,
  needsPreflight,
} from '@cors/core';
import { headerValues, type RawHeaders, type RawResponse, rawRequest } from './http.js';
import { scenarios as allScenarios } from './scenarios/index.js';
import type {
  RequestScenario,
  Scenario,
  ScenarioResult,
  StartedServer,
  StartServer,
} from './types.js';

/** Which scenarios to run, and how. */
export interface RunOptions {
  /**
   * Keep only some scenarios: a predicate, a RegExp tested against the id, or an id prefix
   * (`'preflight.'`).
   * @default every scenario
   */
  filter?: ((scenario: Scenario) => boolean) | RegExp | string;
  /**
   * Include the `/scoped` scenarios, for frameworks with per-route configuration.
   * @default false
   */
  perRoute?: boolean;
  /**
   * Milliseconds each request may take.
   * @default 5000
   */
  timeout?: number;
}

/** Runs scenarios one at a time against servers it starts on demand and shares. */
export interface ConformanceSession {
  run(scenario: Scenario): Promise<ScenarioResult>;
  /** Closes every server the session started. */
  close(): Promise<void>;
}

/** The scenarios a run with these options includes, in table order. */
export function selectScenarios(options: RunOptions = {}): Scenario[] {
  const { filter, perRoute = false } = options;
  return allScenarios.filter((scenario) => {
    if (scenario.perRoute && !perRoute) return false;
    if (filter === undefined) return true;
    if (typeof filter === 'function') return filter(scenario);
    if (typeof filter === 'string') return scenario.id.startsWith(filter);
    // `search` ignores and restores lastIndex, so even a /g filter is stable.
    return scenario.id.search(filter) !== -1;
  });
}

/**
 * Proves a server against the conformance scenarios.
 *
 * One server is started per distinct `(options, scoped)` pair (by identity) and closed at the end;
 * scenarios run one after another. Nothing here depends on a test framework.
 *
 * @example
 * ```ts
 * const results = await runConformance(start, { perRoute: true });
 * for (const r of results.filter((r) => !r.pass)) console.log(formatResult(r));
 * ```
 */
export async function runConformance(
  start: StartServer,
  options: RunOptions = {},
): Promise<ScenarioResult[]> {
  const session = createConformanceSession(start, options);
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of selectScenarios(options)) results.push(await session.run(scenario));
  } finally {
    await session.close();
  }
  return results;
}

interface ServerRecord {
  started: Promise<StartedServer>;
  decisions: CorsDecision[];
  warnings: CorsWarning[];
}

/** A session whose servers are started lazily, the first time a scenario needs them. */
export function createConformanceSession(
  start: StartServer,
  options: Pick<RunOptions, 'timeout'> = {},
): ConformanceSession {
  const timeout = options.timeout ?? 5000;
  const servers = new Map<CorsOptions, Map<CorsOptions | false | undefined, ServerRecord>>();

  const serverFor = (scenario: Scenario): ServerRecord => {
    let byScoped = servers.get(scenario.options);
    if (!byScoped) {
      byScoped = new Map();
      servers.set(scenario.options, byScoped);
    }
    let record = byScoped.get(scenario.scoped);
    if (!record) {
      const decisions: CorsDecision[] = [];
      const warnings: CorsWarning[] = [];
      const observe = (o: CorsOptions): CorsOptions => ({
        ...o,
        onDecision: (decision, request) => {
          decisions.push(decision);
          o.onDecision?.(decision, request);
        },
        onWarning: (warning) => {
          warnings.push(warning);
          o.onWarning?.(warning);
        },
      });
      const extras =
        scenario.scoped === undefined
          ? undefined
          : { scoped: scenario.scoped === false ? (false as const) : observe(scenario.scoped) };
      const started = Promise.resolve().then(() => start(observe(scenario.options), extras));
      started.catch(() => {}); // observed by each scenario that awaits it
      record = { started, decisions, warnings };
      byScoped.set(scenario.scoped, record);
    }
    return record;
  };

  return {
    run: (scenario) =>
      scenario.request === undefined
        ? runConfigError(scenario, serverFor(scenario))
        : runRequest(scenario, serverFor(scenario), timeout),
    async close() {
      const records = [...servers.values()].flatMap((byScoped) => [...byScoped.values()]);
      servers.clear();
      await Promise.allSettled(
        records.map(async (record) => {
          const server = await record.started.catch(() => undefined);
          await server?.close();
        }),
      );
    },
  };
}

async function runConfigError(scenario: Scenario, record: ServerRecord): Promise<ScenarioResult> {
  try {
    await record.started;
  } catch (error) {
    const name = (error as Error | undefined)?.name;
    const failures =
      name === 'CorsConfigError'
        ? []
        : [
            `expected start() to reject with a CorsConfigError but it rejected with ${describeError(error)}`,
          ];
    return { scenario, pass: failures.length === 0, failures };
  }
  return {
    scenario,
    pass: false,
    failures: ['expected start() to reject with a CorsConfigError but the server started'],
  };
}

async function runRequest(
  scenario: RequestScenario,
  record: ServerRecord,
  timeout: number,
): Promise<ScenarioResult> {
  let server: StartedServer;
  try {
    server = await record.started;
  } catch (error) {
    return {
      scenario,
      pass: false,
      failures: [`expected the server to start but start() rejected with ${describeError(error)}`],
    };
  }
  const failures: string[] = [];
  const times = scenario.repeat ?? 1;
  let response: RawResponse | undefined;
  for (let attempt = 1; attempt <= times; attempt++) {
    const label = times > 1 ? `request ${attempt} of ${times}: ` : '';
    const seen = record.decisions.length;
    try {
      response = await rawRequest(server.url, { ...scenario.request, timeout });
    } catch (error) {
      failures.push(`${label}${(error as Error).message}`);
      break;
    }
    const decision = record.decisions.slice(seen).at(-1);
    const found = [
      ...checkExpectations(scenario, response, decision, record.warnings),
      ...checkInvariants(response),
      ...checkBrowser(scenario, server.url, response),
    ];
    failures.push(...found.map((line) => label + line));
  }
  return { scenario, pass: failures.length === 0, failures, ...(response ? { response } : {}) };
}

const HANDLER_BODIES = new Set(['ok', 'secret', 'scoped']);

function checkExpectations(
  scenario: RequestScenario,
  response: RawResponse,
  decision: CorsDecision | undefined,
  warnings: readonly CorsWarning[],
): string[] {
  const expect = scenario.expect;
  const failures: string[] = [];
  if (expect.status !== undefined && response.status !== expect.status) {
    failures.push(`expected status ${expect.status} but it was ${response.status}`);
  }
  for (const name of expect.headersPresent ?? []) {
    if (headerValues(response, name).length === 0) {
      failures.push(`expected header ${name.toLowerCase()} to be present but it was absent`);
    }
  }
  for (const name of expect.headersAbsent ?? []) {
    const values = headerValues(response, name);
    if (values.length > 0) {
      failures.push(
        `expected header ${name.toLowerCase()} to be absent but it was ${quoteAll(values)}`,
      );
    }
  }
  for (const [name, expected] of Object.entries(expect.headersEqual ?? {})) {
    const values = headerValues(response, name);
    const prefix = `expected header ${name.toLowerCase()} to equal ${quote(expected)} but it was`;
    if (values.length === 0) failures.push(`${prefix} absent`);
    else if (values.length > 1)
      failures.push(`${prefix} sent ${values.length} times: ${quoteAll(values)}`);
    else if (values[0] !== expected) failures.push(`${prefix} ${quote(values[0]!)}`);
  }
  if (expect.varyIncludes) {
    const vary = headerValues(response, 'vary');
    const tokens = new Set(varyTokens(vary).map((t) => t.toLowerCase()));
    for (const name of expect.varyIncludes) {
      if (!tokens.has(name.toLowerCase())) {
        const actual = vary.length === 0 ? 'absent' : quoteAll(vary);
        failures.push(`expected Vary to include ${quote(name)} but it was ${actual}`);
      }
    }
  }
  for (const name of expect.varyExcludes ?? []) {
    const vary = headerValues(response, 'vary');
    if (varyTokens(vary).some((token) => token.toLowerCase() === name.toLowerCase())) {
      failures.push(`expected Vary not to include ${quote(name)} but it was ${quoteAll(vary)}`);
    }
  }
  if (expect.handlerRan !== undefined) {
    const ran =
      headerValues(response, 'x-handler').includes('resource') || HANDLER_BODIES.has(response.body);
    if (ran !== expect.handlerRan) {
      const what = `(status ${response.status}, body ${quote(truncate(response.body))})`;
      failures.push(
        expect.handlerRan
          ? `expected the route's handler to run but it did not ${what}`
          : `expected the route's handler not to run but it did ${what}`,
      );
    }
  }
  if (expect.body !== undefined && response.body !== expect.body) {
    failures.push(
      `expected body ${quote(expect.body)} but it was ${quote(truncate(response.body))}`,
    );
  }
  if (expect.decision) {
    if (!decision) {
      failures.push('expected onDecision to be called for the request but it was not');
    } else {
      for (const key of ['kind', 'allowed', 'reason'] as const) {
        const wanted = expect.decision[key];
        if (wanted !== undefined && decision[key] !== wanted) {
          failures.push(
            `expected the decision's ${key} to be ${quote(String(wanted))} but it was ${quote(String(decision[key]))}`,
          );
        }
      }
    }
  }
  const about = expect.warnsAbout;
  if (about !== undefined && !warnings.some((w) => isAbout(w.option, about))) {
    const got =
      warnings.length === 0 ? 'none' : `warnings about ${quoteAll(warnings.map((w) => w.option))}`;
    failures.push(`expected a start-up warning about ${quote(about)} but got ${got}`);
  }
  return failures;
}

/** What must hold for every response, whatever the scenario. */
function checkInvariants(response: RawResponse): string[] {
  const failures: string[] = [];
  const origins = headerValues(response, 'access-control-allow-origin');
  if (origins.length > 1) {
    failures.push(
      `expected at most one access-control-allow-origin but it was sent ${origins.length} times: ${quoteAll(origins)}`,
    );
  }
  const vary = headerValues(response, 'vary');
  const seen = new Set<string>();
  for (const token of varyTokens(vary)) {
    const key = token.toLowerCase();
    if (seen.has(key)) {
      failures.push(
        `expected Vary to list each name once but it lists ${quote(token)} twice: ${quoteAll(vary)}`,
      );
    }
    seen.add(key);
  }
  return failures;
}

/** Checks the response with the core's model of the browser, against the scenario's verdict. */
function checkBrowser(scenario: RequestScenario, url: string, response: RawResponse): string[] {
  const expected = scenario.browser;
  if (!expected) return [];
  const origin = requestHeader(scenario.request.headers, 'origin');
  if (origin === undefined)
    return ['scenario error: a browser verdict needs an Origin in the request'];
  const request: BrowserRequest = { url: url + scenario.request.path, origin, ...expected.request };
  const isPreflight =
    scenario.request.method === 'OPTIONS' &&
    requestHeader(scenario.request.headers, 'access-control-request-method') !== undefined;
  const failures: string[] = [];
  if (isPreflight && !needsPreflight(request)) {
    failures.push(
      `scenario error: the browser would send no preflight for ${describeBrowserRequest(request)}`,
    );
  }
  const received = { status: response.status, headers: response.headers };
  const check = isPreflight ? checkPreflight(request, received) : checkResponse(request, received);
  const stage = isPreflight ? 'preflight answer' : 'response';
  if (expected.verdict === 'allowed' && !check.ok) {
    failures.push(
      `expected the browser to accept the ${stage} but it blocked it: ${check.code}: ${check.message}`,
    );
  } else if (expected.verdict === 'blocked' && check.ok) {
    failures.push(`expected the browser to block the ${stage} but it accepted it`);
  } else if (!check.ok && expected.code !== undefined && check.code !== expected.code) {
    failures.push(
      `expected the browser to block the ${stage} with ${expected.code} but it blocked it with ${check.code}: ${check.message}`,
    );
  }
  return failures;
}

/**
 * A readable report of one result: the verdict line, each failure, then what was sent and received.
 *
 * @example
 * ```
 * ✗ [MUST] vary.refused-actual: MUST add Vary: Origin to a refused actual response too
 *     expected Vary to include 'Origin' but it was absent
 *     source:   DESIGN.md: Vary | https://github.com/expressjs/cors/issues/106
 *     request:  GET /resource  origin: https://evil.example.net
 *     response: 200  content-type: text/plain, ...
 * ```
 */
export function formatResult(result: ScenarioResult): string {
  const { scenario } = result;
  const lines = [`${result.pass ? '✓' : '✗'} [${scenario.level}] ${scenario.id}: ${scenario.name}`];
  for (const failure of result.failures) lines.push(`    ${failure}`);
  if (result.pass) return lines.join('\n');
  const sources = typeof scenario.source === 'string' ? [scenario.source] : scenario.source;
  lines.push(`    source:   ${sources.join(' | ')}`);
  if (scenario.request) {
    const sent = headerPairs(scenario.request.headers).map(([n, v]) => `${n}: ${v}`);
    const what = sent.length > 0 ? sent.join(', ') : '(no headers)';
    lines.push(`    request:  ${scenario.request.method} ${scenario.request.path}  ${what}`);
    if (result.response) {
      const got = result.response.rawHeaders
        .filter(([n]) => !/^(date|connection|keep-alive)$/i.test(n))
        .map(([n, v]) => `${n}: ${v}`);
      lines.push(`    response: ${result.response.status}  ${got.join(', ')}`);
      if (result.response.body)
        lines.push(`    body:     ${quote(truncate(result.response.body))}`);
    }
  }
  return lines.join('\n');
}

function headerPairs(headers: RawHeaders): Array<readonly [string, string]> {
  return Array.isArray(headers)
    ? [...(headers as ReadonlyArray<readonly [string, string]>)]
    : Object.entries(headers);
}

function requestHeader(headers: RawHeaders, name: string): string | undefined {
  return headerPairs(headers).find(([n]) => n.toLowerCase() === name)?.[1];
}

/** `origin` covers the option itself and its entries (`origin[0]`). */
function isAbout(option: string, name: string): boolean {
  return option === name || option.startsWith(`${name}[`) || option.startsWith(`${name}.`);
}

function varyTokens(values: readonly string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

function describeBrowserRequest(request: BrowserRequest): string {
  const names = Object.keys(request.headers ?? {});
  return `fetch ${request.method}${names.length > 0 ? ` with ${names.join(', ')}` : ''}`;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

const quote = (value: string) => `'${value}'`;
const quoteAll = (values: readonly string[]) => values.map(quote).join(', ');
const truncate = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}...` : text);
