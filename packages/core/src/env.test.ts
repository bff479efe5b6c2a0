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
  it('feeds createCorsPolicy, whose errors then name the entry', () => {
    const options = {
      origin: 'http://localhost:*',
      ...corsOptionsFromEnv({ CORS_ORIGINS: 'https://a.test/' }),
    };
    expect(() => createCorsPolicy(options)).toThrow(/trailing slash/);
  });
});
