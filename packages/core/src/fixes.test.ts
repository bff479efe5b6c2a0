// Every fix a configuration error suggests is applied as written and must then pass validation,
// raise no warning that it can never match, and allow the origins it was meant for (issue 12: the
// RegExp fix used to be /^\.example\.com$/, which matches no origin).
import { describe, expect, it } from 'vitest';
import type { CorsDecision, CorsOptions, CorsWarning } from './options.js';
import { createCorsPolicy } from './policy.js';
import { CorsConfigError, type CorsConfigIssue } from './validate.js';

// A value as the fix writes it: 'string', [list], /RegExp/flags, true, false or a number, after
// "use ", "e.g. " or ": ", optionally named (`origin: [...]`).
const LITERAL =
  /(?:use |e\.g\. |: )(?:(\w+): )?('[^']*'|\[[^\]]*\]|\/(?:\\.|[^/\s])+\/[a-z]*|true\b|false\b|[0-9]+\b)/;

function problems(options: Record<string, unknown>): {
  issues: readonly CorsConfigIssue[];
  warnings: CorsWarning[];
} {
  const warnings: CorsWarning[] = [];
  try {
    createCorsPolicy({
      ...options,
      onWarning: (w: CorsWarning) => warnings.push(w),
    } as unknown as CorsOptions);
    return { issues: [], warnings };
  } catch (error) {
    if (!(error instanceof CorsConfigError)) throw error;
    return { issues: error.issues, warnings };
  }
}

/** The options with each issue's fix applied as its text says, or why a fix cannot be applied. */
function applyFixes(options: Record<string, unknown>, issues: readonly CorsConfigIssue[]) {
  const fixed: Record<string, unknown> = { ...options };
  if (Array.isArray(fixed.origin)) fixed.origin = [...fixed.origin];
  for (const issue of issues) {
    const [, name, index] = /^(\w+)(?:\[([0-9]+)\])?$/.exec(issue.option)!;
    const removed = /^remove (?:or correct )?('[^']*')/.exec(issue.fix)?.[1];
    if (removed !== undefined) {
      const value = new Function(`return ${removed}`)();
      fixed[name!] = (fixed[name!] as unknown[]).filter((item) => item !== value);
      continue;
    }
    const match = LITERAL.exec(issue.fix);
    expect(match, `the fix for ${issue.option} gives a value: ${issue.fix}`).not.toBeNull();
    const value: unknown = new Function(`return ${match![2]}`)();
    const target = match![1] ?? name!;
    if (match![1] === undefined && index !== undefined) {
      (fixed[target] as unknown[]).splice(
        Number(index),
        1,
        ...(Array.isArray(value) ? value : [value]),
      );
    } else fixed[target] = value;
  }
  return fixed;
}

const allowed = (options: Record<string, unknown>, origin: string) =>
  (
    createCorsPolicy({ ...options, onWarning: () => {} } as unknown as CorsOptions).evaluate({
      method: 'GET',
      origin,
    }) as CorsDecision
  ).allowed;

