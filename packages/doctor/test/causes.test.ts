// One real, misconfigured node:http server per cause the doctor recognises (test/serve.ts, where
// apps/example/test/browser/doctor.browser.test.ts holds the doctor to Chromium on the same
// servers). Each test checks the verdict, Chromium's error code and console line (the texts of
// core's browser model, confirmed against headless Chromium), the cause, and that the fix named is
// the one that repairs it.
import { afterEach, describe, expect, it } from 'vitest';
import { type DoctorReport, diagnose } from '../src/index.js';
import {
  type CauseName,
  type CauseServer,
  causes,
  MISMATCHED_ORIGINS,
  ORIGIN,
  PATH,
  type Running,
  serve,
  serveCause,
} from './serve.js';

let server: Running | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Starts the cause's servers and diagnoses the cause's fetch() against them. */
async function doctor(
  cause: CauseName | CauseServer,
): Promise<{ report: DoctorReport; url: string; other: string }> {
  const { handler, request } = typeof cause === 'string' ? causes[cause] : cause;
  let other = '';
  server = await serveCause({ handler }, (req, here) => {
    if (here === 'other') other ||= `http://${req.headers.host}`;
  });
  const url = `${server.url}${PATH}`;
  return { report: await diagnose(url, { origin: ORIGIN, ...request }), url, other };
}

const blockedBy = (url: string, detail: string, from?: string) =>
  `Access to fetch at '${url}'${from ? ` (redirected from '${from}')` : ''} from origin '${ORIGIN}' has been blocked by CORS policy: ${detail}`;
/** The steps as `[kind, method, url, status, origin sent]`. */
const hops = (report: DoctorReport) =>
  report.steps.map((step) => [
    step.kind,
    step.request.method,
    step.request.url,
    step.response.status,
    step.request.headers.origin,
  ]);
const PREFLIGHT = "Response to preflight request doesn't pass access control check: ";
const MISSING = "No 'Access-Control-Allow-Origin' header is present on the requested resource.";

function expressFix(report: DoctorReport): string {
  return report.fixes.find((fix) => fix.framework === 'express')!.code;
}

describe('no CORS headers at all', () => {
  it('names a missing middleware when a GET gets 200 without any CORS header', async () => {
    const { report, url } = await doctor('no CORS headers');
    expect(report.verdict).toBe('blocked');
    expect(report.preflight).toBe(false);
    expect(report.code).toBe('MissingAllowOriginHeader');
    expect(report.message).toBe(blockedBy(url, MISSING));
    expect(report.cause?.id).toBe('cors-middleware-missing');
    expect(report.cause?.fix).toContain(`origin ${ORIGIN}`);
    expect(expressFix(report)).toContain(`app.use(cors({ origin: '${ORIGIN}' }));`);
  });

  it('names the auth check when the preflight gets 401 because auth runs before CORS', async () => {
    const { report, url } = await doctor('auth before CORS (preflight 401)');
    expect(report.preflight).toBe(true);
    expect(report.steps).toHaveLength(1);
    expect(report.steps[0]!.response.status).toBe(401);
    expect(report.code).toBe('PreflightMissingAllowOriginHeader');
    expect(report.message).toBe(blockedBy(url, PREFLIGHT + MISSING));
    expect(report.cause?.id).toBe('cors-after-auth');
    expect(report.cause?.detail).toContain('never send cookies or Authorization on a preflight');
    // The fix puts the middleware before authentication.
    const code = expressFix(report);
    expect(code.indexOf('app.use(cors(')).toBeLessThan(code.indexOf('app.use(authenticate)'));
  });

  it('names the router when the preflight gets 404 because no middleware answered it', async () => {
    const { report, url } = await doctor('no OPTIONS route (preflight 404)');
    expect(report.code).toBe('PreflightMissingAllowOriginHeader');
    expect(report.message).toBe(blockedBy(url, PREFLIGHT + MISSING));
    expect(report.cause?.id).toBe('cors-after-routing');
    expect(report.cause?.fix).toContain('before the router');
  });
});

