// The `cors-doctor` command: argument parsing and output. Everything it reports comes from
// diagnose() and lintOptions(); this file only turns them into text or JSON and an exit code.
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { closestName, needsPreflight } from '@cors/core';
import { type DoctorRequest, planRequests, toBrowserRequest } from './diagnose.js';
import { DoctorUsageError, diagnose } from './index.js';
import { type LintResult, lintOptions, loadOptions, OptionsLoadError } from './lint.js';
import { ProbeError } from './probe.js';
import type { DoctorErrorReport, DoctorReport, DoctorResponse, DoctorStep } from './report.js';

/** Where the CLI writes and what it knows of its terminal; injected by tests. */
export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Whether stdout is a terminal (colour only then). */
  isTTY?: boolean;
  /** The environment (`NO_COLOR`, `TERM`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The directory `lint <file>` resolves from. */
  cwd?: string;
}

/** Exit codes: the report's verdict, or a failure to get one. */
export const EXIT = { allowed: 0, blocked: 1, error: 2, undetermined: 3 } as const;

const HELP = `Usage:
  cors-doctor <url> --origin <origin> [options]   diagnose a cross-origin fetch() as Chrome sees it
  cors-doctor lint <file> [--json]                 check a CORS configuration (.json, .js, .ts)

Options:
  --origin <origin>        the page's origin, e.g. https://app.example.com (required)
  -X, --method <method>    the fetch() method (default GET)
  -H, --header 'Name: v'   a header the script sets (repeatable)
  --credentials            fetch() with credentials: 'include' (cookies, HTTP auth)
  --timeout <ms>           how long each request may take (default 10000)
  --json                   print the report as JSON (schema in the README)
  --curl                   also print each request as a curl command
  -h, --help               this help
  -v, --version            the version

Exit codes: 0 allowed, 1 blocked (or lint found errors), 2 usage or network error,
3 undetermined (a redirect led where the doctor cannot judge).
Redirects are followed as Chrome follows them (up to 20), each hop checked.
Colour only on a terminal; NO_COLOR turns it off.`;

const OPTIONS = {
  origin: { type: 'string' },
  method: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  credentials: { type: 'boolean' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  curl: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/**
 * Runs `cors-doctor` with `argv` (the arguments after the command name) and resolves with the exit
 * code. Never throws for a user's mistake or a network failure: those print and resolve with 2.
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const env = io.env ?? {};
  const paint = painter(io.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb');
  let json = argv.includes('--json');
  const fail = (kind: DoctorErrorReport['error']['kind'], message: string): number => {
    if (json) {
      const report: DoctorErrorReport = { version: 1, verdict: 'error', error: { kind, message } };
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      io.stderr.write(`${paint.red(message)}\n`);
      if (kind === 'usage') io.stderr.write('Run cors-doctor --help for usage.\n');
    }
    return EXIT.error;
  };

  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return fail('usage', `@cors/doctor: ${parseProblem(error as Error & { code?: string }, argv)}`);
  }
  const { values, positionals } = parsed;
  json = values.json === true;
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT.allowed;
  }
  if (values.version) {
    io.stdout.write(`${createRequire(import.meta.url)('../package.json').version}\n`);
    return EXIT.allowed;
  }

  if (positionals[0] === 'lint') {
    const extra = Object.keys(values).filter((name) => name !== 'json');
    if (positionals.length !== 2 || extra.length > 0) {
      return fail('usage', '@cors/doctor: usage: cors-doctor lint <file> [--json]');
    }
    return lint(positionals[1]!, io, json, paint, fail);
  }

  let request: DoctorRequest;
  let timeout: number;
  try {
    ({ request, timeout } = toRequest(values, positionals));
  } catch (error) {
    if (error instanceof DoctorUsageError) return fail('usage', error.message);
    throw error;
  }

  let report: DoctorReport;
  try {
    report = await diagnose(request.url, { ...request, timeout });
  } catch (error) {
    if (error instanceof DoctorUsageError) return fail('usage', error.message);
    if (!(error instanceof ProbeError)) throw error;
    if (values.curl && !json) io.stdout.write(planned(request));
    return fail(error.kind, error.message);
  }

  io.stdout.write(
    json ? `${JSON.stringify(report, null, 2)}\n` : render(report, paint, values.curl === true),
  );
  return EXIT[report.verdict];
}

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
}

const LONG_FLAGS = Object.keys(OPTIONS);
const SHORT_FLAGS = Object.values(OPTIONS).flatMap((o) => ('short' in o ? [`-${o.short}`] : []));

/**
 * What went wrong in parseArgs, in the user's terms: an unknown flag gets the closest known one
 * (`--credential`: did you mean --credentials?), as @cors/core does for unknown options.
 */
function parseProblem(error: Error & { code?: string }, argv: readonly string[]): string {
  const flag = /'(-[^']*)'/.exec(error.message)?.[1];
  if (error.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || flag === undefined) return error.message;
  // parseArgs names the first letter of a one-dash word (-credentials is '-c'): use what was typed.
  const typed = flag.startsWith('--')
    ? flag
    : (argv.find((arg) => arg.startsWith(flag) && !arg.startsWith('--')) ?? flag);
  const suggestion =
    typed.length > 2
      ? `--${closestName(typed.replace(/^--?/, '').split('=')[0]!, LONG_FLAGS) ?? ''}`
      : SHORT_FLAGS.find((short) => short.toLowerCase() === typed.toLowerCase());
  return suggestion === undefined || suggestion === '--'
    ? `unknown option ${typed}; the options are ${[...LONG_FLAGS.map((f) => `--${f}`), ...SHORT_FLAGS].join(', ')}`
    : `unknown option ${typed}: did you mean ${suggestion}?`;
}

