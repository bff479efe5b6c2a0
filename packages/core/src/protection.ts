import { hostRefusalMessage } from './hosts.js';
import type { CorsDecision, CorsRequest } from './options.js';

// RFC 9110 §9.2.1's safe methods that browsers send: a form or a fetch() can change state only with
// the others. OPTIONS is a preflight or answered like one.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a browser sent this request from another origin, decided as Go's `net/http`
 * `CrossOriginProtection` does (https://pkg.go.dev/net/http#CrossOriginProtection):
 * 1. `Sec-Fetch-Site` decides when present: only `same-origin` and `none` (the user typed the URL)
 *    are the site's own; `same-site`, `cross-site` and any value no browser sends are not.
 * 2. Without it (browsers before 2023), no `Origin` is a same-origin or non-browser request.
 * 3. Otherwise the `Origin`'s host[:port] must be the request's own `Host`. The scheme cannot be
 *    compared (Host has none), so `http://` pages of the same host pass: HSTS closes that gap.
 *    A proxy that rewrites `Host` makes same-origin requests of such old browsers look foreign
 *    (refused, never the reverse): forward the original Host, or list your own origin.
 */
export function isCrossOrigin(request: CorsRequest): boolean {
  const site = request.secFetchSite;
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = request.origin;
  if (origin === undefined) return false;
  const host = request.host;
  const scheme = origin.indexOf('://');
  return host === undefined || scheme === -1 || origin.slice(scheme + 3) !== host.toLowerCase();
}

/** Whether a request can change state: anything but GET, HEAD and OPTIONS (case-sensitive). */
export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method);
}

/** The headers of every refusal that carries an explanation (text, never sniffed as HTML). */
const TEXT = Object.freeze({
  'content-type': 'text/plain; charset=utf-8',
  'x-content-type-options': 'nosniff',
});

const CROSS_ORIGIN_MESSAGE =
  '@cors: cross-origin request refused (crossOriginProtection): a page on another origin may not send this request here. If that origin should, add it to the origin option.\n';

const refusal = (kind: 'actual' | 'not-cors'): CorsDecision =>
  Object.freeze({
    kind,
    allowed: false,
    reason: 'cross-origin-request-refused',
    status: 403,
    body: CROSS_ORIGIN_MESSAGE,
    // The answer depends on the Origin and on Sec-Fetch-Site: a cache must key on both.
    headers: Object.freeze({ ...TEXT, vary: 'Origin, Sec-Fetch-Site' }),
  });

/**
 * The refusal of an unsafe cross-origin request, the same for every such request, so built once:
 * `'actual'` with an `Origin`, `'not-cors'` without (a `Sec-Fetch-Site` that says another site).
 */
export const crossOriginRefusals = { actual: refusal('actual'), 'not-cors': refusal('not-cors') };

/** The refusal of a request whose `Host` is not in `allowedHosts`, its kind as `evaluate` calls it. */
export function hostRefusal(kind: CorsDecision['kind'], host: string | undefined): CorsDecision {
  return {
    kind,
    allowed: false,
    reason: 'host-not-allowed',
    status: 403,
    body: hostRefusalMessage(host),
    headers: TEXT,
  };
}