describe('the origin', () => {
  it('says the configuration does not list the origin when CORS is at work but refuses it', async () => {
    // A real @cors/core policy that lists another origin: it answers 403, Vary: Origin.
    const { report, url } = await doctor('origin not listed');
    expect(report.steps[0]!.response.status).toBe(403);
    expect(report.code).toBe('PreflightMissingAllowOriginHeader');
    expect(report.message).toBe(blockedBy(url, PREFLIGHT + MISSING));
    expect(report.cause?.id).toBe('origin-not-allowed');
    expect(report.cause?.fix).toBe(
      `Add ${ORIGIN} to the origins the CORS middleware allows, keeping the ones already there.`,
    );
    // The snippets add the origin to the list the server has; they never replace it.
    for (const fix of report.fixes) {
      expect(fix.code).toContain(`origin: [...allowedOrigins, '${ORIGIN}']`);
      expect(fix.code).toContain('allowedOrigins: the origins the server allows today.');
      expect(fix.code).not.toContain(`origin: '${ORIGIN}'`);
    }
  });

  const explanations: Record<keyof typeof MISMATCHED_ORIGINS, string> = {
    'a trailing slash': 'trailing slash',
    'another scheme': 'scheme differs',
    'another port': 'port differs',
    www: 'www.',
    'letter case': 'letter case',
  };
  it.each(Object.entries(explanations) as Array<[keyof typeof MISMATCHED_ORIGINS, string]>)(
    'explains an origin mismatch by %s',
    async (name, explanation) => {
      const allowed = MISMATCHED_ORIGINS[name];
      const { report, url } = await doctor(`origin mismatch: ${name}`);
      expect(report.code).toBe('AllowOriginMismatch');
      expect(report.message).toBe(
        blockedBy(
          url,
          `The 'Access-Control-Allow-Origin' header has a value '${allowed}' that is not equal to the supplied origin. Have the server send the header with a valid value.`,
        ),
      );
      expect(report.cause?.id).toBe('origin-mismatch');
      expect(report.cause?.detail).toContain(explanation);
      expect(expressFix(report)).toContain(`origin: '${ORIGIN}'`);
    },
  );

  it('sees Access-Control-Allow-Origin set twice, by the app and by a proxy', async () => {
    const { report, url } = await doctor('Access-Control-Allow-Origin twice');
    expect(report.steps[0]!.response.headers['access-control-allow-origin']).toEqual([
      ORIGIN,
      ORIGIN,
    ]);
    expect(report.code).toBe('MultipleAllowOriginValues');
    expect(report.message).toBe(
      blockedBy(
        url,
        `The 'Access-Control-Allow-Origin' header contains multiple values '${ORIGIN}, ${ORIGIN}', but only one is allowed. Have the server send the header with a valid value.`,
      ),
    );
    expect(report.cause?.id).toBe('multiple-values');
    expect(report.cause?.summary).toContain('sent 2 times');
    expect(report.cause?.fix).toContain('remove the proxy rule');
    expect(expressFix(report)).toContain('nginx add_header');
  });

  it('sees a list of origins in one Access-Control-Allow-Origin', async () => {
    const { report } = await doctor('a list of origins');
    expect(report.code).toBe('MultipleAllowOriginValues');
    expect(report.cause?.id).toBe('multiple-values');
    expect(report.cause?.summary).toContain('list of origins');
  });

  it('explains that a pattern in Access-Control-Allow-Origin is not an origin', async () => {
    const { report, url } = await doctor('a pattern as the origin');
    expect(report.code).toBe('InvalidAllowOriginValue');
    expect(report.message).toBe(
      blockedBy(
        url,
        "The 'Access-Control-Allow-Origin' header contains the invalid value '*.example.com'. Have the server send the header with a valid value.",
      ),
    );
    expect(report.cause?.id).toBe('invalid-origin-value');
    expect(report.cause?.detail).toContain('not a pattern');
  });
});

describe('credentials', () => {
  it('refuses * with credentials and lists the origin explicitly in the fix', async () => {
    const { report, url } = await doctor('wildcard with credentials');
    expect(report.request.credentials).toBe(true);
    expect(report.code).toBe('WildcardOriginNotAllowed');
    expect(report.message).toBe(
      blockedBy(
        url,
        "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
      ),
    );
    expect(report.cause?.id).toBe('wildcard-with-credentials');
    expect(expressFix(report)).toContain(
      `app.use(cors({\n  origin: ['${ORIGIN}'],\n  credentials: true,\n}));`,
    );
  });

  it('asks for Access-Control-Allow-Credentials: true when it is missing', async () => {
    const { report, url } = await doctor('credentials without Access-Control-Allow-Credentials');
    expect(report.code).toBe('InvalidAllowCredentials');
    expect(report.message).toBe(
      blockedBy(
        url,
        "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
      ),
    );
    expect(report.cause?.id).toBe('credentials-not-allowed');
    expect(report.cause?.fix).toContain('credentials: true');
    expect(expressFix(report)).toContain('credentials: true');
  });
});

