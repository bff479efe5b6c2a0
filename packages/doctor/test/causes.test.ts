// One real, misconfigured node:http server per cause the doctor recognises. Each test checks the
// verdict, Chromium's error code and console line (the texts of core's browser model, confirmed
// against headless Chromium), the cause, and that the fix named is the one that repairs it.
import type { IncomingMessage, RequestListener } from 'node:http';
import { type CorsDecision, type CorsOptions, createCorsPolicy, readCorsRequest } from '@cors/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type DiagnoseOptions, type DoctorReport, diagnose } from '../src/index.js';
import { type Running, serve } from './serve.js';

const ORIGIN = 'https://app.example.com';
const PATH = '/items';

let server: Running | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function doctor(
  handler: RequestListener,
  options: Partial<DiagnoseOptions> = {},
): Promise<{ report: DoctorReport; url: string }> {
  server = await serve(handler);
  const url = `${server.url}${PATH}`;
  return { report: await diagnose(url, { origin: ORIGIN, ...options }), url };
}

const blockedBy = (url: string, detail: string) =>
  `Access to fetch at '${url}' from origin '${ORIGIN}' has been blocked by CORS policy: ${detail}`;
const PREFLIGHT = "Response to preflight request doesn't pass access control check: ";
const MISSING = "No 'Access-Control-Allow-Origin' header is present on the requested resource.";

const isPreflight = (req: IncomingMessage) =>
  req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;

/** A node:http server that does CORS right, with @cors/core's policy. */
function corsServer(options: CorsOptions): RequestListener {
  const policy = createCorsPolicy(options);
  return (req, res) => {
    const decision = policy.evaluate(readCorsRequest(req.method, req.headers)) as CorsDecision;
    for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
    if (decision.status !== undefined) res.statusCode = decision.status;
    res.end(decision.status === undefined ? 'ok' : undefined);
  };
}

function expressFix(report: DoctorReport): string {
  return report.fixes.find((fix) => fix.framework === 'express')!.code;
}

describe('no CORS headers at all', () => {
  it('names a missing middleware when a GET gets 200 without any CORS header', async () => {
    const { report, url } = await doctor((_req, res) => res.end('ok'));
    expect(report.verdict).toBe('blocked');
    expect(report.preflight).toBe(false);
    expect(report.code).toBe('MissingAllowOriginHeader');
    expect(report.message).toBe(blockedBy(url, MISSING));
    expect(report.cause?.id).toBe('cors-middleware-missing');
    expect(report.cause?.fix).toContain(`origin ${ORIGIN}`);
    expect(expressFix(report)).toContain(`app.use(cors({ origin: '${ORIGIN}' }));`);
  });

  it('names the auth check when the preflight gets 401 because auth runs before CORS', async () => {
    const { report, url } = await doctor(
      (req, res) => {
        if (!req.headers.authorization) {
          res.statusCode = 401;
          res.end('unauthorized');
          return;
        }
        res.setHeader('Access-Control-Allow-Origin', ORIGIN);
        res.end('secret');
      },
      { headers: { Authorization: 'Bearer t' } },
    );
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
    const { report, url } = await doctor(
      (req, res) => {
        if (req.method === 'PUT') {
          res.setHeader('Access-Control-Allow-Origin', ORIGIN);
          res.end('saved');
          return;
        }
        res.statusCode = 404;
        res.end('not found');
      },
      { method: 'PUT' },
    );
    expect(report.code).toBe('PreflightMissingAllowOriginHeader');
    expect(report.message).toBe(blockedBy(url, PREFLIGHT + MISSING));
    expect(report.cause?.id).toBe('cors-after-routing');
    expect(report.cause?.fix).toContain('before the router');
  });
});