function toRequest(
  values: ReturnType<typeof parse>['values'],
  positionals: string[],
): { request: DoctorRequest; timeout: number } {
  const command = positionals.length === 2 ? closestName(positionals[0]!, ['lint']) : undefined;
  if (command !== undefined) {
    throw new DoctorUsageError(
      `unknown command '${positionals[0]}': did you mean cors-doctor ${command} ${positionals[1]}?`,
    );
  }
  if (positionals.length !== 1) {
    throw new DoctorUsageError(
      positionals.length === 0
        ? 'give the URL to diagnose: cors-doctor <url> --origin <origin>'
        : `expected one URL, got ${positionals.length} arguments (${positionals.join(' ')})`,
    );
  }
  if (values.origin === undefined) {
    throw new DoctorUsageError(
      '--origin is required: the origin of the page that calls fetch(), e.g. --origin https://app.example.com',
    );
  }
  const method = values.method ?? 'GET';
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(method)) {
    throw new DoctorUsageError(`--method '${method}' is not a valid HTTP method`);
  }
  const headers: Record<string, string> = {};
  for (const line of values.header ?? []) {
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon).trim();
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
      throw new DoctorUsageError(`-H '${line}' is not a header; write -H 'Name: value'`);
    }
    if (name.toLowerCase() === 'origin') {
      throw new DoctorUsageError("give the page's origin with --origin, not -H 'Origin: ...'");
    }
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const timeout = values.timeout === undefined ? 10_000 : Number(values.timeout);
  if (!Number.isInteger(timeout) || timeout <= 0) {
    throw new DoctorUsageError(
      `--timeout '${values.timeout}' must be a whole number of milliseconds`,
    );
  }
  return {
    request: {
      url: positionals[0]!,
      origin: values.origin,
      method,
      headers,
      credentials: values.credentials === true,
    },
    timeout,
  };
}

// ---------------------------------------------------------------------------------------------
// Human output

interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

function painter(enabled: boolean): Paint {
  const style = (open: number, close: number) => (text: string) =>
    enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    bold: style(1, 22),
    dim: style(2, 22),
    red: style(31, 39),
    green: style(32, 39),
    yellow: style(33, 39),
    cyan: style(36, 39),
  };
}

