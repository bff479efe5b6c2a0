import type { CorsOptions } from './options.js';
import { CorsConfigError, type CorsConfigIssue } from './validate.js';

/** Settings of {@link corsOptionsFromEnv}. */
export interface CorsEnvOptions {
  /** Prefix of the variable names. @default 'CORS_' */
  prefix?: string;
}

/**
 * Reads CORS options from environment variables, so each deployment sets its own origins:
 *
 * | variable | option | example |
 * |---|---|---|
 * | `CORS_ORIGINS` | `origin` (comma or space separated; `*` alone) | `https://app.example.com,https://*.preview.example.com` |
 * | `CORS_CREDENTIALS` | `credentials` | `true` |
 * | `CORS_METHODS` | `methods` | `GET,POST` |
 * | `CORS_ALLOWED_HEADERS` | `allowedHeaders` | `Content-Type,Authorization` |
 * | `CORS_EXPOSED_HEADERS` | `exposedHeaders` | `X-Request-Id` |
 * | `CORS_MAX_AGE` | `maxAge` | `600` |
 *
 * Unset variables are left out, so spread the result over your defaults. Malformed values throw a
 * `CorsConfigError` naming the variable; the options themselves are checked by `createCorsPolicy`.
 *
 * @example
 * ```ts
 * const options = {
 *   origin: process.env.NODE_ENV === 'production' ? 'https://app.example.com' : 'http://localhost:*',
 *   ...corsOptionsFromEnv(process.env),
 * };
 * ```
 */
export function corsOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  { prefix = 'CORS_' }: CorsEnvOptions = {},
): Partial<CorsOptions> {
  const issues: CorsConfigIssue[] = [];
  const read = (name: string) => {
    const value = env[`${prefix}${name}`]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const list = (value: string) => value.split(/[\s,]+/).filter((item) => item !== '');
  const options: Partial<CorsOptions> = {};

  const origins = read('ORIGINS');
  if (origins !== undefined) {
    const entries = list(origins);
    options.origin = entries.length === 1 ? (entries[0] as string) : entries;
  }
  const credentials = read('CREDENTIALS');
  if (credentials !== undefined) {
    if (/^(true|1|yes)$/i.test(credentials)) options.credentials = true;
    else if (/^(false|0|no)$/i.test(credentials)) options.credentials = false;
    else {
      issues.push({
        option: `${prefix}CREDENTIALS`,
        message: `must be true or false, got '${credentials}'`,
        fix: `set ${prefix}CREDENTIALS=true or ${prefix}CREDENTIALS=false`,
      });
    }
  }
  const methods = read('METHODS');
  if (methods !== undefined) options.methods = list(methods);
  const allowed = read('ALLOWED_HEADERS');
  if (allowed !== undefined) options.allowedHeaders = allowed === '*' ? '*' : list(allowed);
  const exposed = read('EXPOSED_HEADERS');
  if (exposed !== undefined) options.exposedHeaders = exposed === '*' ? '*' : list(exposed);
  const maxAge = read('MAX_AGE');
  if (maxAge !== undefined) {
    if (/^[0-9]+$/.test(maxAge)) options.maxAge = Number(maxAge);
    else {
      issues.push({
        option: `${prefix}MAX_AGE`,
        message: `must be a whole number of seconds, got '${maxAge}'`,
        fix: `set ${prefix}MAX_AGE=600 (or leave it unset)`,
      });
    }
  }
  if (issues.length > 0) throw new CorsConfigError(issues);
  return options;
}
