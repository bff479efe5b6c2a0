import { whyNotAllowedHeader, whyNotExposedHeader } from './forbidden-headers.js';
import { type HostEntry, parseHostEntry } from './hosts.js';
import type {
  CorsDecision,
  CorsOptions,
  CorsRequest,
  CorsWarning,
  OriginFunction,
} from './options.js';
import { type ParsedEntry, parseOriginEntry } from './origins/entry.js';
import { checkRegExp, matchesNoOrigin, regExpFix } from './origins/regexp.js';
import { isToken, splitList } from './tokens.js';

/** One problem in a CORS configuration. */
export interface CorsConfigIssue {
  /** The option at fault, e.g. `'origin'` or `'origin[2]'`. */
  option: string;
  /** What is wrong and why it matters. */
  message: string;
  /** The exact change that fixes it. */
  fix: string;
}

/**
 * Thrown by `createCorsPolicy` when the configuration is invalid. `issues` lists every problem at
 * once, each with its fix, so one start-up shows everything to correct.
 */
export class CorsConfigError extends Error {
  override readonly name = 'CorsConfigError';
  readonly issues: readonly CorsConfigIssue[];
  /** The warnings the same configuration raised, so a linter can show everything at once. */
  readonly warnings: readonly CorsWarning[];

  constructor(issues: readonly CorsConfigIssue[], warnings: readonly CorsWarning[] = []) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    const lines = issues.map((i) => `  - ${i.option}: ${i.message}\n    fix: ${i.fix}`);
    super(`@cors/core: invalid CORS configuration (${count}):\n${lines.join('\n')}`);
    this.issues = issues;
    this.warnings = warnings;
  }
}

/** A configuration that passed validation, in the shape the compiler needs. */
export interface ValidatedOptions {
  origin:
    | { kind: 'any' }
    | { kind: 'list'; entries: ParsedEntry[]; regexps: RegExp[] }
    | { kind: 'function'; fn: OriginFunction };
  methods: string[];
  /** `null`: the requested names are allowed (reflected). */
  allowedHeaders: string[] | null;
  exposedHeaders: string[] | '*';
  credentials: boolean;
  maxAge: number | undefined;
  preflightContinue: boolean;
  optionsSuccessStatus: number;
  allowPrivateNetwork: boolean;
  timeout: number | undefined;
  crossOriginProtection: boolean;
  /** `undefined`: Host is not checked. */
  allowedHosts: HostEntry[] | undefined;
  onDecision: ((decision: CorsDecision, request: CorsRequest) => void) | undefined;
  onWarning: (warning: CorsWarning) => void;
  warnings: CorsWarning[];
}

const KNOWN_OPTIONS = [
  'origin',
  'methods',
  'allowedHeaders',
  'exposedHeaders',
  'credentials',
  'maxAge',
  'preflightContinue',
  'optionsSuccessStatus',
  'allowPrivateNetwork',
  'timeout',
  'crossOriginProtection',
  'allowedHosts',
  'onDecision',
  'onWarning',
] as const;

/** Spellings used by other CORS libraries, mapped to ours. */
const ALIASES: Record<string, string> = {
  headers: 'allowedHeaders',
  allowHeaders: 'allowedHeaders',
  exposeHeaders: 'exposedHeaders',
  allowMethods: 'methods',
  origins: 'origin',
  allowOrigin: 'origin',
  allowedOrigins: 'origin',
  allowCredentials: 'credentials',
  maxAgeSeconds: 'maxAge',
};

