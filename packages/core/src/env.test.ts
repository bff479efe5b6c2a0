import { describe, expect, it } from 'vitest';
import { corsOptionsFromEnv } from './env.js';
import { createCorsPolicy } from './policy.js';
import { CorsConfigError } from './validate.js';

describe('corsOptionsFromEnv', () => {
  it('reads every variable', () => {
    expect(
      corsOptionsFromEnv({
        CORS_ORIGINS: 'https://a.test, https://*.b.test  http://localhost:*',
        CORS_CREDENTIALS: 'true',
        CORS_METHODS: 'GET,POST',
        CORS_ALLOWED_HEADERS: 'Content-Type, Authorization',
        CORS_EXPOSED_HEADERS: 'X-Request-Id',
        CORS_MAX_AGE: '600',
      }),
    ).toEqual({
      origin: ['https://a.test', 'https://*.b.test', 'http://localhost:*'],
      credentials: true,
      methods: ['GET', 'POST'],
      allowedHeaders: ['Content-Type', 'Authorization'],
      exposedHeaders: ['X-Request-Id'],
      maxAge: 600,
    });
  });
  it('leaves unset and empty variables out, so defaults can be spread under it', () => {
    expect(corsOptionsFromEnv({ CORS_ORIGINS: '  ', OTHER: 'x' })).toEqual({});
  });
  it("keeps a single origin and '*' as strings", () => {
    expect(
      corsOptionsFromEnv({
        CORS_ORIGINS: '*',
        CORS_ALLOWED_HEADERS: '*',
        CORS_EXPOSED_HEADERS: '*',
      }),
    ).toEqual({
      origin: '*',
      allowedHeaders: '*',
      exposedHeaders: '*',
    });
  });
  it('honours a prefix', () => {
    expect(
      corsOptionsFromEnv(
        { API_CORS_ORIGINS: 'https://a.test', API_CORS_CREDENTIALS: 'no' },
        { prefix: 'API_CORS_' },
      ),
    ).toEqual({
      origin: 'https://a.test',
      credentials: false,
    });
  });
  it('names the variable in its errors', () => {
    try {
      corsOptionsFromEnv({ CORS_CREDENTIALS: 'maybe', CORS_MAX_AGE: '10m' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CorsConfigError);
      expect((error as CorsConfigError).issues.map((i) => i.option)).toEqual([
        'CORS_CREDENTIALS',
        'CORS_MAX_AGE',
      ]);
    }
  });
  it.each([
    ['https://app.example.com/', /trailing slash/, 'set CORS_ORIGINS=https://app.example.com'],
    [
      'https://a.test, app.example.com/api',
      /no scheme/,
      'set CORS_ORIGINS=https://a.test,https://app.example.com',
    ],
    ['https://a.test,*', /cannot be combined/, "set CORS_ORIGINS=* alone, or remove '*' from it"],
    [
      'https://*example.com',
      /inside a label/,
      "correct CORS_ORIGINS (comma-separated origins, each scheme://host[:port]): for 'https://*example.com', use https://*.example.com for every subdomain, or list the origins",
    ],
  ])('names CORS_ORIGINS for the origin %s, with the corrected variable', (value, message, fix) => {
    try {
      corsOptionsFromEnv({ CORS_ORIGINS: value });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CorsConfigError);
      const [issue, ...rest] = (error as CorsConfigError).issues;
      expect(rest).toEqual([]);
      expect(issue).toMatchObject({
        option: 'CORS_ORIGINS',
        message: expect.stringMatching(message),
        fix,
      });
      expect((error as Error).message).toContain('CORS_ORIGINS: ');
      // The corrected variable is accepted, through to createCorsPolicy.
      const corrected = /^set CORS_ORIGINS=(\S+)$/.exec(fix)?.[1];
      if (corrected !== undefined) {
        expect(() =>
          createCorsPolicy({
            origin: 'http://localhost:*',
            ...corsOptionsFromEnv({ CORS_ORIGINS: corrected }),
          }),
        ).not.toThrow();
      }
    }
  });
  it('names the variable of a malformed method or header name, with a prefix', () => {
    try {
      corsOptionsFromEnv(
        { API_METHODS: 'GET,P(ST', API_ALLOWED_HEADERS: 'X-A,X;B', API_EXPOSED_HEADERS: 'X-Id' },
        { prefix: 'API_' },
      );
      expect.unreachable();
    } catch (error) {
      expect((error as CorsConfigError).issues).toEqual([
        expect.objectContaining({
          option: 'API_METHODS',
          fix: 'set API_METHODS=GET (names separated by commas)',
        }),
        expect.objectContaining({
          option: 'API_ALLOWED_HEADERS',
          message: expect.stringContaining("'X;B'"),
        }),
      ]);
    }
  });
  it('reports every variable at once', () => {
    try {
      corsOptionsFromEnv({ CORS_ORIGINS: 'https://a.test/', CORS_MAX_AGE: 'soon' });
      expect.unreachable();
    } catch (error) {
      expect((error as CorsConfigError).issues.map((i) => i.option)).toEqual([
        'CORS_ORIGINS',
        'CORS_MAX_AGE',
      ]);
    }
  });
});
