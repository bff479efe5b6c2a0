import { type CorsOptions, corsOptionsFromEnv } from '@cors/core';

/**
 * The one configuration every adapter runs with: development origins by default, overridden by
 * `CORS_ORIGINS` and the other `CORS_*` variables (see corsOptionsFromEnv in @cors/core).
 */
export function exampleOptions(env: Readonly<Record<string, string | undefined>>): CorsOptions {
  return {
    origin: ['http://localhost:*', 'http://127.0.0.1:*'],
    credentials: true,
    exposedHeaders: ['X-Request-Id', 'X-Total-Count'],
    maxAge: 600,
    ...corsOptionsFromEnv(env),
  };
}

/** An origin the configuration allows, for the printed curl example. */
export function sampleOrigin(options: CorsOptions): string {
  const first = [options.origin].flat()[0];
  if (typeof first !== 'string' || first === '*') return 'http://localhost:5173';
  return first.replace(':*', ':5173').replace('*.', 'app.');
}