const DEFAULT_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'];
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
const LOCALHOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Validates a whole configuration; throws one `CorsConfigError` listing every problem. */
export function validateOptions(options: CorsOptions): ValidatedOptions {
  const issues: CorsConfigIssue[] = [];
  const warnings: CorsWarning[] = [];
  const problem = (option: string, message: string, fix: string) =>
    issues.push({ option, message, fix });

  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new CorsConfigError([
      {
        option: 'options',
        message: `expected an options object, got ${describe(options)}`,
        fix: "pass e.g. { origin: 'https://app.example.com' }",
      },
    ]);
  }
  for (const key of Object.keys(options)) {
    if ((KNOWN_OPTIONS as readonly string[]).includes(key)) continue;
    const suggestion = ALIASES[key] ?? closestName(key, KNOWN_OPTIONS);
    problem(
      key,
      'is not a known option',
      suggestion === undefined
        ? `remove it; known options: ${KNOWN_OPTIONS.join(', ')}`
        : `did you mean '${suggestion}'?`,
    );
  }

  const credentials = checkBoolean(options.credentials, 'credentials', problem);
  const origin = validateOrigin(options.origin, credentials, problem, warnings);

  let methods = DEFAULT_METHODS;
  if (options.methods !== undefined) {
    methods = checkNames(options.methods, 'methods', problem) ?? DEFAULT_METHODS;
    if (methods.includes('*')) {
      problem(
        'methods',
        "'*' is not supported: it is ignored by browsers with credentials",
        "list the methods, e.g. ['GET', 'POST', 'PUT', 'DELETE']",
      );
    }
    for (const m of methods) {
      if (FORBIDDEN_METHODS.has(m.toUpperCase())) {
        problem(
          'methods',
          `'${m}' is a forbidden method: browsers never send it from fetch()`,
          `remove '${m}'`,
        );
      }
    }
  }

  let allowedHeaders: string[] | null = null;
  if (options.allowedHeaders !== undefined && options.allowedHeaders !== '*') {
    allowedHeaders = checkNames(options.allowedHeaders, 'allowedHeaders', problem);
    if (allowedHeaders?.includes('*')) {
      problem(
        'allowedHeaders',
        "'*' must be used alone",
        "use allowedHeaders: '*' or list the names",
      );
    }
    for (const name of allowedHeaders ?? []) {
      const why = typeof name === 'string' ? whyNotAllowedHeader(name) : undefined;
      if (why !== undefined) problem('allowedHeaders', why, `remove '${name}'`);
    }
  }

  let exposedHeaders: string[] | '*' = [];
  if (options.exposedHeaders === '*') {
    exposedHeaders = '*';
    if (credentials) {
      problem(
        'exposedHeaders',
        "'*' means nothing to browsers when credentials are allowed (it is read as a header literally named '*')",
        "list the response headers to expose, e.g. ['X-Request-Id']",
      );
    }
  } else if (options.exposedHeaders !== undefined) {
    exposedHeaders = checkNames(options.exposedHeaders, 'exposedHeaders', problem) ?? [];
    for (const name of exposedHeaders) {
      const lower = name.toLowerCase();
      if (lower === 'set-cookie' || lower === 'set-cookie2') {
        problem(
          'exposedHeaders',
          `'${name}' can never be exposed: browsers filter it from every response`,
          `remove '${name}'`,
        );
      } else if (name === '*') {
        problem(
          'exposedHeaders',
          "'*' must be used alone",
          "use exposedHeaders: '*' or list the names",
        );
      } else {
        const why = whyNotExposedHeader(name);
        if (why !== undefined) problem('exposedHeaders', why, `remove '${name}'`);
      }
    }
  }

  const maxAge = options.maxAge;
  if (maxAge !== undefined) {
    if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 0) {
      problem(
        'maxAge',
        `must be a whole number of seconds >= 0, got ${describe(maxAge)}`,
        'use e.g. maxAge: 600',
      );
    } else if (maxAge > 86400) {
      warnings.push({
        code: 'max-age-above-browser-caps',
        option: 'maxAge',
        message: `maxAge ${maxAge} is above what browsers honour (Chromium caps at 7200 s, Firefox at 86400 s)`,
      });
    } else if (maxAge > 7200) {
      warnings.push({
        code: 'max-age-above-chromium-cap',
        option: 'maxAge',
        message: `maxAge ${maxAge} is above Chromium's cap of 7200 s; Chromium caches preflights for 7200 s at most`,
      });
    }
  }

  let optionsSuccessStatus = 204;
  if (options.optionsSuccessStatus !== undefined) {
    const s = options.optionsSuccessStatus;
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 200 || s > 299) {
      problem(
        'optionsSuccessStatus',
        `must be a whole number from 200 to 299 (a preflight must answer 2xx), got ${describe(s)}`,
        'use 204 (the default), or 200 for very old clients',
      );
    } else optionsSuccessStatus = s;
  }

  const timeout = options.timeout;
  if (
    timeout !== undefined &&
    (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout <= 0)
  ) {
    problem(
      'timeout',
      `must be a whole number of milliseconds > 0, got ${describe(timeout)}`,
      'use e.g. timeout: 2000, or omit it',
    );
  }
  for (const key of ['onDecision', 'onWarning'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') {
      problem(
        key,
        `must be a function, got ${describe(options[key])}`,
        `pass a function, or omit ${key}`,
      );
    }
  }
  const preflightContinue = checkBoolean(options.preflightContinue, 'preflightContinue', problem);
  const allowPrivateNetwork = checkBoolean(
    options.allowPrivateNetwork,
    'allowPrivateNetwork',
    problem,
  );

  const crossOriginProtection = checkBoolean(
    options.crossOriginProtection,
    'crossOriginProtection',
    problem,
  );
  if (crossOriginProtection && origin?.kind === 'any') {
    warnings.push({
      code: 'cross-origin-protection-without-effect',
      option: 'crossOriginProtection',
      message:
        "crossOriginProtection refuses only origins that origin does not allow, and origin: '*' allows every one: list your origins to protect anything",
    });
  }
  const allowedHosts = validateHosts(options.allowedHosts, problem);

  if (issues.length > 0) throw new CorsConfigError(issues, warnings);
  return {
    origin: origin!,
    methods,
    allowedHeaders,
    exposedHeaders,
    credentials,
    maxAge: maxAge as number | undefined,
    preflightContinue,
    optionsSuccessStatus,
    allowPrivateNetwork,
    timeout: timeout as number | undefined,
    crossOriginProtection,
    allowedHosts,
    onDecision: options.onDecision as ValidatedOptions['onDecision'],
    onWarning: options.onWarning ?? ((w) => console.warn(`@cors/core: ${w.message} [${w.code}]`)),
    warnings,
  };
}

