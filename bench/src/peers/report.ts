// PEERS.md and the console table, from the outcomes of every target.
import type { Scenario } from '@cors/conformance';
import { groupOf, type Outcome, requestOrigin, type TargetRun } from './run.js';
import type { PatternStyle } from './translate.js';

export interface Report {
  runs: TargetRun[];
  /** Our adapters through the same harness. */
  self: TargetRun[];
  scenarios: Scenario[];
  /** How many `/scoped` scenarios were left out. */
  scoped: number;
  style: PatternStyle;
  /** The scenarios configured with a pattern, run again with the other translation. */
  patterns: { other: PatternStyle; scenarios: Scenario[]; runs: TargetRun[] };
  seconds: number;
}

/** Lines of reasons per peer and group, and scenario ids per line. */
const EXAMPLES = 5;
const IDS_PER_LINE = 3;

interface Counts {
  pass: number;
  differs: number;
  grants: number;
  cosmetic: number;
  notExpressible: number;
  acceptsInvalid: number;
}

function count(outcomes: Iterable<Outcome>): Counts {
  const counts = {
    pass: 0,
    differs: 0,
    grants: 0,
    cosmetic: 0,
    notExpressible: 0,
    acceptsInvalid: 0,
  };
  for (const outcome of outcomes) {
    if (outcome.kind === 'pass') counts.pass++;
    else if (outcome.kind === 'not-expressible') counts.notExpressible++;
    else if (outcome.kind === 'accepts-invalid') counts.acceptsInvalid++;
    else {
      counts.differs++;
      if (outcome.granted !== undefined) counts.grants++;
      if (outcome.cosmetic) counts.cosmetic++;
    }
  }
  return counts;
}

