// `cors-doctor lint`: the start-up validation of @cors/core, run on a configuration file before
// deploying it. Every check is createCorsPolicy's own; this file loads the options and collects.
import { access, readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CorsConfigError,
  type CorsConfigIssue,
  type CorsOptions,
  type CorsWarning,
  createCorsPolicy,
} from '@cors/core';

/** Every problem `createCorsPolicy` finds in a configuration. */
export interface LintResult {
  /** Configuration errors: `createCorsPolicy` would throw a `CorsConfigError` with these. */
  errors: CorsConfigIssue[];
  /** Start-up warnings: the configuration works, but probably not as intended. */
  warnings: CorsWarning[];
}

/** The options file could not be read, imported or parsed. */
export class OptionsLoadError extends Error {
  override readonly name = 'OptionsLoadError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(`@cors/doctor: ${message}`, options);
  }
}

/**
 * Validates `options` with `createCorsPolicy` and returns every error and warning instead of
 * throwing or printing them.
 *
 * @example
 * ```ts
 * lintOptions({ origin: '*', credentials: true }).errors[0].fix;
 * ```
 */
export function lintOptions(options: unknown): LintResult {
  const warnings: CorsWarning[] = [];
  if (typeof options === 'function') {
    return {
      errors: [
        {
          option: 'options',
          message:
            'is a function of the request (per-request options), which can only be validated per request',
          fix: 'export the options object itself, or lint each object your function returns',
        },
      ],
      warnings,
    };
  }
  const isObject = options !== null && typeof options === 'object' && !Array.isArray(options);
  const collecting = isObject
    ? { ...(options as object), onWarning: (warning: CorsWarning) => warnings.push(warning) }
    : options;
  try {
    createCorsPolicy(collecting as CorsOptions);
  } catch (error) {
    if (error instanceof CorsConfigError)
      return { errors: [...error.issues], warnings: [...error.warnings] };
    throw error;
  }
  return { errors: [], warnings };
}

const MODULES = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']);

/**
 * Loads CORS options from a file: `.json` is parsed; a JavaScript or TypeScript module is imported
 * and its default export taken. Node 20 cannot import `.ts` by itself: run under `tsx`
 * (`NODE_OPTIONS='--import tsx'`) or, on Node 22.6 and later, with type stripping.
 */
export async function loadOptions(file: string, cwd = process.cwd()): Promise<unknown> {
  const path = resolve(cwd, file);
  const ext = extname(path).toLowerCase();
  try {
    await access(path);
  } catch (error) {
    const where = path === file ? '' : ` (looked at ${path})`;
    throw new OptionsLoadError(`cannot find ${file}${where}`, { cause: error });
  }
  if (ext === '.json') {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new OptionsLoadError(`cannot read ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new OptionsLoadError(`${file} is not valid JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  if (!MODULES.has(ext)) {
    throw new OptionsLoadError(
      `cannot load ${file}: expected a .json file or a JavaScript/TypeScript module (.js, .mjs, .cjs, .ts, .mts, .cts)`,
    );
  }
  let module: { default?: unknown };
  try {
    module = await import(pathToFileURL(path).href);
  } catch (error) {
    throw new OptionsLoadError(importFailure(file, ext, error), { cause: error });
  }
  if (module.default === undefined) {
    throw new OptionsLoadError(
      `${file} has no default export; end it with \`export default { origin: ... }\` (or module.exports = {...})`,
    );
  }
  return module.default;
}

function importFailure(file: string, ext: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && ext.endsWith('ts')) {
    return (
      `Node ${process.versions.node} cannot import TypeScript (${file}) by itself. Run it with tsx: ` +
      `NODE_OPTIONS='--import tsx' cors-doctor lint ${file} (npm install -D tsx), ` +
      `or on Node 22.6+ with type stripping: NODE_OPTIONS=--experimental-strip-types cors-doctor lint ${file} ` +
      '(on by default from Node 23.6); or put the options in a .js or .json file.'
    );
  }
  return `cannot import ${file}: ${(error as Error).message}`;
}