type Problem = (option: string, message: string, fix: string) => void;

function validateOrigin(
  origin: unknown,
  credentials: boolean,
  problem: Problem,
  warnings: CorsWarning[],
): ValidatedOptions['origin'] | undefined {
  if (origin === undefined) {
    problem(
      'origin',
      'is required: there is no default, because a silent "*" is how APIs end up open to every site',
      "set it to your front end's origin, e.g. origin: 'https://app.example.com', or '*' for a public API without credentials",
    );
    return undefined;
  }
  if (origin === true) {
    problem(
      'origin',
      "true (reflect any origin) is refused: with credentials it lets every site read your users' data",
      credentials
        ? "list the origins that may send credentials, e.g. origin: ['https://app.example.com']"
        : "use '*' for a public API without credentials, or list the origins: ['https://app.example.com']",
    );
    return undefined;
  }
  if (origin === false) {
    problem(
      'origin',
      'false is not accepted',
      'to turn CORS off, do not install the middleware (or use cors: false on a route)',
    );
    return undefined;
  }
  if (origin === '*') {
    if (credentials) {
      problem(
        'origin',
        "'*' cannot be used with credentials: true; browsers refuse Access-Control-Allow-Origin: * on credentialed requests",
        "list the origins that may send credentials, e.g. origin: ['https://app.example.com']",
      );
    }
    return { kind: 'any' };
  }
  if (typeof origin === 'function') return { kind: 'function', fn: origin as OriginFunction };
  const list = Array.isArray(origin) ? origin : [origin];
  if (list.length === 0) {
    problem(
      'origin',
      'is an empty list: no origin would ever be allowed',
      "list at least one origin, e.g. ['https://app.example.com']",
    );
  }
  const entries: ParsedEntry[] = [];
  const regexps: RegExp[] = [];
  list.forEach((entry: unknown, index) => {
    const option = Array.isArray(origin) ? `origin[${index}]` : 'origin';
    if (entry instanceof RegExp) {
      const message = checkRegExp(entry);
      if (message !== undefined) {
        problem(option, message, regExpFix(entry));
        return;
      }
      regexps.push(entry);
      if (matchesNoOrigin(entry)) {
        warnings.push({
          code: 'regexp-matches-no-origin',
          option,
          message: `${entry} can never match: an Origin is scheme://host[:port] (https://app.example.com) and it has no ':' for the scheme; ${regExpFix(entry)}`,
        });
      }
      return;
    }
    if (typeof entry !== 'string') {
      problem(
        option,
        `must be a string or a RegExp, got ${describe(entry)}`,
        "use e.g. 'https://app.example.com'",
      );
      return;
    }
    if (entry === '*') {
      problem(
        option,
        "'*' cannot be combined with other origins",
        "use origin: '*' alone, or remove '*' from the list",
      );
      return;
    }
    const parsed = parseOriginEntry(entry);
    if ('fix' in parsed) {
      problem(option, parsed.message, parsed.fix);
      return;
    }
    entries.push(parsed);
    if (parsed.kind === 'exact' && parsed.origin === 'null') {
      warnings.push({
        code: 'null-origin-allowed',
        option,
        message:
          "the 'null' origin is allowed: sandboxed iframes, file: pages and some redirects send it, and any site can create one",
      });
    } else if (credentials && isPlainHttpRemote(parsed)) {
      warnings.push({
        code: 'credentials-over-http',
        option,
        message: `'${entry}' is plain http with credentials: anyone on the network can read or forge its traffic`,
      });
    }
  });
  return { kind: 'list', entries, regexps };
}