describe('the preflight', () => {
  it('blames the status when a proxy adds CORS headers but the app answers the preflight 401', async () => {
    const { report, url } = await doctor('preflight 401 with CORS headers');
    expect(report.code).toBe('PreflightInvalidStatus');
    expect(report.message).toBe(blockedBy(url, `${PREFLIGHT}It does not have HTTP ok status.`));
    expect(report.cause?.id).toBe('preflight-status');
    expect(report.cause?.detail).toContain('auth check');
    expect(expressFix(report)).toContain('preflightContinue');
  });

  it('refuses a redirected preflight and names the target', async () => {
    const { report, url } = await doctor('preflight redirected');
    expect(report.code).toBe('PreflightDisallowedRedirect');
    expect(report.message).toBe(
      blockedBy(url, `${PREFLIGHT}Redirect is not allowed for a preflight request.`),
    );
    expect(report.cause?.id).toBe('preflight-redirect');
    expect(report.cause?.detail).toContain('adds a trailing slash');
    expect(report.cause?.fix).toContain(`${url}/`);
  });

  it('names the method missing from Access-Control-Allow-Methods and adds it in the fix', async () => {
    const { report, url } = await doctor('method not allowed');
    expect(report.code).toBe('MethodDisallowedByPreflightResponse');
    expect(report.message).toBe(
      blockedBy(
        url,
        'Method PURGE is not allowed by Access-Control-Allow-Methods in preflight response.',
      ),
    );
    expect(report.cause?.id).toBe('method-not-allowed');
    expect(report.cause?.fix).toBe('Add PURGE to the methods option.');
    expect(expressFix(report)).toContain(
      "methods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'PURGE']",
    );
  });

  it("points at fetch() when a lower-case 'patch' meets an allowed PATCH", async () => {
    const { report, url } = await doctor("lower-case 'patch'");
    expect(report.steps[0]!.request.headers['access-control-request-method']).toBe('patch');
    expect(report.message).toBe(
      blockedBy(
        url,
        'Method patch is not allowed by Access-Control-Allow-Methods in preflight response.',
      ),
    );
    expect(report.cause?.id).toBe('method-not-allowed');
    expect(report.cause?.fix).toContain("Write method: 'PATCH' in the fetch() call");
  });

  it('names the header missing from Access-Control-Allow-Headers and allows it in the fix', async () => {
    const { report, url } = await doctor('header not allowed');
    expect(report.steps[0]!.request.headers['access-control-request-headers']).toBe(
      'content-type,x-trace',
    );
    expect(report.code).toBe('HeaderDisallowedByPreflightResponse');
    expect(report.message).toBe(
      blockedBy(
        url,
        'Request header field x-trace is not allowed by Access-Control-Allow-Headers in preflight response.',
      ),
    );
    expect(report.cause?.id).toBe('header-not-allowed');
    expect(report.cause?.fix).toContain('Add x-trace to the allowedHeaders option');
    expect(expressFix(report)).toContain("allowedHeaders: ['Content-Type', 'X-Trace']");
  });

  it('refuses an Access-Control-Allow-Methods that does not parse', async () => {
    const { report, url } = await doctor('Access-Control-Allow-Methods unparsable');
    expect(report.message).toBe(
      blockedBy(
        url,
        'Cannot parse Access-Control-Allow-Methods response header field in preflight response.',
      ),
    );
    expect(report.cause?.id).toBe('invalid-allow-list');
  });
});

describe('caching', () => {
  it('allows a cacheable origin-specific response without Vary: Origin but warns', async () => {
    const { report } = await doctor('cacheable without Vary: Origin');
    expect(report.verdict).toBe('allowed');
    expect(report.code).toBeNull();
    expect(report.message).toBeNull();
    expect(report.cause?.id).toBe('vary-missing');
    expect(report.cause?.fix).toContain('Vary: Origin');
    expect(expressFix(report)).toContain('Vary: Origin');
  });

  it('blames the cache when it served another origin the response (Age, no Vary)', async () => {
    const { report } = await doctor('cached for another origin');
    expect(report.verdict).toBe('blocked');
    expect(report.code).toBe('AllowOriginMismatch');
    expect(report.cause?.id).toBe('vary-missing');
    expect(report.cause?.summary).toBe('A cache served the response meant for another origin');
  });

  it('finds nothing wrong when Vary: Origin is there', async () => {
    const { report } = await doctor('cacheable with Vary: Origin');
    expect(report.verdict).toBe('allowed');
    expect(report.cause).toBeNull();
    expect(report.fixes).toEqual([]);
  });
});

