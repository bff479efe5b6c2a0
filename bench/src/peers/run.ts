// Runs the conformance scenarios against one target with the suite's own runner and sorts each
// result into: passes as ours, differs, not expressible, or accepts a configuration we refuse.
import {
  createConformanceSession,
  headerValues,
  type Scenario,
  type ScenarioResult,
  selectScenarios,
} from '@cors/conformance';
import type { Target } from './targets.js';

export type Outcome =
  | { kind: 'pass' }
  | {
      kind: 'differs';
      /** The unmet expectation that matters most, on one line. */
      reason: string;
      /**
       * The Access-Control-Allow-Origin it sent to an origin that must get none ('*' or that
       * origin), or `'browser'` when the browser model accepts what it must block.
       */
      granted?: string;
      /** Every unmet expectation is a header list with the same names, spelt or ordered otherwise. */
      cosmetic: boolean;
    }
  | { kind: 'not-expressible'; reason: string }
  | { kind: 'accepts-invalid' };

export interface TargetRun {
  target: Target;
  outcomes: Map<Scenario, Outcome>;
  results: ScenarioResult[];
}

/**
 * The scenarios every target runs: all but `/scoped` (peers have no per-route configuration we
 * can drive the same way), each without its `decision` expectation: that is what our `onDecision`
 * hook reported, which no peer has; the response it describes is checked all the same. The
 * `options` objects are kept, so the session still starts one server per configuration.
 */
export function harnessScenarios(): Scenario[] {
  return selectScenarios({ perRoute: false }).map((scenario) => {
    if (scenario.request === undefined || scenario.expect.decision === undefined) return scenario;
    const { decision: _, ...expect } = scenario.expect;
    return { ...scenario, expect };
  });
}

export async function runTarget(target: Target, scenarios: Scenario[]): Promise<TargetRun> {
  const session = createConformanceSession(target.start, { timeout: 3000 });
  const outcomes = new Map<Scenario, Outcome>();
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) {
      const reason = target.notExpressible(scenario.options);
      if (reason !== undefined) {
        outcomes.set(scenario, { kind: 'not-expressible', reason });
        continue;
      }
      const result = await session.run(scenario);
      results.push(result);
      outcomes.set(scenario, classify(result));
    }
  } finally {
    await session.close();
  }
  return { target, outcomes, results };
}

function classify(result: ScenarioResult): Outcome {
  if (result.pass) return { kind: 'pass' };
  const first = result.failures[0] ?? '';
  // The runner's words when start() resolved for a configuration we refuse. (A peer refusing it
  // with an error of its own is reported as a difference, with that error, for a reader to judge.)
  if (result.scenario.request === undefined && first.includes('but the server started')) {
    return { kind: 'accepts-invalid' };
  }
  const accepted = result.failures.some((f) =>
    /expected the browser to block .* but it accepted/.test(f),
  );
  const granted = grantedOrigin(result) ?? (accepted ? 'browser' : undefined);
  return {
    kind: 'differs',
    reason:
      granted === undefined
        ? shorten(first)
        : 'grants Access-Control-Allow-Origin to an origin that must get none',
    ...(granted !== undefined && { granted }),
    cosmetic: result.failures.every(sameTokens),
  };
}

/** The Access-Control-Allow-Origin sent to an origin the scenario refuses: '*' or its own. */
function grantedOrigin({ scenario, response }: ScenarioResult): string | undefined {
  if (scenario.request === undefined || response === undefined) return undefined;
  const absent = scenario.expect.headersAbsent ?? [];
  if (!absent.some((name) => name.toLowerCase() === 'access-control-allow-origin'))
    return undefined;
  // Node's parser strips the whitespace around a header value before any CORS code sees it.
  const origin = requestOrigin(scenario)?.trim();
  if (origin === undefined) return undefined;
  return headerValues(response, 'access-control-allow-origin').find(
    (value) => value === '*' || value === origin,
  );
}

/** The Origin header the scenario sends, if any. */
export function requestOrigin(scenario: Scenario): string | undefined {
  const headers = scenario.request?.headers ?? {};
  const pairs: ReadonlyArray<readonly [string, string]> = Array.isArray(headers)
    ? headers
    : Object.entries(headers);
  return pairs.find(([name]) => name.toLowerCase() === 'origin')?.[1];
}

/** The first unmet expectation, on one line: Chromium's long message is cut after its code. */
function shorten(failure: string): string {
  const line = failure.replace(/: (Access to fetch at|Response to preflight).*$/s, '');
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/** `expected header x to equal 'A,B' but it was 'B, A'`: the same list, another spelling. */
function sameTokens(failure: string): boolean {
  const match = /^expected header \S+ to equal '(.*)' but it was '(.*)'$/.exec(failure);
  if (!match) return false;
  const tokens = (list: string) =>
    list
      .split(',')
      .map((t) => t.trim())
      .sort()
      .join(',');
  return tokens(match[1]!) === tokens(match[2]!);
}

/**
 * The group a scenario is reported under: the row of DESIGN.md's decided-semantics table it cites
 * first (that is where the known peer defects are: RegExp, `'*'` with credentials, reflect any
 * origin, preflight, OPTIONS without Access-Control-Request-Method, Vary, error responses), the
 * configuration of a security probe, or else its topic.
 */
export function groupOf(scenario: Scenario): string {
  if (scenario.id.startsWith('security.bypass.')) {
    return `security bypass probes: ${scenario.id.split('.')[2]}`;
  }
  if (scenario.id.startsWith('security.')) return 'security: whitespace around Origin';
  const sources = typeof scenario.source === 'string' ? [scenario.source] : scenario.source;
  const row = sources.find((source) => source.startsWith('DESIGN.md: '));
  return row !== undefined
    ? row.slice('DESIGN.md: '.length)
    : `other ${scenario.id.split('.')[0]}.* scenarios`;
}
