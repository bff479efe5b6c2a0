// `pnpm --filter @cors/bench peers`: the conformance suite against the peers, into PEERS.md.
//
//   PEERS_SELF_CHECK=1     only the harness check (our adapters in the same servers)
//   PEERS_PATTERNS=strict  translate our wildcard patterns to the strict RegExp (default: naive)
//
// The harness check runs first in every run: if our own adapters do not pass every scenario
// through these servers, a difference could be the harness's, so nothing is written.
import { writeFileSync } from 'node:fs';
import { formatResult, selectScenarios } from '@cors/conformance';
import { consoleTable, markdown, selfCheckLine } from './report.js';
import { harnessScenarios, runTarget, type TargetRun } from './run.js';
import { ourTargets, peerTargets } from './targets.js';
import { usesPattern } from './translate.js';

const began = performance.now();
const style = process.env.PEERS_PATTERNS === 'strict' ? 'strict' : 'naive';
const selfCheckOnly = process.env.PEERS_SELF_CHECK === '1';
const scenarios = harnessScenarios();

const self: TargetRun[] = [];
for (const target of ourTargets()) self.push(await runTarget(target, scenarios));
const failed = self.flatMap((run) => run.results.filter((result) => !result.pass));
for (const result of failed) console.error(formatResult(result));
console.log(`harness check: ${selfCheckLine(self)}`);

if (failed.length > 0) {
  console.error('The harness check failed: PEERS.md is not written.');
  process.exitCode = 1;
} else if (!selfCheckOnly) {
  const runs: TargetRun[] = [];
  for (const target of peerTargets(style)) {
    const t0 = performance.now();
    runs.push(await runTarget(target, scenarios));
    console.log(`${target.label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  // The scenarios configured with a pattern once more, with the other RegExp, to tell what the
  // translation causes from what the peer does.
  const other = style === 'naive' ? 'strict' : 'naive';
  const patternScenarios = scenarios.filter((scenario) => usesPattern(scenario.options));
  const patternRuns: TargetRun[] = [];
  for (const target of peerTargets(other)) {
    patternRuns.push(await runTarget(target, patternScenarios));
  }
  const report = {
    runs,
    self,
    scenarios,
    patterns: { other, scenarios: patternScenarios, runs: patternRuns },
    scoped: selectScenarios({ perRoute: true }).length - scenarios.length,
    style,
    seconds: (performance.now() - began) / 1000,
  } as const;
  console.log(`\n${consoleTable(report)}\n`);
  writeFileSync(new URL('../../PEERS.md', import.meta.url), markdown(report));
  console.log('PEERS.md written.');
}

// Every session closed its servers; a listening socket left here would be a leak. (A handle is
// listed until libuv has closed it, a few turns of the event loop after close() resolves.)
await new Promise((resolve) => setTimeout(resolve, 100));
const open = process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap');
if (open.length > 0) {
  console.error(`${open.length} server(s) still listening after the run`);
  process.exitCode = 1;
}
