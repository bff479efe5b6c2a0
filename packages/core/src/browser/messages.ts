// The console lines Chromium prints when fetch() is blocked by CORS. The texts come from
// third_party/blink/renderer/platform/loader/cors/cors_error_string.cc and were each confirmed
// against headless Chromium 156.0.8078.79 (scripts/verify-browser-model.ts; the redirect ones by
// apps/example/test/browser/doctor.browser.test.ts). Chromium 156 no longer
// appends the "If an opaque response serves your needs, set the request's mode to 'no-cors'..."
// advice that older versions (and most answers on the web) show.
import type { CorsErrorCode } from './types.js';

/** The codes the model produces; the others of `CorsErrorCode` need facts a `BrowserRequest` does not carry. */
export type ModelledCorsErrorCode = Exclude<
  CorsErrorCode,
  | 'DisallowedByMode'
  | 'InvalidResponse'
  | 'PreflightMissingAllowPrivateNetwork'
  | 'PreflightInvalidAllowPrivateNetwork'
>;

const PREFLIGHT = "Response to preflight request doesn't pass access control check: ";
const VALID_VALUE = ' Have the server send the header with a valid value.';

const wildcard = () =>
  "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.";
const missing = () =>
  "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
const multiple = (value: string) =>
  `The 'Access-Control-Allow-Origin' header contains multiple values '${value}', but only one is allowed.${VALID_VALUE}`;
const invalid = (value: string) =>
  `The 'Access-Control-Allow-Origin' header contains the invalid value '${value}'.${VALID_VALUE}`;
const mismatch = (value: string) =>
  `The 'Access-Control-Allow-Origin' header has a value '${value}' that is not equal to the supplied origin.${VALID_VALUE}`;
const credentials = (value: string) =>
  `The value of the 'Access-Control-Allow-Credentials' header in the response is '${value}' which must be 'true' when the request's credentials mode is 'include'.`;

/** Chromium's detail for each code; `hint` is the offending value, method or header name. */
const DETAILS: Record<ModelledCorsErrorCode, (hint: string) => string> = {
  WildcardOriginNotAllowed: wildcard,
  MissingAllowOriginHeader: missing,
  MultipleAllowOriginValues: multiple,
  InvalidAllowOriginValue: invalid,
  AllowOriginMismatch: mismatch,
  InvalidAllowCredentials: credentials,
  PreflightWildcardOriginNotAllowed: () => PREFLIGHT + wildcard(),
  PreflightMissingAllowOriginHeader: () => PREFLIGHT + missing(),
  PreflightMultipleAllowOriginValues: (hint) => PREFLIGHT + multiple(hint),
  PreflightInvalidAllowOriginValue: (hint) => PREFLIGHT + invalid(hint),
  PreflightAllowOriginMismatch: (hint) => PREFLIGHT + mismatch(hint),
  PreflightInvalidAllowCredentials: (hint) => PREFLIGHT + credentials(hint),
  PreflightInvalidStatus: () => `${PREFLIGHT}It does not have HTTP ok status.`,
  PreflightDisallowedRedirect: () => `${PREFLIGHT}Redirect is not allowed for a preflight request.`,
  InvalidAllowMethodsPreflightResponse: () =>
    'Cannot parse Access-Control-Allow-Methods response header field in preflight response.',
  InvalidAllowHeadersPreflightResponse: () =>
    'Cannot parse Access-Control-Allow-Headers response header field in preflight response.',
  MethodDisallowedByPreflightResponse: (method) =>
    `Method ${method} is not allowed by Access-Control-Allow-Methods in preflight response.`,
  HeaderDisallowedByPreflightResponse: (name) =>
    `Request header field ${name} is not allowed by Access-Control-Allow-Headers in preflight response.`,
  // Chromium passes no value for the quotes (its CorsErrorStatus has no failed parameter here), so
  // the location is always printed as ''.
  RedirectContainsCredentials: () =>
    "Redirect location '' contains a username and password, which is disallowed for cross-origin requests.",
  // Chromium's list of CORS-enabled schemes, as Chromium 156 prints it.
  CorsDisabledScheme: () =>
    'Cross origin requests are only supported for protocol schemes: chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app.',
};

/**
 * The whole console line Chromium prints for a fetch() blocked with `code`:
 * `Access to fetch at '<url>' from origin '<origin>' has been blocked by CORS policy: <detail>`.
 * After a redirect `url` is the URL that failed and `initialUrl` the one fetch() was called with;
 * Chromium names both, `at '<url>' (redirected from '<initialUrl>')`, unless they are the same.
 * `origin` is always the page's, even when the request carried `Origin: null`.
 */
export function corsErrorMessage(
  code: ModelledCorsErrorCode,
  url: string,
  origin: string,
  hint = '',
  initialUrl = url,
): string {
  const at = serialiseUrl(url);
  const from = serialiseUrl(initialUrl);
  const redirected = from === at ? '' : ` (redirected from '${from}')`;
  return `Access to fetch at '${at}'${redirected} from origin '${origin}' has been blocked by CORS policy: ${DETAILS[code](hint)}`;
}

/** Chromium prints the parsed URL (`https://api.example.com` becomes `https://api.example.com/`). */
function serialiseUrl(url: string): string {
  try {
    return (new URL(url) as unknown as { href: string }).href;
  } catch {
    return url;
  }
}
