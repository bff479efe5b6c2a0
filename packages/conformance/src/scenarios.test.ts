import { describe, expect, it } from 'vitest';
import { scenarios } from './scenarios/index.js';

// The first column of DESIGN.md's decided-semantics table, backticks removed. Every row must be
// proved by at least one scenario citing it as `DESIGN.md: <row>`.
const DESIGN_ROWS = [
  'no origin option',
  "origin: '*'",
  "'*' with credentials: true",
  'reflect any origin (origin: true)',
  'exact origins',
  'request Origin',
  'wildcard patterns',
  'RegExp',
  "'null' origin",
  'origin function',
  'request without Origin',
  'disallowed origin, actual request',
  'OPTIONS without Access-Control-Request-Method',
  'preflight',
  'methods',
  'allowed headers',
  'exposed headers',
  'maxAge',
  'Access-Control-Allow-Credentials',
  'Vary',
  'private network',
  'error responses',
  'options compatible with cors',
  'cross-origin request protection',
  'host allowlist',
  'allowed request headers that a page cannot set',
];

const sourcesOf = (s: (typeof scenarios)[number]) =>
  typeof s.source === 'string' ? [s.source] : [...s.source];

describe('the scenario table', () => {
  it('holds at least 100 scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(100);
  });

  it('gives every scenario a unique, dotted, lower-case id', () => {
    const ids = scenarios.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
  });

  it('names every scenario as a requirement that starts with its level', () => {
    for (const s of scenarios) expect(s.name.startsWith(`${s.level} `), s.id).toBe(true);
  });

  it('cites a Fetch section, a web-platform-tests file, a DESIGN.md row or a URL for every scenario', () => {
    for (const s of scenarios) {
      const sources = sourcesOf(s);
      expect(sources.length, s.id).toBeGreaterThan(0);
      for (const source of sources) {
        expect(source, s.id).toMatch(/^(https:\/\/\S+|DESIGN\.md: .+|fetch\/\S+\.js)$/);
      }
    }
  });

  it('proves every row of the decided-semantics table', () => {
    const cited = new Set(scenarios.flatMap(sourcesOf));
    const missing = DESIGN_ROWS.filter((row) => !cited.has(`DESIGN.md: ${row}`));
    expect(missing).toEqual([]);
    // ...and cites no row that does not exist.
    const rows = [...cited].filter((c) => c.startsWith('DESIGN.md: ')).map((c) => c.slice(11));
    expect(rows.filter((row) => !DESIGN_ROWS.includes(row))).toEqual([]);
  });

  it('covers the peers’ known defects', () => {
    const ids = new Set(scenarios.map((s) => s.id));
    for (const id of [
      'config.origin.regexp-global',
      'config.origin.star-with-credentials',
      'config.origin.reflect-any',
      'preflight.before-404',
      'preflight.before-auth',
      'options.not-preflight.reaches-app',
      'vary.refused-actual',
      'errors.auth-401',
      'errors.not-found-404',
      'errors.thrown-500',
    ]) {
      expect(ids.has(id), id).toBe(true);
    }
  });

  it('keeps each scenario consistent: a request unless a config error, per-route only with /scoped options', () => {
    for (const s of scenarios) {
      if ('configError' in s.expect) expect(s.request, s.id).toBeUndefined();
      else expect(s.request, s.id).toBeDefined();
      expect(s.perRoute === true, s.id).toBe(s.scoped !== undefined);
      if (s.request && !s.perRoute) expect(s.request.path, s.id).not.toBe('/scoped');
      if (s.request && 'browser' in s && s.browser) {
        const headers = Array.isArray(s.request?.headers)
          ? (s.request.headers as Array<readonly [string, string]>)
          : Object.entries(s.request?.headers ?? {});
        expect(
          headers.some(([name]) => name.toLowerCase() === 'origin'),
          s.id,
        ).toBe(true);
      }
    }
  });
});
