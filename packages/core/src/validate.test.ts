import { describe, expect, it, vi } from 'vitest';
import type { CorsOptions } from './options.js';
import { createCorsPolicy } from './policy.js';
import { CorsConfigError, type CorsConfigIssue } from './validate.js';

function issues(options: unknown): CorsConfigIssue[] {
  try {
    createCorsPolicy({ onWarning: () => {}, ...(options as CorsOptions) });
  } catch (error) {
    expect(error).toBeInstanceOf(CorsConfigError);
    return [...(error as CorsConfigError).issues];
  }
  return [];
}

const originIssue = (origin: unknown) => issues({ origin })[0];

describe('configuration errors', () => {
  it('lists every problem at once, each with a fix, in the message too', () => {
    const found = issues({ origin: '*', credentials: true, maxAge: -1, methods: ['TRACE'] });
    expect(found.map((i) => i.option)).toEqual(['origin', 'methods', 'maxAge']);
    try {
      createCorsPolicy({ origin: '*', credentials: true, maxAge: -1 });
    } catch (error) {
      expect((error as Error).message).toMatch(/2 problems/);
      expect((error as Error).message).toMatch(/fix: /);
      expect((error as Error).name).toBe('CorsConfigError');
    }
  });
  it('refuses a non-object', () => {
    expect(() => createCorsPolicy('https://a.test' as never)).toThrow(/expected an options object/);
    expect(() => createCorsPolicy(null as never)).toThrow(CorsConfigError);
  });
  it('refuses origin: false and an empty list', () => {
    expect(originIssue(false)?.message).toMatch(/false is not accepted/);
    expect(originIssue([])?.message).toMatch(/empty list/);
  });
  it.each([
    ['https://app.example.com/', /trailing slash/, "use 'https://app.example.com'"],
    ['https://app.example.com/api', /a path/, "use 'https://app.example.com'"],
    ['https://app.example.com?x=1', /a query/, "use 'https://app.example.com'"],
    ['https://app.example.com#top', /a fragment/, "use 'https://app.example.com'"],
    ['https://user:pw@app.example.com', /user-info/, "use 'https://app.example.com'"],
    ['https://app.example.com:0', /invalid port/, 'use a port from 1 to 65535, or :* for any port'],
    [
      'https://app.example.com:http',
      /invalid port/,
      'use a port from 1 to 65535, or :* for any port',
    ],
    ['https://app.example.com:', /empty port/, "use 'https://app.example.com'"],
    ['app.example.com', /no scheme/, "use 'https://app.example.com'"],
    [' https://app.example.com', /white space/, "use 'https://app.example.com'"],
    [
      'https://a.test,https://b.test',
      /several origins/,
      "use an array: ['https://a.test', 'https://b.test'] (or corsOptionsFromEnv for a variable)",
    ],
    ['https://', /no host/, "use e.g. 'https://app.example.com'"],
    ['1http://a.test', /invalid scheme/, "use 'https://a.test'"],
    ['https://exa mple.com', /several origins/, expect.any(String)],
    ['https://a%zz.test', /invalid host/, 'check the host name'],
  ])('refuses the origin %s', (origin, message, fix) => {
    expect(originIssue(origin)).toMatchObject({
      option: 'origin',
      message: expect.stringMatching(message),
      fix,
    });
  });
  it.each([
    'https://*example.com',
    'https://a.*.example.com',
    'https://*.*.example.com',
    '*://example.com',
    'https://example.*',
  ])("refuses '*' anywhere but a whole leftmost label or port: %s", (origin) => {
    expect(originIssue(origin)?.message).toMatch(/'\*'/);
  });
  it('refuses a wildcard both as a label and as the port', () => {
    expect(originIssue('https://*.example.com:*')?.message).toMatch(
      /both as a label and as the port/,
    );
  });
  it.each(['https://*.com', 'https://*.github.io', 'https://*.co.uk', 'https://*.test', '*.com'])(
    'refuses a wildcard whose base is a public suffix: %s',
    (origin) => expect(originIssue(origin)?.message).toMatch(/public suffix/),
  );
  it('refuses a wildcard on an IP address', () => {
    expect(originIssue('https://*.127.0.0.1')?.message).toMatch(/IP address/);
  });
  it('accepts non-web schemes such as browser extensions', () => {
    expect(issues({ origin: 'chrome-extension://abcdefghijklmnop' })).toEqual([]);
  });
  it.each([
    [/^https:\/\/a\.test/, /not anchored/],
    [/https:\/\/a\.test$/, /not anchored/],
    [/^https:\/\/a\.test\$/, /not anchored/],
    [/^https:\/\/a\.test$|^https:\/\/b\.test$/, /not anchored/],
    [/^https:\/\/a\.test$/g, /'g' flag/],
    [/^https:\/\/a\.test$/y, /'y' flag/],
  ])('refuses the RegExp %s', (re, message) => {
    expect(originIssue(re)?.message).toMatch(message);
  });
  it('accepts alternatives inside a group or a character class', () => {
    expect(issues({ origin: [/^https:\/\/(?:a|b)\.test$/, /^https:\/\/[a|b]\.test$/] })).toEqual(
      [],
    );
  });
  it('suggests what an unanchored RegExp meant: patterns for hosts, else anchored on the origin', () => {
    const note = " (origins and patterns: '*.' is every subdomain, not a RegExp)";
    expect(originIssue(/\.example\.com$/)?.fix).toBe(`use 'https://*.example.com'${note}`);
    expect(originIssue(/example\.com/)?.fix).toBe(
      `use ['https://example.com', 'https://*.example.com']${note}`,
    );
    expect(originIssue(/a\.test|b\.test/)?.fix).toBe(
      `use ['https://a.test', 'https://*.a.test', 'https://b.test', 'https://*.b.test']${note}`,
    );
    expect(originIssue(/app[0-9]\.test/)?.fix).toBe(
      'use /^https:\\/\\/(?:[a-z0-9-]+\\.)*(?:app[0-9]\\.test)$/ (anchored on the whole origin, scheme included)',
    );
  });
  it("refuses '*' in a list and entries of the wrong type", () => {
    expect(issues({ origin: ['*', 'https://a.test'] })[0]?.message).toMatch(/cannot be combined/);
    expect(issues({ origin: ['https://a.test', 42] })[0]).toMatchObject({ option: 'origin[1]' });
  });
  it.each([
    [{ methods: ['GET', 'CONNECT'] }, 'methods', /forbidden method/],
    [{ methods: ['track'] }, 'methods', /forbidden method/],
    [{ methods: ['GET POST'] }, 'methods', /not a valid HTTP token/],
    [{ methods: '*' }, 'methods', /'\*' is not supported/],
    [{ methods: 5 }, 'methods', /must be a list/],
    [{ allowedHeaders: ['X-Ok', 'Bad Header'] }, 'allowedHeaders', /not a valid HTTP token/],
    [{ allowedHeaders: ['*', 'X-A'] }, 'allowedHeaders', /must be used alone/],
    [{ exposedHeaders: ['Set-Cookie'] }, 'exposedHeaders', /can never be exposed/],
    [{ exposedHeaders: ['*', 'X-A'] }, 'exposedHeaders', /must be used alone/],
    [
      { exposedHeaders: '*', credentials: true, origin: 'https://a.test' },
      'exposedHeaders',
      /credentials/,
    ],
    [{ maxAge: 1.5 }, 'maxAge', /whole number/],
    [{ maxAge: '600' }, 'maxAge', /whole number/],
    [{ optionsSuccessStatus: 404 }, 'optionsSuccessStatus', /200 to 299/],
    [{ optionsSuccessStatus: 199 }, 'optionsSuccessStatus', /200 to 299/],
    [{ credentials: 'true' }, 'credentials', /true or false/],
    [{ preflightContinue: 1 }, 'preflightContinue', /true or false/],
    [{ timeout: 0 }, 'timeout', /> 0/],
    [{ onDecision: 'log' }, 'onDecision', /must be a function/],
  ])('refuses %o', (options, option, message) => {
    const found = issues({ origin: 'https://a.test', ...options });
    expect(found).toContainEqual(
      expect.objectContaining({ option, message: expect.stringMatching(message) }),
    );
  });
  it.each([
    ['orgin', "did you mean 'origin'?"],
    ['credential', "did you mean 'credentials'?"],
    ['allowHeaders', "did you mean 'allowedHeaders'?"],
    ['exposeHeaders', "did you mean 'exposedHeaders'?"],
    ['maxage', "did you mean 'maxAge'?"],
  ])('names the option meant by the typo %s', (key, fix) => {
    expect(issues({ origin: 'https://a.test', [key]: 1 })).toContainEqual(
      expect.objectContaining({ option: key, fix }),
    );
  });
  it('lists the known options for an unknown name far from any', () => {
    expect(issues({ origin: 'https://a.test', zzzzzzzzzz: 1 })[0]?.fix).toMatch(
      /known options: origin, methods/,
    );
  });
});

describe('start-up warnings', () => {
  it('warns about credentials over plain http to a remote host, not to localhost', () => {
    const onWarning = vi.fn();
    createCorsPolicy({
      origin: [
        'http://a.example.com',
        'http://localhost:3000',
        'http://127.0.0.1:*',
        'http://*.example.org',
      ],
      credentials: true,
      onWarning,
    });
    expect(onWarning.mock.calls.map(([w]) => w.option)).toEqual(['origin[0]', 'origin[3]']);
  });
  it('goes to console.warn by default', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    createCorsPolicy({ origin: 'null' });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^@cors\/core: .*null-origin-allowed/));
    warn.mockRestore();
  });
});

describe('CorsConfigError.warnings', () => {
  it('carries the warnings of an invalid configuration, for linters', () => {
    try {
      createCorsPolicy({ origin: ['null', 'https://a.test/'], maxAge: 100_000 });
      expect.unreachable();
    } catch (error) {
      expect((error as CorsConfigError).warnings.map((w) => w.code)).toEqual([
        'null-origin-allowed',
        'max-age-above-browser-caps',
      ]);
    }
  });
});