/** ` (9 grant a refused origin, 8 formatting only)`, or nothing. */
function details(c: Pick<Counts, 'grants' | 'cosmetic'>): string {
  const parts = [
    c.grants > 0 ? `${c.grants} grant a refused origin` : '',
    c.cosmetic > 0 ? `${c.cosmetic} formatting only` : '',
  ].filter((part) => part !== '');
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

const HEADINGS = [
  'peer',
  'passes as ours',
  'differs',
  'not expressible',
  'accepts a config we refuse',
];

function summaryRows(report: Report): string[][] {
  const total = report.scenarios.length;
  return report.runs.map(({ target, outcomes }) => {
    const c = count(outcomes.values());
    return [
      target.label,
      `${c.pass}/${total}`,
      `${c.differs}${details(c)}`,
      `${c.notExpressible}`,
      `${c.acceptsInvalid}`,
    ];
  });
}

export function selfCheckLine(self: TargetRun[]): string {
  return self
    .map(({ target, results, outcomes }) => {
      const passed = results.filter((r) => r.pass).length;
      return `${target.label} passes ${passed}/${outcomes.size}`;
    })
    .join('; ');
}

/** The summary as aligned plain text, for the console. */
export function consoleTable(report: Report): string {
  const rows = [HEADINGS, ...summaryRows(report)];
  const widths = HEADINGS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  return [
    line(rows[0]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** A Markdown table with its columns padded, as biome formats it. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((_, i) => Math.max(3, ...[header, ...rows].map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

const code = (text: string) => `\`${text.replaceAll('`', "'")}\``;
const cell = (text: string) => text.replaceAll('|', '\\|');

/** What a peer does otherwise than ours in one group, most serious first. */
function differences(run: TargetRun, group: Scenario[]): Array<[Scenario, Outcome]> {
  return group
    .map((s): [Scenario, Outcome] => [s, run.outcomes.get(s)!])
    .filter(([, o]) => o.kind === 'differs' || o.kind === 'accepts-invalid')
    .sort(([, a], [, b]) => severity(a) - severity(b));
}

/** Granting a refused origin first, then a refused configuration accepted, then the rest. */
const severity = (o: Outcome) =>
  o.kind === 'accepts-invalid'
    ? 1
    : o.kind !== 'differs'
      ? 4
      : o.granted !== undefined
        ? 0
        : o.cosmetic
          ? 3
          : 2;

const describe = (outcome: Outcome) =>
  outcome.kind === 'differs'
    ? `${outcome.cosmetic ? '(formatting only) ' : ''}${outcome.reason}`
    : 'starts with this configuration, which we refuse';

/**
 * The groups of the peers' known defects, in this order, before the others: RegExp (lastIndex),
 * '*' with credentials, reflecting any origin, preflights (404/401 before CORS), OPTIONS that are
 * not preflights, Vary on refusals, CORS headers on 401/404/500, and the bypass probes.
 */
const KNOWN = [
  'RegExp',
  "'*' with credentials: true",
  'reflect any origin (origin: true)',
  'preflight',
  'OPTIONS without Access-Control-Request-Method',
  'Vary',
  'error responses',
  'security bypass probes: exact',
  'security bypass probes: regexp',
  'security bypass probes: pattern',
];

/** Every scenario where a peer sent Access-Control-Allow-Origin to an origin that must get none. */
function grantedSection({ runs, scenarios, patterns }: Report): string[] {
  const grantedBy = (list: TargetRun[], scenario: Scenario) =>
    list.flatMap(({ target, outcomes }) => {
      const outcome = outcomes.get(scenario)!;
      if (outcome.kind !== 'differs' || outcome.granted === undefined) return [];
      return [outcome.granted === '*' ? `${target.short} (\`*\`)` : target.short];
    });
  const rows: string[][] = [];
  for (const scenario of scenarios) {
    const by = grantedBy(runs, scenario);
    if (by.length === 0) continue;
    const other = patterns.scenarios.includes(scenario)
      ? grantedBy(patterns.runs, scenario).join(', ') || 'none'
      : 'no pattern';
    rows.push([code(scenario.id), cell(code(requestOrigin(scenario) ?? '')), by.join(', '), other]);
  }
  return [
    '',
    '## Access-Control-Allow-Origin granted where none is due',
    '',
    rows.length === 0
      ? 'None.'
      : 'The scenarios where a peer sent `Access-Control-Allow-Origin` (the Origin itself, or `*`) to an origin the scenario refuses: the differences a browser turns into a read by another site.',
    ...(rows.length === 0
      ? []
      : [
          '',
          ...table(
            ['scenario', 'Origin sent', 'granted by', `with the ${patterns.other} pattern RegExp`],
            rows,
          ),
        ]),
  ];
}

/** How many of the granted origins come from the pattern translation rather than the peer. */
function patternShare({ runs, patterns, style }: Report): string[] {
  const grants = (run: TargetRun, list: Scenario[]) =>
    count(list.map((s) => run.outcomes.get(s)!)).grants;
  const shares = runs.flatMap((run, i) => {
    const all = grants(run, [...run.outcomes.keys()]);
    const mine = grants(run, patterns.scenarios);
    const theirs = grants(patterns.runs[i]!, patterns.scenarios);
    return mine === theirs ? [] : [`${run.target.short} ${mine} of ${all} (${theirs})`];
  });
  if (shares.length === 0) return [];
  return [
    '',
    `Granted origins that come from the RegExp a wildcard pattern becomes, not from the peer (see "Patterns" below), with the ${style} RegExp (and, in brackets, with the ${patterns.other} one): ${shares.join('; ')}.`,
  ];
}

/** The pattern scenarios under both translations, so that the translation's share is visible. */
function patternSection(report: Report): string[] {
  const { other, scenarios, runs } = report.patterns;
  const figures = (run: TargetRun) => {
    const c = count(scenarios.map((s) => run.outcomes.get(s)!));
    return `${c.differs} differ${c.grants > 0 ? `, ${c.grants} grant a refused origin` : ''}`;
  };
  const [naive, strict] = report.style === 'naive' ? [report.runs, runs] : [runs, report.runs];
  return [
    '',
    '## Patterns: what the translation adds',
    '',
    `The ${plural(scenarios.length, 'scenario')} configured with one of our wildcard patterns, run with each translation (the other groups do not depend on it). This report's figures use the ${report.style} one; \`PEERS_PATTERNS=${other}\` writes it with the other.`,
    '',
    ...table(
      [
        'peer',
        'naive `/\\.example\\.com$/`',
        'strict `/^https:\\/\\/([a-z0-9-]+\\.)+example\\.com$/`',
      ],
      naive.map((run, i) => [run.target.label, figures(run), figures(strict[i]!)]),
    ),
  ];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * One group: per peer, how many differ, then the distinct reasons, most serious first, each with
 * the first scenarios it holds for; or "the same as" an earlier peer whose list is identical.
 */
function groupSection(runs: TargetRun[], name: string, group: Scenario[]): string[] {
  const out = ['', `### ${name} (${plural(group.length, 'scenario')})`, ''];
  const seen: Array<{ label: string; key: string }> = [];
  for (const run of runs) {
    const found = differences(run, group);
    const c = count(group.map((s) => run.outcomes.get(s)!));
    const parts = [
      `${c.differs} of ${group.length - c.notExpressible} differ${details(c)}`,
      c.acceptsInvalid > 0 ? `accepts ${plural(c.acceptsInvalid, 'configuration')} we refuse` : '',
      c.notExpressible > 0 ? `${c.notExpressible} not expressible` : '',
    ].filter((part) => part !== '');
    const head = `- **${run.target.label}**: ${parts.join('; ')}`;
    const key = found.map(([s, o]) => `${s.id}:${describe(o)}`).join('\n');
    const same = found.length > 0 ? seen.find((s) => s.key === key) : undefined;
    seen.push({ label: run.target.label, key });
    if (found.length === 0) out.push(`${head}.`);
    else if (same) out.push(`${head}: the same as ${same.label}.`);
    else {
      out.push(`${head}:`);
      // Scenarios that fail the same way share a line (found is sorted by severity already).
      const byReason = new Map<string, Scenario[]>();
      for (const [scenario, outcome] of found) {
        const reason = describe(outcome);
        byReason.set(reason, [...(byReason.get(reason) ?? []), scenario]);
      }
      const lines = [...byReason];
      for (const [reason, list] of lines.slice(0, EXAMPLES)) {
        const ids = list.slice(0, IDS_PER_LINE).map((s) => code(s.id));
        const rest = list.length > IDS_PER_LINE ? ` and ${list.length - IDS_PER_LINE} more` : '';
        out.push(`  - ${ids.join(', ')}${rest}: ${reason}`);
      }
      const others = lines.slice(EXAMPLES).reduce((sum, [, list]) => sum + list.length, 0);
      if (others > 0) out.push(`  - and ${plural(others, 'scenario')} more, for other reasons`);
    }
  }
  return out;
}

export function markdown(report: Report): string {
  const { runs, scenarios, self } = report;
  const date = new Date().toISOString().slice(0, 10);
  const out: string[] = [
    '# The peers against the conformance suite',
    '',
    `Generated by \`pnpm --filter @cors/bench peers\` (\`bench/src/peers\`) on ${date}, Node ${process.version}, in ${report.seconds.toFixed(0)} s.`,
    `Every scenario of \`@cors/conformance\` (${scenarios.length}: all but the ${report.scoped} \`/scoped\` ones) runs against each peer, through the same server contract and the suite's own runner as our adapters' tests.`,
    '',
    `**Harness check: ${selfCheckLine(self)}** (our adapters in the very same servers, through the same scenarios and classification; nothing is written unless each passes everything, so a difference below is the peer's, not the harness's).`,
    '',
    '## Summary',
    '',
    `Out of ${scenarios.length} scenarios. "Differs": at least one expectation of the scenario is not met (the response, its headers, or the browser's verdict on it); "formatting only" when every unmet expectation is a header list holding the same names, spelt or ordered otherwise. "Accepts a config we refuse": the scenario states that start-up must fail with a \`CorsConfigError\`, and the peer starts.`,
    '',
    ...table(
      HEADINGS,
      summaryRows(report).map((row) => row.map(cell)),
    ),
    ...patternShare(report),
    '',
    '## How each peer is configured',
    '',
    "- Each scenario's options are written in the peer's own terms, as its user would: `cors`, @fastify/cors and NestJS take ours name for name (`methods`, `allowedHeaders`, `exposedHeaders`, `credentials`, `maxAge`, `preflightContinue`, `optionsSuccessStatus`); @koa/cors as `allowMethods`, `allowHeaders`, `exposeHeaders`, `credentials`, `maxAge`, `privateNetworkAccess` (`keepHeadersOnError` left at its default, `true`).",
    "- An option the scenario leaves out is left out: the peer's default applies (`'*'` for a missing origin; @fastify/cors allows `GET,HEAD,POST`; @koa/cors lists `GET,HEAD,PUT,POST,DELETE,PATCH`).",
    '- A single exact origin string is passed as is: `cors`, @koa/cors and @fastify/cors then send it as a fixed `Access-Control-Allow-Origin` to every origin.',
    report.style === 'naive'
      ? '- Our wildcard patterns have no peer equivalent. `https://*.example.com` becomes the RegExp the `cors` README teaches for "a subdomain of", `/\\.example\\.com$/` (a suffix test); `http://localhost:*` becomes `/^http:\\/\\/localhost:\\d+$/`. `PEERS_PATTERNS=strict` uses the form the @fastify/cors README teaches instead, `/^https:\\/\\/([a-z0-9-]+\\.)+example\\.com$/`; "Patterns" below shows what the choice changes.'
      : '- Our wildcard patterns have no peer equivalent. With `PEERS_PATTERNS=strict`, `https://*.example.com` becomes the form the @fastify/cors README teaches, `/^https:\\/\\/([a-z0-9-]+\\.)+example\\.com$/` (our meaning: any depth, not the apex); `http://localhost:*` becomes `/^http:\\/\\/localhost:\\d+$/`.',
    "- In @koa/cors, which takes one string or a function of the context, a list, a RegExp or a pattern becomes a function returning the request's Origin when an entry matches and `''` otherwise; `origin: true` becomes `ctx => ctx.get(\"Origin\")`.",
    "- Origin functions are called the peer's way (`(origin, callback)`, or with the Koa context): the peers call them for requests without Origin too.",
    '- Not expressible (reported, not run): `timeout` (no peer has one for an origin function), `allowPrivateNetwork` (`cors`, @fastify/cors), `preflightContinue` and an `optionsSuccessStatus` other than 204 (@koa/cors).',
    `- Left out: the ${report.scoped} \`/scoped\` scenarios, which need per-route configuration: \`cors\` and @koa/cors have none, and NestJS \`enableCors\` is global. (@fastify/cors 11 reads a route's \`config.cors\`; its per-route behaviour is not compared here.)`,
    '- Dropped from every scenario, ours included: the expectation on what our `onDecision` hook reports (no peer has it); the response it describes is checked all the same. Expectations of a start-up warning (`onWarning`) are kept: no peer warns.',
    '',
    '## Differences by category',
    '',
    `Scenarios are grouped by the row of DESIGN.md's decided-semantics table they cite first, or by the configuration of the security probe. The groups of the peers' known defects come first. For each peer: how many scenarios of the group differ, then up to ${EXAMPLES} distinct reasons, the most serious first (an Access-Control-Allow-Origin granted to an origin that must get none, then a configuration we refuse, then the first unmet expectation), each with up to ${IDS_PER_LINE} of the scenarios it holds for. A peer whose list is the same as an earlier one's says so.`,
  ];

  const groups = new Map<string, Scenario[]>();
  for (const scenario of scenarios) {
    const group = groupOf(scenario);
    groups.set(group, [...(groups.get(group) ?? []), scenario]);
  }
  const differing = (group: Scenario[]) =>
    runs.reduce((sum, run) => sum + differences(run, group).length, 0);
  const rank = (name: string) => {
    const known = KNOWN.indexOf(name);
    return known === -1 ? KNOWN.length : known;
  };
  const ordered = [...groups].sort(
    ([a, ga], [b, gb]) => rank(a) - rank(b) || differing(gb) - differing(ga),
  );
  const clean: string[] = [];
  for (const [name, group] of ordered) {
    if (differing(group) === 0) clean.push(`${name} (${group.length})`);
    else out.push(...groupSection(runs, name, group));
  }
  if (clean.length > 0) {
    out.push('', '### Where every peer behaves as ours', '', `${clean.join(', ')}.`);
  }

  out.push(...grantedSection(report), ...patternSection(report));
  out.push('', '## Not expressible', '');
  for (const run of runs) {
    const reasons = new Map<string, number>();
    for (const outcome of run.outcomes.values()) {
      if (outcome.kind === 'not-expressible') {
        reasons.set(outcome.reason, (reasons.get(outcome.reason) ?? 0) + 1);
      }
    }
    const list = [...reasons].map(([reason, n]) => `${reason} (${n})`).join('; ');
    out.push(`- **${run.target.label}**: ${list === '' ? 'none' : list}.`);
  }
  return `${out.join('\n')}\n`;
}