describe('a correct server', () => {
  it('is allowed through preflight and actual request, with nothing to fix', async () => {
    const { report } = await doctor('correct');
    expect(report.verdict).toBe('allowed');
    expect(report.steps.map((step) => [step.kind, step.response.status, step.check.ok])).toEqual([
      ['preflight', 204, true],
      ['actual', 200, true],
    ]);
    expect(report.steps[1]!.request.headers).toEqual({
      origin: ORIGIN,
      'Content-Type': 'application/json',
      Authorization: 'Bearer t',
    });
    expect(report.cause).toBeNull();
  });
});

describe('redirects of the actual request', () => {
  it('follows a 301 and blocks the target that has no CORS headers, naming both URLs', async () => {
    const { report, url } = await doctor('redirect to a path without CORS headers');
    expect(report.verdict).toBe('blocked');
    expect(hops(report)).toEqual([
      ['actual', 'GET', url, 301, ORIGIN],
      ['actual', 'GET', `${url}/`, 200, ORIGIN],
    ]);
    expect(report.steps.map((step) => [step.hop, step.redirectTo])).toEqual([
      [0, `${url}/`],
      [1, null],
    ]);
    expect(report.code).toBe('MissingAllowOriginHeader');
    expect(report.message).toBe(blockedBy(`${url}/`, MISSING, url));
    expect(report.networkError).toBeNull();
    expect(report.cause?.id).toBe('cors-middleware-missing');
    expect(report.cause?.detail).toContain(`the GET request to ${url}/ (200 OK)`);
    expect(expressFix(report)).toContain(`app.use(cors({ origin: '${ORIGIN}' }));`);
  });

  it('blames the redirect itself when the 3xx has no CORS headers, before following it', async () => {
    const { report, url } = await doctor('redirect without CORS headers');
    expect(report.steps).toHaveLength(1);
    expect(report.steps[0]!.redirectTo).toBeNull();
    expect(report.message).toBe(blockedBy(url, MISSING));
    expect(report.cause?.id).toBe('redirect-before-cors');
    expect(report.cause?.detail).toContain('adds a trailing slash');
    expect(report.cause?.fix).toContain(`Call the final URL (${url}/)`);
    expect(expressFix(report)).toContain('a redirect must carry the CORS headers too');
  });

  it('allows a chain whose every hop carries the CORS headers', async () => {
    const { report, url } = await doctor('redirects with CORS headers at every hop');
    expect(report.verdict).toBe('allowed');
    expect(hops(report).map(([, , u, status]) => [u, status])).toEqual([
      [url, 302],
      [`${url}/v2`, 308],
      [`${url}/v2/`, 200],
    ]);
    expect(report.code).toBeNull();
    expect(report.cause).toBeNull();
  });

  it('preflights the new URL again for a request that is not simple', async () => {
    const { report, url } = await doctor('redirect of a preflighted request');
    expect(report.verdict).toBe('allowed');
    expect(hops(report)).toEqual([
      ['preflight', 'OPTIONS', url, 204, ORIGIN],
      ['actual', 'PUT', url, 307, ORIGIN],
      ['preflight', 'OPTIONS', `${url}/`, 204, ORIGIN],
      ['actual', 'PUT', `${url}/`, 200, ORIGIN],
    ]);
    expect(report.steps[2]!.hop).toBe(1);
  });

  it('keeps the method and body headers of a POST after 307, and makes it a GET after 303', async () => {
    const kept = await doctor('307 keeps the POST');
    expect(kept.report.verdict).toBe('allowed');
    expect(kept.report.steps[1]!.request).toMatchObject({
      method: 'POST',
      headers: { origin: ORIGIN, 'Content-Type': 'text/plain' },
    });
    await server?.close();
    const changed = await doctor('303 turns a POST into a GET');
    expect(changed.report.verdict).toBe('allowed');
    expect(changed.report.steps[1]!.request).toMatchObject({
      method: 'GET',
      headers: { origin: ORIGIN },
    });
  });

  it('sends Origin: null after a redirect to another origin, which * allows', async () => {
    const { report, url, other } = await doctor('redirect to another origin that allows *');
    expect(report.verdict).toBe('allowed');
    expect(hops(report)).toEqual([
      ['actual', 'GET', url, 302, ORIGIN],
      ['actual', 'GET', `${other}${PATH}`, 200, 'null'],
    ]);
  });

  it('explains the null origin when the other origin allows only the page origin', async () => {
    const { report, url, other } = await doctor(
      'redirect to another origin that allows the page origin',
    );
    expect(report.code).toBe('AllowOriginMismatch');
    expect(report.message).toBe(
      blockedBy(
        `${other}${PATH}`,
        `The 'Access-Control-Allow-Origin' header has a value '${ORIGIN}' that is not equal to the supplied origin. Have the server send the header with a valid value.`,
        url,
      ),
    );
    expect(report.cause?.id).toBe('redirect-origin-null');
    expect(report.cause?.detail).toContain('Origin: null');
    expect(report.cause?.fix).toContain(`Call ${other}${PATH} from the page directly`);
    expect(report.fixes).toEqual([]);
  });

  it('refuses * after the redirect of a request with credentials', async () => {
    const { report, url, other } = await doctor(
      'redirect with credentials to another origin that allows *',
    );
    expect(report.code).toBe('WildcardOriginNotAllowed');
    expect(report.message).toBe(
      blockedBy(
        `${other}${PATH}`,
        "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
        url,
      ),
    );
    expect(report.cause?.id).toBe('redirect-origin-null');
    expect(report.cause?.detail).toContain('Access-Control-Allow-Origin: null');
    expect(report.cause?.fix).not.toContain('Access-Control-Allow-Origin: *');
  });

  it('keeps Origin: null when a redirect comes back to the first origin', async () => {
    const { report, url, other } = await doctor('redirect to another origin and back');
    expect(report.verdict).toBe('allowed');
    expect(hops(report).map(([, , u, , origin]) => [u, origin])).toEqual([
      [url, ORIGIN],
      [`${other}${PATH}`, 'null'],
      [`${url}/back`, 'null'],
    ]);
  });

  it('preflights the other origin with Origin: null and explains its refusal', async () => {
    const { report, url, other } = await doctor(
      'redirect of a preflighted request to another origin',
    );
    expect(hops(report)).toEqual([
      ['preflight', 'OPTIONS', url, 204, ORIGIN],
      ['actual', 'PUT', url, 307, ORIGIN],
      ['preflight', 'OPTIONS', `${other}${PATH}`, 403, 'null'],
    ]);
    expect(report.code).toBe('PreflightMissingAllowOriginHeader');
    expect(report.message).toBe(blockedBy(`${other}${PATH}`, PREFLIGHT + MISSING, url));
    expect(report.cause?.id).toBe('redirect-origin-null');
  });

  it('gives up after 20 redirects with net::ERR_TOO_MANY_REDIRECTS, not a CORS error', async () => {
    const { report, url } = await doctor('redirect loop');
    expect(report.verdict).toBe('blocked');
    expect(report.steps).toHaveLength(21);
    expect(report.steps.at(-1)!).toMatchObject({ hop: 20, redirectTo: null });
    expect(report.code).toBeNull();
    expect(report.message).toBeNull();
    expect(report.networkError).toBe('ERR_TOO_MANY_REDIRECTS');
    expect(report.cause?.id).toBe('redirect-loop');
    expect(report.cause?.detail).toContain(`${url} redirects back to itself`);
    expect(report.fixes).toEqual([]);
  });

  it('preflights a looping request once, as the browser keeps the passed preflight', async () => {
    const { report } = await doctor('redirect loop of a preflighted request');
    expect(report.steps.map((step) => step.kind)).toEqual([
      'preflight',
      ...Array(21).fill('actual'),
    ]);
    expect(report.networkError).toBe('ERR_TOO_MANY_REDIRECTS');
  });

  it("refuses a Location with a password in Chromium's words", async () => {
    const { report, url } = await doctor('redirect to a URL with a password');
    expect(report.steps).toHaveLength(1);
    expect(report.steps[0]!.check.ok).toBe(true);
    expect(report.code).toBe('RedirectContainsCredentials');
    expect(report.message).toBe(
      blockedBy(
        url,
        "Redirect location '' contains a username and password, which is disallowed for cross-origin requests.",
      ),
    );
    expect(report.cause?.id).toBe('redirect-location');
    expect(report.cause?.fix).toContain('without the user name and password');
  });

  it('fails a redirect to data: with net::ERR_UNSAFE_REDIRECT and to ftp: with CorsDisabledScheme', async () => {
    const data = await doctor('redirect to data:');
    expect(data.report).toMatchObject({
      verdict: 'blocked',
      code: null,
      message: null,
      networkError: 'ERR_UNSAFE_REDIRECT',
      cause: { id: 'redirect-location' },
    });
    expect(data.report.cause?.summary).toContain('data:text/plain,ok');
    await server?.close();
    const ftp = await doctor('redirect to ftp:');
    expect(ftp.report.code).toBe('CorsDisabledScheme');
    expect(ftp.report.message).toBe(
      blockedBy(
        `ftp://127.0.0.1${PATH}`,
        'Cross origin requests are only supported for protocol schemes: chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app.',
        ftp.url,
      ),
    );
    expect(ftp.report.cause?.fix).toBe('Redirect to an http(s) URL, or answer the request itself.');
  });

  it('never connects to a bad port, nor to plain http from an HTTPS page', async () => {
    const port = await doctor('redirect to a bad port');
    expect(port.report).toMatchObject({
      networkError: 'ERR_UNSAFE_PORT',
      cause: { id: 'redirect-location', summary: expect.stringContaining('port 6000') },
    });
    expect(port.report.steps).toHaveLength(1);
    await server?.close();
    const insecure = await doctor('redirect to plain http');
    expect(insecure.report).toMatchObject({
      verdict: 'blocked',
      networkError: 'MixedContent',
      cause: { id: 'redirect-insecure' },
    });
    expect(insecure.report.cause?.fix).toContain('X-Forwarded-Proto');
    expect(insecure.report.steps).toHaveLength(1);
  });

  it('fails a Location that is not a URL, and two different ones, as network errors', async () => {
    const invalid = await doctor('redirect to a Location that is not a URL');
    expect(invalid.report.networkError).toBe('ERR_INVALID_REDIRECT');
    expect(invalid.report.cause?.summary).toBe("The redirect's Location is not a URL");
    await server?.close();
    const two = await doctor('two different Locations');
    expect(two.report.networkError).toBe('ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION');
    expect(two.report.cause?.fix).toBe('Let exactly one layer redirect.');
  });
});