// The response headers that matter to CORS and to the causes the doctor names.
const SHOWN = /^(?:access-control-|vary$|cache-control$|age$|location$)/;

/** The report as text: each exchange, the verdict, Chrome's message, the cause and the fixes. */
export function render(report: DoctorReport, paint: Paint, curl: boolean): string {
  const { request } = report;
  const out: string[] = [];
  const credentials = request.credentials ? " with credentials: 'include'" : '';
  out.push(
    `${paint.bold('cors-doctor')}  fetch ${request.method} ${request.url} from ${request.origin}${credentials}`,
    '',
    preflightReason(report),
  );

  // Each exchange; a run of identical ones (a redirect loop) shows its first and last.
  const steps = report.steps.map((step, index) => {
    const after = step.hop === 0 ? '' : `, after ${plural(step.hop, 'redirect')}`;
    const title = `${index + 1}. ${step.kind === 'preflight' ? 'Preflight' : 'Actual request'}${after}`;
    const lines = [`   > ${step.request.method} ${step.request.url}`];
    for (const [name, value] of Object.entries(step.request.headers)) {
      lines.push(paint.dim(`   > ${name}: ${value}`));
    }
    if (curl) lines.push(paint.cyan(`   $ ${step.request.curl}`));
    lines.push(...responseLines(step.response, paint), checkLine(step, paint));
    if (step.redirectTo) lines.push(`   ↪ the browser follows the redirect to ${step.redirectTo}`);
    return { title, lines };
  });
  const last = report.steps.at(-1);
  if (report.verdict === 'blocked' && last?.check.ok) {
    steps
      .at(-1)!
      .lines.push(
        paint.red(
          `   ✗ the browser does not follow the redirect: ${report.code ?? report.networkError}`,
        ),
      );
  }
  const same = (a: string[], b: string[]) => a.join('\n') === b.join('\n');
  for (let first = 0; first < steps.length; ) {
    let end = first;
    while (end + 1 < steps.length && same(steps[end + 1]!.lines, steps[first]!.lines)) end++;
    const shown =
      end - first >= 3
        ? [first, end]
        : Array.from({ length: end - first + 1 }, (_, i) => first + i);
    for (const index of shown) {
      if (index === end && end - first >= 3) {
        out.push('', paint.dim(`   … steps ${first + 2} to ${end} are the same exchange again …`));
      }
      out.push('', paint.bold(steps[index]!.title), ...steps[index]!.lines);
    }
    first = end + 1;
  }

  out.push('');
  if (report.verdict === 'undetermined') {
    out.push(
      `${paint.bold(paint.yellow('UNDETERMINED'))}: the doctor cannot tell what the browser gets.`,
    );
  } else if (report.verdict === 'blocked') {
    out.push(paint.bold(paint.red('BLOCKED')), '', ...chromeSays(report));
  } else {
    out.push(
      paint.bold(paint.green('ALLOWED')) +
        (report.cause ? paint.yellow(' (with a problem)') : ': the page can read the response.'),
    );
  }
  if (report.cause) {
    out.push(
      '',
      `${paint.bold('Cause:')} ${report.cause.summary} ${paint.dim(`[${report.cause.id}]`)}`,
      `  ${report.cause.detail}`,
      '',
      `${paint.bold('Fix:')} ${report.cause.fix}`,
    );
    for (const fix of report.fixes) {
      out.push('', `  ${paint.bold(fix.title)} (${fix.package})`);
      for (const line of fix.code.split('\n')) out.push(line === '' ? '' : `    ${line}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function preflightReason(report: DoctorReport): string {
  if (!report.preflight) {
    return `No preflight: a ${report.request.method} with only CORS-safelisted headers goes out directly.`;
  }
  const browser = toBrowserRequest({ ...report.request });
  const methodNeedsIt = needsPreflight({ ...browser, headers: {} });
  const asked = report.steps[0]?.request.headers['access-control-request-headers']?.replace(
    /,/g,
    ', ',
  );
  const reasons = [
    ...(methodNeedsIt ? [`the method ${report.request.method} is not CORS-safelisted`] : []),
    ...(asked
      ? [
          asked.includes(',')
            ? `the headers ${asked} are not CORS-safelisted`
            : `the header ${asked} is not CORS-safelisted`,
        ]
      : []),
  ];
  return `Preflight needed: ${reasons.join(', and ')}.`;
}

function responseLines(response: DoctorResponse, paint: Paint): string[] {
  const lines = [`   < ${response.status} ${response.statusText}`.trimEnd()];
  const shown = Object.entries(response.headers).filter(([name]) => SHOWN.test(name));
  for (const [name, value] of shown) {
    for (const item of typeof value === 'string' ? [value] : value) {
      lines.push(`   < ${name}: ${item}`);
    }
  }
  if (!shown.some(([name]) => name.startsWith('access-control-'))) {
    lines.push(paint.dim('   < (no Access-Control-* headers)'));
  }
  return lines;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** What Chrome prints for a blocked fetch: the CORS line, or the network error's. */
function chromeSays(report: DoctorReport): string[] {
  if (report.message) return ['Chrome prints:', `  ${report.message}`];
  const error = report.networkError ?? '';
  const last = report.steps.at(-1)!;
  const target = String(last.response.headers.location);
  const line =
    error === 'MixedContent'
      ? `Mixed Content: The page at '<your page>' was loaded over HTTPS, but requested an insecure resource '${new URL(target, last.request.url).href}'. This request has been blocked; the content must be served over HTTPS.`
      : error === 'LocalResource'
        ? `Not allowed to load local resource: ${new URL(target, last.request.url).href}`
        : `Failed to load resource: net::${error}`;
  return ['Chrome prints no CORS message, only:', `  ${line}`];
}

function checkLine(step: DoctorStep, paint: Paint): string {
  return step.check.ok
    ? paint.green('   ✓ passes the browser check')
    : paint.red(`   ✗ fails the browser check: ${step.check.code}`);
}

/** The planned requests as curl commands, for when the network failed before any answer. */
function planned(request: DoctorRequest): string {
  const plan = planRequests(request);
  const lines = plan.preflight
    ? [plan.preflight.curl, '# then, if the preflight passes:', plan.actual.curl]
    : [plan.actual.curl];
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// lint

async function lint(
  file: string,
  io: CliIO,
  json: boolean,
  paint: Paint,
  fail: (kind: 'usage', message: string) => number,
): Promise<number> {
  let result: LintResult;
  try {
    result = lintOptions(await loadOptions(file, io.cwd));
  } catch (error) {
    if (error instanceof OptionsLoadError) return fail('usage', error.message);
    throw error;
  }
  const { errors, warnings } = result;
  if (json) {
    io.stdout.write(`${JSON.stringify({ version: 1, file, errors, warnings }, null, 2)}\n`);
  } else {
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    const out = [
      errors.length + warnings.length === 0
        ? paint.green(`✓ ${file}: no problems; createCorsPolicy accepts it.`)
        : `${errors.length > 0 ? paint.red('✗') : paint.yellow('!')} ${file}: ${count(errors.length, 'error')}, ${count(warnings.length, 'warning')}`,
    ];
    for (const issue of errors) {
      out.push('', `${paint.red('error')}   ${paint.bold(issue.option)}: ${issue.message}`);
      out.push(`        fix: ${issue.fix}`);
    }
    for (const warning of warnings) {
      out.push(
        '',
        `${paint.yellow('warning')} ${paint.bold(warning.option)}: ${warning.message} ${paint.dim(`[${warning.code}]`)}`,
      );
    }
    io.stdout.write(`${out.join('\n')}\n`);
  }
  return errors.length > 0 ? EXIT.blocked : EXIT.allowed;
}

// Run when executed (`node dist/cli.js`, the `cors-doctor` bin), not when imported by tests.
if (invokedDirectly()) {
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: process.stdout.isTTY === true,
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = EXIT.error;
    },
  );
}

function invokedDirectly(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}
