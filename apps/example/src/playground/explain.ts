// Plain-language explanations for the playground: why the browser sent a preflight, why it
// blocked a response (from the browser model's error code), and what to change in the options.
// The verdicts themselves come from @cors/core's browser model; this file only words them.
import type { BrowserCheck, BrowserRequest, BrowserResponse, CorsErrorCode } from '@cors/core';
import { preflightRequestHeaders } from '@cors/core';

/** What the playground tells the user about one outcome. */
export interface Explanation {
  /** What happened, in a sentence or two. */
  explanation: string;
  /** What to change, in terms of the @cors options (or the page's fetch call). */
  fix: string;
}

/** Why `fetch()` sends a preflight for `request` (call only when needsPreflight says it does). */
export function preflightReason(request: BrowserRequest): string {
  const { method, requestHeaders } = preflightRequestHeaders(request);
  const reasons: string[] = [];
  if (!['GET', 'HEAD', 'POST'].includes(method)) reasons.push(`${method} is not GET, HEAD or POST`);
  if (requestHeaders) {
    reasons.push(
      `${requestHeaders.split(',').join(', ')} ${requestHeaders.includes(',') ? 'are' : 'is'} not CORS-safelisted`,
    );
  }
  return `The browser asked first with an OPTIONS preflight because ${reasons.join(' and ')}.`;
}

function header(response: BrowserResponse | undefined, name: string): string | undefined {
  const value = Object.entries(response?.headers ?? {}).find(
    ([n]) => n.toLowerCase() === name,
  )?.[1];
  return Array.isArray(value) ? value.join(', ') : (value as string | undefined);
}

/** Compact JSON with a space after each comma, as a user would type it. */
const json = (value: unknown) =>
  (JSON.stringify(value, null, 1) ?? 'undefined')
    .replace(/\n\s*/g, ' ')
    .replace(/([[{]) /g, '$1')
    .replace(/ ([\]}])/g, '$1');

/**
 * Explains a blocked check. `response` is the one the check failed on (the preflight's answer for
 * the Preflight… codes and the method and header codes, otherwise the actual response).
 */
export function explainBlocked(
  check: Extract<BrowserCheck, { ok: false }>,
  request: BrowserRequest,
  response: BrowserResponse | undefined,
  options: Readonly<Record<string, unknown>>,
): Explanation {
  const origin = request.origin;
  const code: CorsErrorCode = check.code;
  const acao = header(response, 'access-control-allow-origin') ?? '';
  const stage = code.startsWith('Preflight') ? 'The preflight answer' : 'The response';
  const allowOrigin = `Allow the page's origin: "origin": ${json(
    [...new Set([...[options.origin ?? []].flat(), origin])].filter((o) => typeof o === 'string'),
  )}.`;
  switch (code) {
    case 'MissingAllowOriginHeader':
    case 'PreflightMissingAllowOriginHeader':
      return {
        explanation: `${stage} (status ${response?.status ?? '?'}) has no Access-Control-Allow-Origin. @cors leaves every Access-Control-Allow-* header out when the request's origin, ${origin}, is not in "origin" (${json(options.origin)})${code === 'PreflightMissingAllowOriginHeader' ? ', and refuses the preflight with 403' : ''}.`,
        fix: allowOrigin,
      };
    case 'WildcardOriginNotAllowed':
    case 'PreflightWildcardOriginNotAllowed':
      return {
        explanation: `${stage} allows any origin with '*', but the page sent credentials ('include'). A browser never shares a credentialed response with "any origin".`,
        fix: `List the origin and allow credentials: "origin": ${json([origin])}, "credentials": true. Or call fetch() with credentials: 'omit' if the request needs no cookies.`,
      };
    case 'InvalidAllowCredentials':
    case 'PreflightInvalidAllowCredentials':
      return {
        explanation: `The page sent credentials ('include'), so the browser wants Access-Control-Allow-Credentials: true. ${stage} has ${header(response, 'access-control-allow-credentials') === undefined ? 'no such header' : `'${header(response, 'access-control-allow-credentials')}'`}.`,
        fix: `Set "credentials": true (with an explicit "origin" list), or call fetch() with credentials: 'omit' or 'same-origin'.`,
      };
    case 'MethodDisallowedByPreflightResponse': {
      const method = preflightRequestHeaders(request).method;
      const upper = method.toUpperCase();
      return {
        explanation: `The preflight answer allows the methods '${header(response, 'access-control-allow-methods') ?? ''}', and ${method} is not one of them. Methods are compared case-sensitively${method !== upper ? `: fetch() upper-cases get, post, put, delete, head and options, but sends '${method}' as written` : ''}.`,
        fix:
          method !== upper
            ? `Write the method in upper case in fetch() ('${upper}'), and list it: "methods": [..., "${upper}"].`
            : `Add it to the allowed methods: "methods": ${json([...new Set([...((options.methods as string[] | undefined) ?? ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE']), method])])}.`,
      };
    }
    case 'HeaderDisallowedByPreflightResponse': {
      const name = /field (\S+) is not allowed/.exec(check.message)?.[1] ?? '';
      return {
        explanation: `The page sends the request header ${name}, which needs permission, and the preflight answer allows only '${header(response, 'access-control-allow-headers') ?? ''}'.`,
        fix: `Add it to "allowedHeaders", or leave "allowedHeaders" out to allow whatever headers the page asks for.`,
      };
    }
    case 'PreflightInvalidStatus':
      return {
        explanation: `The preflight was answered with status ${response?.status ?? '?'}; the browser needs a 2xx${options.preflightContinue ? ', and "preflightContinue": true handed the preflight to the routes, which do not answer OPTIONS' : ''}.`,
        fix: options.preflightContinue
          ? 'Remove "preflightContinue" so that the middleware answers preflights itself.'
          : 'Let the CORS middleware answer the preflight before anything else (auth, routing) runs, with a 2xx "optionsSuccessStatus".',
      };
    case 'PreflightDisallowedRedirect':
      return {
        explanation: `The preflight was redirected (${response?.status ?? '?'} to ${header(response, 'location') ?? '?'}), and a preflight never follows redirects.`,
        fix: 'Call the final URL directly (check the scheme, host and trailing slash).',
      };
    case 'MultipleAllowOriginValues':
    case 'PreflightMultipleAllowOriginValues':
      return {
        explanation: `${stage} has several Access-Control-Allow-Origin values ('${acao}'): two layers (a proxy and the app, or two CORS middlewares) both add the header.`,
        fix: 'Keep one CORS layer and remove the other.',
      };
    case 'InvalidAllowOriginValue':
    case 'PreflightInvalidAllowOriginValue':
    case 'AllowOriginMismatch':
    case 'PreflightAllowOriginMismatch':
      return {
        explanation: `${stage} allows '${acao}', which is not the page's origin, ${origin} (compared byte for byte: scheme, host and port, no path or trailing slash).`,
        fix: allowOrigin,
      };
    case 'InvalidAllowMethodsPreflightResponse':
    case 'InvalidAllowHeadersPreflightResponse':
      return {
        explanation:
          'The browser cannot parse a list in the preflight answer: it must be comma-separated tokens.',
        fix: 'Send a comma-separated list of names, e.g. "GET, PUT".',
      };
    default:
      return { explanation: check.message, fix: 'See the console message.' };
  }
}
