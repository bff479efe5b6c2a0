// One real, misconfigured node:http server per cause the doctor recognises (test/serve.ts, where
// apps/example/test/browser/doctor.browser.test.ts holds the doctor to Chromium on the same
// servers). Each test checks the verdict, Chromium's error code and console line (the texts of
// core's browser model, confirmed against headless Chromium), the cause, and that the fix named is
// the one that repairs it.
import { afterEach, describe, expect, it } from 'vitest';
import { type DoctorReport, diagnose } from '../src/index.js';
import {
  type CauseName,
  causes,
  MISMATCHED_ORIGINS,
  ORIGIN,
  PATH,
  type Running,
  serve,
} from './serve.js';

let server: Running | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Starts the cause's server and diagnoses the cause's fetch() against it. */
async function doctor(name: CauseName): Promise<{ report: DoctorReport; url: string }> {
  const { handler, request } = causes[name];
  server = await serve(handler);
  const url = `${server.url}${PATH}`;
  return { report: await diagnose(url, { origin: ORIGIN, ...request }), url };
}

const blockedBy = (url: string, detail: string) =>
  `Access to fetch at '${url}' from origin '${ORIGIN}' has been blocked by CORS policy: ${detail}`;
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
    expect(report.cause?.fix).toBe(`Add ${ORIGIN} to the origin option of the CORS middleware.`);
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