describe('the origin', () => {
  it('says the configuration does not list the origin when CORS is at work but refuses it', async () => {
    // A real @cors/core policy that lists another origin: it answers 403, Vary: Origin.
    const handler = corsServer({ origin: 'https://other.example.com' });
    const { report, url } = await doctor(handler, { method: 'DELETE' });
    expect(report.steps[0]!.response.status).toBe(403);
    expect(report.code).toBe('PreflightMissingAllowOriginHeader');
    expect(report.message).toBe(blockedBy(url, PREFLIGHT + MISSING));
    expect(report.cause?.id).toBe('origin-not-allowed');
    expect(report.cause?.fix).toBe(`Add ${ORIGIN} to the origin option of the CORS middleware.`);
  });

  it.each([
    ['a trailing slash', 'https://app.example.com/', 'trailing slash'],
    ['another scheme', 'http://app.example.com', 'scheme differs'],
    ['another port', 'https://app.example.com:8443', 'port differs'],
    ['www', 'https://www.app.example.com', 'www.'],
    ['letter case', 'https://App.example.com', 'letter case'],
  ])('explains an origin mismatch by %s', async (_name, allowed, explanation) => {
    const { report, url } = await doctor((_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', allowed);
      res.end('ok');
    });
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
  });

  it('sees Access-Control-Allow-Origin set twice, by the app and by a proxy', async () => {
    const { report, url } = await doctor((_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', [ORIGIN, ORIGIN]);
      res.end('ok');
    });
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
    const list = `${ORIGIN}, https://admin.example.com`;
    const { report } = await doctor((_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', list);
      res.end('ok');
    });
    expect(report.code).toBe('MultipleAllowOriginValues');
    expect(report.cause?.id).toBe('multiple-values');
    expect(report.cause?.summary).toContain('list of origins');
  });

  it('explains that a pattern in Access-Control-Allow-Origin is not an origin', async () => {
    const { report, url } = await doctor((_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', '*.example.com');
      res.end('ok');
    });
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
    const { report, url } = await doctor(
      (_req, res) => {
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.end('ok');
      },
      { credentials: true },
    );
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
    const { report, url } = await doctor(
      (_req, res) => {
        res.setHeader('Access-Control-Allow-Origin', ORIGIN);
        res.end('ok');
      },
      { credentials: true },
    );
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
    const { report, url } = await doctor(
      (_req, res) => {
        res.setHeader('Access-Control-Allow-Origin', ORIGIN);
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH');
        res.statusCode = 401;
        res.end();
      },
      { method: 'PATCH' },
    );
    expect(report.code).toBe('PreflightInvalidStatus');
    expect(report.message).toBe(blockedBy(url, `${PREFLIGHT}It does not have HTTP ok status.`));
    expect(report.cause?.id).toBe('preflight-status');
    expect(report.cause?.detail).toContain('auth check');
    expect(expressFix(report)).toContain('preflightContinue');
  });

  it('refuses a redirected preflight and names the target', async () => {
    const { report, url } = await doctor(
      (req, res) => {
        res.setHeader('Access-Control-Allow-Origin', ORIGIN);
        if (isPreflight(req)) {
          res.statusCode = 301;
          res.setHeader('Location', `${PATH}/`);
        }
        res.end();
      },
      { method: 'DELETE' },
    );
    expect(report.code).toBe('PreflightDisallowedRedirect');
    expect(report.message).toBe(
      blockedBy(url, `${PREFLIGHT}Redirect is not allowed for a preflight request.`),
    );
    expect(report.cause?.id).toBe('preflight-redirect');
    expect(report.cause?.detail).toContain('adds a trailing slash');
    expect(report.cause?.fix).toContain(`${url}/`);
  });

  it('names the method missing from Access-Control-Allow-Methods and adds it in the fix', async () => {
    const { report, url } = await doctor(
      (req, res) => {
        res.setHeader('Access-Control-Allow-Origin', ORIGIN);
        if (isPreflight(req)) {
          res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
          res.statusCode = 204;
        }
        res.end();
      },
      { method: 'PURGE' },
    );
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
    const { report, url } = await doctor(
      (req, res) => {
        res.setHeader('Access-Control-Allow-Origin', ORIGIN);
        if (isPreflight(req)) res.setHeader('Access-Control-Allow-Methods', 'GET, PATCH');
        res.end();
      },
      { method: 'patch' },
    );
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
    const { report, url } = await doctor(
      (req, res) => {
        res.setHeader('Access-Control-Allow-Origin', ORIGIN);
        if (isPreflight(req)) res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
        res.end();
      },
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Trace': 'abc' },
      },
    );
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
    const { report, url } = await doctor(
      (req, res) => {
        res.setHeader('Access-Control-Allow-Origin', ORIGIN);
        if (isPreflight(req)) res.setHeader('Access-Control-Allow-Methods', 'GET POST PUT');
        res.end();
      },
      { method: 'PUT' },
    );
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
    const { report } = await doctor((_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', ORIGIN);
      res.setHeader('Cache-Control', 'public, max-age=600');
      res.end('ok');
    });
    expect(report.verdict).toBe('allowed');
    expect(report.code).toBeNull();
    expect(report.message).toBeNull();
    expect(report.cause?.id).toBe('vary-missing');
    expect(report.cause?.fix).toContain('Vary: Origin');
    expect(expressFix(report)).toContain('Vary: Origin');
  });

  it('blames the cache when it served another origin the response (Age, no Vary)', async () => {
    const { report } = await doctor((_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', 'https://admin.example.com');
      res.setHeader('Age', '120');
      res.end('ok');
    });
    expect(report.verdict).toBe('blocked');
    expect(report.code).toBe('AllowOriginMismatch');
    expect(report.cause?.id).toBe('vary-missing');
    expect(report.cause?.summary).toBe('A cache served the response meant for another origin');
  });

  it('finds nothing wrong when Vary: Origin is there', async () => {
    const { report } = await doctor((_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', ORIGIN);
      res.setHeader('Cache-Control', 'public, max-age=600');
      res.setHeader('Vary', 'Accept-Encoding, Origin');
      res.end('ok');
    });
    expect(report.verdict).toBe('allowed');
    expect(report.cause).toBeNull();
    expect(report.fixes).toEqual([]);
  });
});

describe('a correct server', () => {
  it('is allowed through preflight and actual request, with nothing to fix', async () => {
    const { report } = await doctor(corsServer({ origin: ORIGIN, credentials: true }), {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' },
      credentials: true,
    });
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
