import type { CorsOptions } from './options.js';
import { parseOriginEntry } from './origins/entry.js';
import { isToken } from './tokens.js';
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
    checkOrigins(`${prefix}ORIGINS`, entries, issues);
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
  if (methods !== undefined)
    options.methods = checkTokens(`${prefix}METHODS`, list(methods), issues);
  const allowed = read('ALLOWED_HEADERS');
  if (allowed !== undefined) {
    options.allowedHeaders =
      allowed === '*' ? '*' : checkTokens(`${prefix}ALLOWED_HEADERS`, list(allowed), issues);
  }
  const exposed = read('EXPOSED_HEADERS');
  if (exposed !== undefined) {
    options.exposedHeaders =
      exposed === '*' ? '*' : checkTokens(`${prefix}EXPOSED_HEADERS`, list(exposed), issues);
  }
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

/**
 * Checks each origin of the variable as `createCorsPolicy` would, so the error names the variable
 * and its fix is the variable's corrected value (`set CORS_ORIGINS=https://app.example.com`).
 */
function checkOrigins(variable: string, entries: string[], issues: CorsConfigIssue[]): void {
  if (entries.length > 1 && entries.includes('*')) {
    issues.push({
      option: variable,
      message: "'*' cannot be combined with other origins",
      fix: `set ${variable}=* alone, or remove '*' from it`,
    });
    return;
  }
  const fixed = [...entries];
  const messages: string[] = [];
  const advice: string[] = [];
  entries.forEach((entry, index) => {
    if (entry === '*') return;
    const parsed = parseOriginEntry(entry);
    if (!('fix' in parsed)) return;
    messages.push(parsed.message);
    const replacement = /^use '([^']*)'$/.exec(parsed.fix)?.[1];
    if (replacement === undefined) advice.push(`for '${entry}', ${parsed.fix}`);
    else fixed[index] = replacement;
  });
  if (messages.length === 0) return;
  issues.push({
    option: variable,
    message: messages.join('; '),
    fix:
      advice.length > 0
        ? `correct ${variable} (comma-separated origins, each scheme://host[:port]): ${advice.join('; ')}`
        : `set ${variable}=${fixed.join(',')}`,
  });
}

/** Method and header names must be HTTP tokens: the error names the variable. */
function checkTokens(variable: string, names: string[], issues: CorsConfigIssue[]): string[] {
  const bad = names.filter((name) => !isToken(name) && name !== '*');
  if (bad.length > 0) {
    issues.push({
      option: variable,
      message: `${bad.map((name) => `'${name}'`).join(', ')} ${bad.length === 1 ? 'is not a valid HTTP token' : 'are not valid HTTP tokens'} (letters, digits and !#$%&'*+-.^_\`|~ only)`,
      fix: `set ${variable}=${names.filter((name) => !bad.includes(name)).join(',') || '...'} (names separated by commas)`,
    });
  }
  return names;
}
