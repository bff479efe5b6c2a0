import { afterAll, describe, it } from 'vitest';
import {
  createConformanceSession,
  formatResult,
  type RunOptions,
  selectScenarios,
} from './runner.js';
import type { StartServer } from './types.js';

/** A scenario's unmet expectations; the report is the whole story, so no stack trace. */
class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';
  constructor(report: string) {
    super(`\n${report}`);
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * Registers the conformance suite with vitest: one `describe(name)`, one test per scenario
 * (`${id}: ${name}`). Servers start on first use, are shared by the scenarios with the same
 * options, and close after the last test. A failing test prints the unmet expectations and what
 * was sent and received.
 *
 * @example
 * ```ts
 * // test/conformance.test.ts
 * import { describeConformance } from '@cors/conformance/vitest';
 * import { start } from './server.js';
 *
 * describeConformance('@cors/fastify', start, { perRoute: true });
 * ```
 */
export function describeConformance(
  name: string,
  start: StartServer,
  options: RunOptions = {},
): void {
  describe(name, () => {
    const session = createConformanceSession(start, options);
    afterAll(() => session.close());
    for (const scenario of selectScenarios(options)) {
      it(`${scenario.id}: ${scenario.name}`, async () => {
        const result = await session.run(scenario);
        if (!result.pass) throw new ConformanceFailure(formatResult(result));
      });
    }
  });
}