// Not in `causes`: the doctor does not judge these, so there is no verdict to hold to Chromium's.
describe('redirects the doctor does not judge', () => {
  it('says undetermined, and why, when a URL a redirect leads to does not answer', async () => {
    const gone = await serve((_req, res) => res.end());
    await gone.close();
    const { report } = await doctor({
      handler: (_req, res) => {
        res.writeHead(302, { 'Access-Control-Allow-Origin': '*', Location: `${gone.url}/x` });
        res.end();
      },
    });
    expect(report.verdict).toBe('undetermined');
    expect(report.steps).toHaveLength(1);
    expect(report.steps[0]!.redirectTo).toBe(`${gone.url}/x`);
    expect(report).toMatchObject({ code: null, message: null, networkError: null, fixes: [] });
    expect(report.cause?.id).toBe('redirect-unreachable');
    expect(report.cause?.detail).toMatch(/^connection refused by 127\.0\.0\.1:/);
    expect(report.cause?.fix).toBe(
      `Run cors-doctor where the browser runs, or on ${gone.url}/x itself.`,
    );
  });

  it('says undetermined when a redirect sets a cookie on a request with credentials', async () => {
    const { report, url } = await doctor({
      handler: (req, res) => {
        res.setHeader('Access-Control-Allow-Origin', ORIGIN);
        res.setHeader('Access-Control-Allow-Credentials', 'true');
        if (req.url === PATH) {
          res.setHeader('Set-Cookie', 'session=1; SameSite=None; Secure');
          res.writeHead(302, { Location: `${PATH}/` });
        }
        res.end();
      },
      request: { credentials: true },
    });
    expect(report.verdict).toBe('undetermined');
    expect(report.steps).toHaveLength(2);
    expect(report.steps[1]!.check.ok).toBe(true);
    expect(report.cause?.id).toBe('redirect-cookie');
    expect(report.cause?.detail).toContain(`The 302 from ${url} sets a cookie`);
    expect(report.cause?.fix).toContain(`run cors-doctor on ${url}/ with the cookie`);
  });

  it('judges a cookie-setting redirect without credentials: the browser neither keeps nor sends it', async () => {
    const { report } = await doctor({
      handler: (req, res) => {
        res.setHeader('Access-Control-Allow-Origin', '*');
        if (req.url === PATH) {
          res.setHeader('Set-Cookie', 'session=1');
          res.writeHead(302, { Location: `${PATH}/` });
        }
        res.end();
      },
    });
    expect(report.verdict).toBe('allowed');
  });
});