// [configuration, the origins it was meant to allow, origins it must still refuse]
const CASES: Array<[Record<string, unknown>, string[], string[]?]> = [
  // The RegExps the `cors` README and its users write.
  [
    { origin: /\.example\.com$/ },
    ['https://app.example.com', 'https://a.b.example.com'],
    ['https://example.com.evil.test', 'https://evilexample.com'],
  ],
  [{ origin: /example\.com$/ }, ['https://example.com', 'https://app.example.com']],
  [{ origin: /example\.com/ }, ['https://example.com', 'https://app.example.com']],
  [{ origin: /.*\.example\.com/ }, ['https://app.example.com']],
  [{ origin: /(.*\.)?example\.com$/ }, ['https://example.com', 'https://app.example.com']],
  [
    { origin: /https?:\/\/(.*\.)?example\.com$/ },
    ['http://example.com', 'https://app.example.com'],
  ],
  [{ origin: /^https:\/\/app\.example\.com/ }, ['https://app.example.com']],
  [{ origin: /https:\/\/app\.example\.com$/ }, ['https://app.example.com']],
  [{ origin: /localhost:3000/ }, ['http://localhost:3000']],
  [
    { origin: /app[0-9]+\.example\.com/ },
    ['https://app1.example.com', 'https://x.app2.example.com'],
  ],
  [{ origin: /\.example\.(com|org)$/ }, ['https://a.example.com', 'https://b.example.org']],
  [{ origin: /^https:\/\/a\.test$|^https:\/\/b\.test$/ }, ['https://a.test', 'https://b.test']],
  [{ origin: /a\.test|b\.test/ }, ['https://a.test', 'https://b.test']],
  [{ origin: /^https:\/\/[a-z]+\.test/i }, ['https://abc.test']],
  [{ origin: /^https:\/\/a\.test$/g }, ['https://a.test']],
  [{ origin: /^https:\/\/(a|b)\.test$/y }, ['https://b.test']],
  [{ origin: ['https://a.test', /\.b\.test$/] }, ['https://a.test', 'https://x.b.test']],
  // Origin strings.
  [{ origin: 'https://app.example.com/' }, ['https://app.example.com']],
  [{ origin: 'https://app.example.com/api' }, ['https://app.example.com']],
  [{ origin: 'https://app.example.com?x=1' }, ['https://app.example.com']],
  [{ origin: 'https://app.example.com#top' }, ['https://app.example.com']],
  [{ origin: 'https://user:pw@app.example.com' }, ['https://app.example.com']],
  [{ origin: 'https://app.example.com:' }, ['https://app.example.com']],
  [{ origin: 'app.example.com' }, ['https://app.example.com']],
  [{ origin: 'app.example.com/' }, ['https://app.example.com']],
  [{ origin: ' https://app.example.com' }, ['https://app.example.com']],
  [{ origin: 'https://a.test,https://b.test' }, ['https://a.test', 'https://b.test']],
  [{ origin: ['https://c.test', 'https://a.test https://b.test'] }, ['https://b.test']],
  [{ origin: '1http://a.test' }, ['https://a.test']],
  [{ origin: 'https://' }, ['https://app.example.com']],
  [{ origin: 'https://*.co.uk' }, ['https://app.your-domain.co.uk']],
  [{ origin: ['https://a.test', 42] }, ['https://a.test', 'https://app.example.com']],
  [{ origin: ['*', 'https://a.test'] }, ['https://a.test']],
  [{}, ['https://app.example.com']],
  [{ origin: [] }, ['https://app.example.com']],
  [{ origin: true }, ['https://any.test']],
  [{ origin: true, credentials: true }, ['https://app.example.com']],
  [{ origin: '*', credentials: true }, ['https://app.example.com']],
  // The other options: the origin still allowed once they are fixed.
  ...(
    [
      { methods: ['GET', 'CONNECT'] },
      { methods: ['GET POST'] },
      { methods: '*' },
      { methods: 5 },
      { allowedHeaders: ['*', 'X-A'] },
      { allowedHeaders: ['X-Ok', 'Bad Header'] },
      { exposedHeaders: ['Set-Cookie'] },
      { exposedHeaders: ['*', 'X-A'] },
      { exposedHeaders: '*', credentials: true },
      { maxAge: 1.5 },
      { optionsSuccessStatus: 404 },
      { credentials: 'true' },
      { preflightContinue: 1 },
      { timeout: 0 },
    ] as Array<Record<string, unknown>>
  ).map((options): [Record<string, unknown>, string[]] => [
    { origin: 'https://a.test', ...options },
    ['https://a.test'],
  ]),
];

describe('every fix an error suggests', () => {
  it.each(CASES)('works for %o', (options, meant, refused = []) => {
    const before = problems(options);
    expect(before.issues.length).toBeGreaterThan(0);
    const fixed = applyFixes(options, before.issues);
    const after = problems(fixed);
    expect(after.issues, JSON.stringify(before.issues)).toEqual([]);
    expect(after.warnings.filter((w) => w.code === 'regexp-matches-no-origin')).toEqual([]);
    for (const origin of meant) expect(allowed(fixed, origin), `${origin} allowed`).toBe(true);
    for (const origin of refused) expect(allowed(fixed, origin), `${origin} refused`).toBe(false);
  });
});

describe('an anchored RegExp that can match no origin', () => {
  it.each([
    [/^\.example\.com$/, 'https://app.example.com'],
    [/^example\.com$/, 'https://example.com'],
    [/^(?:app|admin)\.example\.com$/i, 'https://admin.example.com'],
    [/^[a-z]+\.example\.com$/, 'https://app.example.com'],
  ])('%s is accepted with a warning whose fix works', (re, meant) => {
    const { issues, warnings } = problems({ origin: re });
    expect(issues).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      code: 'regexp-matches-no-origin',
      option: 'origin',
      message: expect.stringContaining('can never match'),
    });
    const fixed = applyFixes({ origin: re }, [
      { option: 'origin', message: '', fix: warnings[0]!.message.split('; ').at(-1)! },
    ]);
    expect(problems(fixed)).toEqual({ issues: [], warnings: [] });
    expect(allowed(fixed, meant)).toBe(true);
  });
  it.each([
    /^https:\/\/app\.example\.com$/,
    /^.*$/,
    /^[a-z]+:\/\/x\.test$/,
    /^https\x3a\/\/x\.test$/,
    /^[^@]+$/,
    /^[!-~]+$/,
    /^\S+$/,
  ])('%s raises no such warning', (re) => {
    expect(problems({ origin: re })).toEqual({ issues: [], warnings: [] });
  });
});