function validateHosts(hosts: unknown, problem: Problem): HostEntry[] | undefined {
  if (hosts === undefined) return undefined;
  if (!Array.isArray(hosts) || hosts.length === 0) {
    problem(
      'allowedHosts',
      `must be a non-empty array of host names, got ${describe(hosts)}`,
      "use e.g. allowedHosts: ['api.example.com'], or ['localhost', '127.0.0.1', '[::1]'] for a local server; omit it to leave Host unchecked",
    );
    return undefined;
  }
  const entries: HostEntry[] = [];
  hosts.forEach((entry: unknown, index) => {
    const parsed = parseHostEntry(entry);
    if ('fix' in parsed) problem(`allowedHosts[${index}]`, parsed.message, parsed.fix);
    else entries.push(parsed);
  });
  return entries;
}

/** Whether an entry is plain `http:` on a host other than the local machine. */
function isPlainHttpRemote(entry: ParsedEntry): boolean {
  if (entry.kind === 'exact') {
    return (
      entry.origin.startsWith('http://') &&
      !LOCALHOSTS.has(entry.origin.slice(7).replace(/:[0-9]+$/, ''))
    );
  }
  return entry.scheme === 'http' && !(entry.kind === 'any-port' && LOCALHOSTS.has(entry.host));
}

function checkBoolean(value: unknown, option: string, problem: Problem): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    problem(
      option,
      `must be true or false, got ${describe(value)}`,
      `use ${option}: ${value === 'true' ? 'true' : 'false'}`,
    );
    return false;
  }
  return value;
}

function checkNames(value: unknown, option: string, problem: Problem): string[] | null {
  if (typeof value !== 'string' && !Array.isArray(value)) {
    problem(
      option,
      `must be a list of names or a comma-separated string, got ${describe(value)}`,
      `use e.g. ${option}: ['X-Custom']`,
    );
    return null;
  }
  const names = splitList(value as string | string[]);
  for (const name of names) {
    if (typeof name !== 'string' || (!isToken(name) && name !== '*')) {
      problem(
        option,
        `${describe(name)} is not a valid HTTP token (letters, digits and !#$%&'*+-.^_\`|~ only)`,
        `remove or correct ${describe(name)}`,
      );
    }
  }
  return names;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof RegExp) return String(value);
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}

/**
 * The candidate closest to `key` by edit distance (case-insensitive), when it is close enough to be
 * a typo: at most 2 edits, or a third of `key`'s length for longer names. Used for the
 * "did you mean" of unknown options, and by `cors-doctor` for its flags.
 *
 * @example
 * ```ts
 * closestName('credential', ['origin', 'credentials']); // 'credentials'
 * closestName('verbose', ['origin', 'credentials']); // undefined
 * ```
 */
export function closestName(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
