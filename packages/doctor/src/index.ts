import { browserExchanges, type DoctorExchange, type DoctorRequest, report } from './diagnose.js';
import { ProbeError, probe } from './probe.js';
import type { DoctorReport } from './report.js';

export {
  analyse,
  type DoctorExchange,
  type DoctorPlan,
  type DoctorRequest,
  planRequests,
} from './diagnose.js';
export { type LintResult, lintOptions, loadOptions, OptionsLoadError } from './lint.js';
export { ProbeError } from './probe.js';
export type {
  DoctorCause,
  DoctorCauseId,
  DoctorErrorReport,
  DoctorFix,
  DoctorFramework,
  DoctorReport,
  DoctorResponse,
  DoctorSentRequest,
  DoctorStep,
  ProbeErrorKind,
} from './report.js';
export { type FixContext, fixesFor } from './snippets.js';

/** Bad input to {@link diagnose}: the message says what to write instead. */
export class DoctorUsageError extends Error {
  override readonly name = 'DoctorUsageError';
  constructor(message: string) {
    super(`@cors/doctor: ${message}`);
  }
}

/** What the page does, for {@link diagnose}. */
export interface DiagnoseOptions extends Omit<DoctorRequest, 'url'> {
  /** Milliseconds each request may take until its response headers arrive. @default 10000 */
  timeout?: number;
}

/**
 * Makes the requests a browser would make for `fetch(url, { method, headers, credentials })` from a
 * page of `origin` (the preflight when one is needed, then the actual request if the preflight
 * passes, then the redirects the browser follows, up to 20, each new URL preflighted again when
 * the request is not simple), checks each response with the browser model of `@cors/core` and
 * explains the outcome.
 *
 * Rejects with a {@link DoctorUsageError} for a bad URL or origin, and with a `ProbeError` (its
 * `kind`: `'dns'`, `'refused'`, `'timeout'`, `'tls'`, `'reset'` or `'network'`) when no response
 * arrives from `url`. When a URL a redirect leads to gives no response, the report's verdict is
 * `'undetermined'`.
 *
 * @example
 * ```ts
 * import { diagnose } from '@cors/doctor';
 *
 * const report = await diagnose('https://api.example.com/items', {
 *   origin: 'https://app.example.com',
 *   method: 'PUT',
 *   headers: { 'Content-Type': 'application/json' },
 *   credentials: true,
 * });
 * if (report.verdict === 'blocked') console.log(report.message, report.cause?.fix);
 * ```
 */
export async function diagnose(url: string, options: DiagnoseOptions): Promise<DoctorReport> {
  checkUrl(url);
  checkOrigin(options.origin);
  const { timeout = 10_000, ...rest } = options;
  const request: DoctorRequest = { url, ...rest };
  // The browser model says what to send next from what came back: a failed preflight ends it, a
  // redirect leads on.
  const walk = browserExchanges(request);
  let next = walk.next();
  while (!next.done) {
    const sent = next.value.request;
    let answer: DoctorExchange | ProbeError;
    try {
      answer = { request: sent, response: await probe({ ...sent, timeout }) };
    } catch (error) {
      if (!(error instanceof ProbeError)) throw error;
      answer = error;
    }
    next = walk.next(answer);
  }
  return report(request, next.value);
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DoctorUsageError(`'${url}' is not an absolute URL; write it as https://host/path`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new DoctorUsageError(`'${url}' is not an http or https URL`);
  }
}

/** Browsers send a serialised origin (or `null`): anything else would test a request no browser makes. */
function checkOrigin(origin: string | undefined): void {
  if (origin === 'null') return;
  let serialised: string | undefined;
  try {
    serialised = origin === undefined ? undefined : new URL(origin).origin;
  } catch {}
  if (origin !== undefined && serialised === origin) return;
  const hint =
    serialised && serialised !== 'null'
      ? `; did you mean ${serialised}?`
      : ', e.g. https://app.example.com';
  throw new DoctorUsageError(
    `the origin must be the page's origin as a browser sends it: scheme, host and port, no path or trailing slash (got '${origin ?? ''}')${hint}`,
  );
}
