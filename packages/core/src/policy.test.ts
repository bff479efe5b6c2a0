import { describe, expect, it, vi } from 'vitest';
import type { CorsDecision, CorsOptions, CorsRequest } from './options.js';
import { CorsTimeoutError, createCorsPolicy, optionsTimeout } from './policy.js';
import { CorsConfigError } from './validate.js';

const APP = 'https://app.example.com';
const quiet = { onWarning: () => {} };

/** Evaluates a request that must be decided synchronously. */
function decide(options: CorsOptions, request: CorsRequest): CorsDecision {
  const decision = createCorsPolicy({ ...quiet, ...options }).evaluate(request);
  if (decision instanceof Promise) throw new Error('expected a synchronous decision');
  return decision;
}

const preflight = (
  origin: string,
  requestMethod = 'PUT',
  requestHeaders?: string,
): CorsRequest => ({
  method: 'OPTIONS',
  origin,
  requestMethod,
  requestHeaders,
});

describe('DESIGN: no origin option', () => {
  it('throws a CorsConfigError instead of defaulting to *', () => {
    expect(() => createCorsPolicy({} as CorsOptions)).toThrow(CorsConfigError);
  });
});

describe("DESIGN: '*' with credentials", () => {
  it('is a configuration error whose fix lists origins', () => {
    try {
      createCorsPolicy({ origin: '*', credentials: true });
      expect.unreachable();
    } catch (error) {
      expect((error as CorsConfigError).issues[0]).toMatchObject({
        option: 'origin',
        fix: expect.stringContaining('list the origins'),
      });
    }
  });
  it("sends a literal '*' without Vary: Origin when credentials are off", () => {
    const d = decide({ origin: '*' }, { method: 'GET', origin: 'https://anyone.test' });
    expect(d.headers).toEqual({ 'access-control-allow-origin': '*' });
  });
});

describe('DESIGN: reflect any origin (origin: true)', () => {
  it("is refused, pointing to '*' or a list", () => {
    expect(() => createCorsPolicy({ origin: true as never })).toThrow(/use '\*' for a public API/);
  });
});

describe('DESIGN: exact origins', () => {
  it('normalises case, default port and IDN at start-up', () => {
    const policy = { origin: ['HTTPS://App.Example.com:443', 'https://bücher.example'] };
    expect(decide(policy, { method: 'GET', origin: APP }).allowed).toBe(true);
    expect(decide(policy, { method: 'GET', origin: 'https://xn--bcher-kva.example' }).allowed).toBe(
      true,
    );
  });
  it('keeps a non-default port', () => {
    expect(
      decide(
        { origin: 'http://localhost:3000' },
        { method: 'GET', origin: 'http://localhost:3000' },
      ).allowed,
    ).toBe(true);
    expect(
      decide(
        { origin: 'http://localhost:3000' },
        { method: 'GET', origin: 'http://localhost:3001' },
      ).allowed,
    ).toBe(false);
  });
});

describe('DESIGN: request Origin', () => {
  it.each([
    ['upper case', 'https://APP.example.com'],
    ['trailing slash', `${APP}/`],
    ['trailing space', `${APP} `],
    ['leading space', ` ${APP}`],
    ['explicit default port', `${APP}:443`],
    ['other scheme', 'http://app.example.com'],
    ['two origins joined', `${APP}, https://evil.test`],
  ])('is compared byte for byte, never normalised (%s)', (_name, origin) => {
    expect(decide({ origin: APP }, { method: 'GET', origin }).allowed).toBe(false);
  });
  it('reflects exactly the matched entry', () => {
    expect(
      decide({ origin: APP }, { method: 'GET', origin: APP }).headers[
        'access-control-allow-origin'
      ],
    ).toBe(APP);
  });
});

describe('DESIGN: wildcard patterns', () => {
  const options = { origin: ['https://*.example.com', 'http://localhost:*'] };
  it.each([
    'https://a.example.com',
    'https://a.b.c.example.com',
    'http://localhost:5173',
    'http://localhost',
  ])('allows %s', (origin) =>
    expect(decide(options, { method: 'GET', origin }).allowed).toBe(true),
  );
  it.each([
    'https://example.com',
    'http://a.example.com',
    'https://a.example.com:8443',
    'https://example.com.evil.test',
    'https://evilexample.com',
    'https://a..example.com',
    'https://.example.com',
    'https://a_b.example.com',
    'https://a.example.com.',
    'http://localhost.evil.test:80',
    'http://localhost:80',
    'http://localhost:0',
    'http://localhost:08080',
    'http://localhost:65536',
    'null',
  ])('refuses %s', (origin) =>
    expect(decide(options, { method: 'GET', origin }).allowed).toBe(false),
  );
  it('honours a fixed port on a subdomain pattern', () => {
    const d = (origin: string) =>
      decide({ origin: 'https://*.example.com:8443' }, { method: 'GET', origin }).allowed;
    expect(d('https://a.example.com:8443')).toBe(true);
    expect(d('https://a.example.com')).toBe(false);
  });
});

describe('DESIGN: RegExp', () => {
  it('allows a match of an anchored RegExp, every time (no lastIndex state)', () => {
    const policy = createCorsPolicy({ origin: /^https:\/\/(?:a|b)\.example\.com$/ });
    const results = [1, 2, 3, 4].map(
      () =>
        (policy.evaluate({ method: 'GET', origin: 'https://a.example.com' }) as CorsDecision)
          .allowed,
    );
    expect(results).toEqual([true, true, true, true]);
  });
  it('never runs on a value that is not a serialised origin', () => {
    const d = decide(
      { origin: /^https:\/\/.*\.example\.com$/ },
      { method: 'GET', origin: 'https://evil.test{.example.com' },
    );
    expect(d.allowed).toBe(false);
  });
});

describe("DESIGN: 'null' origin", () => {
  it('is allowed only when listed, and start-up warns', () => {
    const onWarning = vi.fn();
    const policy = createCorsPolicy({ origin: ['null', APP], onWarning });
    expect(
      (policy.evaluate({ method: 'GET', origin: 'null' }) as CorsDecision).headers[
        'access-control-allow-origin'
      ],
    ).toBe('null');
    expect(onWarning).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'null-origin-allowed' }),
    );
  });
  it('is refused by patterns, RegExps and functions', () => {
    const fn = vi.fn(() => true);
    expect(
      decide({ origin: [/^.*$/, 'https://*.example.com'] }, { method: 'GET', origin: 'null' })
        .allowed,
    ).toBe(false);
    expect(decide({ origin: fn }, { method: 'GET', origin: 'null' }).allowed).toBe(false);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('DESIGN: origin function', () => {
  it('decides synchronously when it returns a boolean, with the request', () => {
    const fn = vi.fn((origin: string) => origin === APP);
    const request = { method: 'GET', origin: APP, native: { id: 1 } };
    expect(decide({ origin: fn }, request).allowed).toBe(true);
    expect(fn).toHaveBeenCalledWith(APP, request);
  });
  it('returns a Promise when it is async', async () => {
    const policy = createCorsPolicy({ origin: async (o) => o === APP });
    const pending = policy.evaluate({ method: 'GET', origin: APP });
    expect(pending).toBeInstanceOf(Promise);
    expect((await pending).allowed).toBe(true);
  });
  it('lets a throw or a rejection through, never allowing', async () => {
    const boom = new Error('lookup failed');
    expect(() =>
      createCorsPolicy({
        origin: () => {
          throw boom;
        },
      }).evaluate({ method: 'GET', origin: APP }),
    ).toThrow(boom);
    await expect(
      createCorsPolicy({ origin: async () => Promise.reject(boom) }).evaluate({
        method: 'GET',
        origin: APP,
      }),
    ).rejects.toBe(boom);
  });
  it('throws a TypeError for a non-boolean answer such as the origin string', () => {
    const policy = createCorsPolicy({ origin: (o) => o as unknown as boolean });
    expect(() => policy.evaluate({ method: 'GET', origin: APP })).toThrow(
      /must return true or false/,
    );
  });
  it('is never asked about a value that is not a serialised origin', () => {
    const fn = vi.fn(() => true);
    expect(
      decide({ origin: fn }, { method: 'GET', origin: 'https://a.test\r\nSet-Cookie: x=1' })
        .allowed,
    ).toBe(false);
    expect(fn).not.toHaveBeenCalled();
  });
  it('rejects with CorsTimeoutError when it outlives timeout', async () => {
    const policy = createCorsPolicy({ origin: () => new Promise<boolean>(() => {}), timeout: 20 });
    await expect(policy.evaluate({ method: 'GET', origin: APP })).rejects.toBeInstanceOf(
      CorsTimeoutError,
    );
  });
  it('settles normally within timeout', async () => {
    const policy = createCorsPolicy({ origin: async () => true, timeout: 1000 });
    expect((await policy.evaluate({ method: 'GET', origin: APP })).allowed).toBe(true);
  });
});

describe('DESIGN: request without Origin', () => {
  it('is not CORS: no CORS headers, only Vary: Origin', () => {
    expect(decide({ origin: APP }, { method: 'GET' })).toEqual({
      kind: 'not-cors',
      allowed: true,
      headers: { vary: 'Origin' },
    });
  });
  it("sends Access-Control-Allow-Origin: * and no Vary under '*', with or without Origin", () => {
    // Fetch, "CORS protocol and HTTP caches": one stored response then serves every origin.
    const options = { origin: '*', exposedHeaders: ['X-Request-Id'] } as const;
    const same = {
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'X-Request-Id',
    };
    expect(decide(options, { method: 'GET' })).toMatchObject({ kind: 'not-cors', headers: same });
    expect(decide(options, { method: 'GET', origin: APP }).headers).toEqual(same);
    expect(decide({ origin: '*' }, { method: 'POST' }).headers).toEqual({
      'access-control-allow-origin': '*',
    });
    const preflight = decide(options, { method: 'OPTIONS', origin: APP, requestMethod: 'PUT' });
    expect(preflight.headers.vary).toBe(
      'Access-Control-Request-Method, Access-Control-Request-Headers',
    );
  });
  it('treats OPTIONS with Access-Control-Request-Method but no Origin as not CORS', () => {
    expect(decide({ origin: APP }, { method: 'OPTIONS', requestMethod: 'PUT' }).kind).toBe(
      'not-cors',
    );
  });
});

describe('DESIGN: disallowed origin, actual request', () => {
  it('goes on with no Access-Control-Allow-* header and Vary: Origin', () => {
    const d = decide(
      { origin: APP, credentials: true, exposedHeaders: ['X-Id'] },
      { method: 'POST', origin: 'https://evil.test' },
    );
    expect(d).toEqual({
      kind: 'actual',
      allowed: false,
      reason: 'origin-not-allowed',
      headers: { vary: 'Origin' },
    });
    expect(d.status).toBeUndefined();
  });
});

describe('DESIGN: OPTIONS without Access-Control-Request-Method', () => {
  it('is an actual request handed on to the application', () => {
    const d = decide({ origin: APP }, { method: 'OPTIONS', origin: APP });
    expect(d.kind).toBe('actual');
    expect(d.status).toBeUndefined();
    expect(d.headers['access-control-allow-origin']).toBe(APP);
  });
});

describe('DESIGN: preflight', () => {
  it('answers an allowed preflight with 204, Content-Length: 0 and every header', () => {
    const d = decide(
      { origin: APP, credentials: true, maxAge: 600 },
      preflight(APP, 'PUT', 'content-type,x-trace'),
    );
    expect(d).toEqual({
      kind: 'preflight',
      allowed: true,
      status: 204,
      headers: {
        'access-control-allow-origin': APP,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET,HEAD,PUT,PATCH,POST,DELETE',
        'access-control-allow-headers': 'content-type,x-trace',
        'access-control-max-age': '600',
        vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      },
    });
  });
  it('says Content-Length: 0 on a non-204 answer, never on a 204 (RFC 9110 §8.6)', () => {
    expect(
      decide({ origin: APP, optionsSuccessStatus: 200 }, preflight(APP)).headers['content-length'],
    ).toBe('0');
    expect(decide({ origin: APP }, preflight('https://evil.test')).headers['content-length']).toBe(
      '0',
    );
    expect(decide({ origin: APP }, preflight(APP)).headers['content-length']).toBeUndefined();
  });
  it('uses optionsSuccessStatus', () => {
    expect(decide({ origin: APP, optionsSuccessStatus: 200 }, preflight(APP)).status).toBe(200);
  });
  it('answers 403 without any Access-Control-Allow-* header when the origin is refused', () => {
    const d = decide({ origin: APP, credentials: true }, preflight('https://evil.test'));
    expect(d.status).toBe(403);
    expect(d.reason).toBe('origin-not-allowed');
    expect(Object.keys(d.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    expect(d.headers.vary).toContain('Origin');
  });
  it('answers a refused method with success status, allow-origin and the configured lists', () => {
    const d = decide(
      { origin: APP, methods: ['GET', 'PUT'], allowedHeaders: ['X-A'] },
      preflight(APP, 'DELETE', 'x-a'),
    );
    expect(d).toMatchObject({ allowed: false, reason: 'method-not-allowed', status: 204 });
    expect(d.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET,PUT',
      'access-control-allow-headers': 'X-A',
    });
    expect(d.headers['access-control-max-age']).toBeUndefined();
  });
  it('answers a refused header with success status and the configured header list', () => {
    const d = decide(
      { origin: APP, allowedHeaders: ['Content-Type'] },
      preflight(APP, 'PUT', 'content-type,x-secret'),
    );
    expect(d).toMatchObject({ allowed: false, reason: 'header-not-allowed', status: 204 });
    expect(d.headers['access-control-allow-headers']).toBe('Content-Type');
  });
  it('refuses an invalid requested method or header list without echoing it', () => {
    const m = decide({ origin: APP }, preflight(APP, 'PU T'));
    expect(m.reason).toBe('invalid-request-method');
    const h = decide({ origin: APP }, preflight(APP, 'PUT', 'x-a\r\nset-cookie: a=b'));
    expect(h.reason).toBe('invalid-request-headers');
    expect(JSON.stringify(h.headers)).not.toMatch(/set-cookie/);
  });
  it('hands the preflight on with preflightContinue, headers set but no status', () => {
    const allowed = decide({ origin: APP, preflightContinue: true }, preflight(APP));
    expect(allowed.status).toBeUndefined();
    expect(allowed.headers['content-length']).toBeUndefined();
    expect(allowed.headers['access-control-allow-origin']).toBe(APP);
    const refused = decide(
      { origin: APP, preflightContinue: true },
      preflight('https://evil.test'),
    );
    expect(refused).toMatchObject({ allowed: false, reason: 'origin-not-allowed' });
    expect(refused.status).toBeUndefined();
  });
});

describe('DESIGN: methods', () => {
  it('compares case-sensitively, as browsers do', () => {
    expect(decide({ origin: APP }, preflight(APP, 'PATCH')).allowed).toBe(true);
    expect(decide({ origin: APP }, preflight(APP, 'patch')).reason).toBe('method-not-allowed');
  });
  it('always allows the CORS-safelisted methods', () => {
    expect(decide({ origin: APP, methods: ['PUT'] }, preflight(APP, 'POST', 'x-a')).allowed).toBe(
      true,
    );
  });
  it('accepts a comma-separated string as cors does', () => {
    expect(
      decide({ origin: APP, methods: 'GET, PUT' }, preflight(APP, 'PUT')).headers[
        'access-control-allow-methods'
      ],
    ).toBe('GET,PUT');
  });
});

describe('DESIGN: allowed headers', () => {
  it('allows and reflects the requested names by default, lower-cased', () => {
    expect(
      decide({ origin: APP }, preflight(APP, 'PUT', 'X-Trace , Content-Type')).headers[
        'access-control-allow-headers'
      ],
    ).toBe('x-trace,content-type');
  });
  it("reflects with '*' and varies on Access-Control-Request-Headers", () => {
    const d = decide(
      { origin: APP, allowedHeaders: '*', credentials: true },
      preflight(APP, 'PUT', 'authorization'),
    );
    expect(d.headers['access-control-allow-headers']).toBe('authorization');
    expect(d.headers.vary).toContain('Access-Control-Request-Headers');
  });
  it('compares a configured list case-insensitively', () => {
    expect(
      decide({ origin: APP, allowedHeaders: ['X-Trace'] }, preflight(APP, 'PUT', 'x-trace'))
        .allowed,
    ).toBe(true);
  });
  it('sends no allow-headers when nothing was requested and nothing configured', () => {
    expect(
      decide({ origin: APP }, preflight(APP, 'PUT', '')).headers['access-control-allow-headers'],
    ).toBeUndefined();
  });
});

describe('DESIGN: exposed headers', () => {
  it('are sent on actual responses only', () => {
    const options = { origin: APP, exposedHeaders: ['X-Request-Id', 'X-Total-Count'] };
    expect(
      decide(options, { method: 'GET', origin: APP }).headers['access-control-expose-headers'],
    ).toBe('X-Request-Id,X-Total-Count');
    expect(
      decide(options, preflight(APP)).headers['access-control-expose-headers'],
    ).toBeUndefined();
  });
  it("sends '*' without credentials", () => {
    expect(
      decide({ origin: '*', exposedHeaders: '*' }, { method: 'GET', origin: APP }).headers[
        'access-control-expose-headers'
      ],
    ).toBe('*');
  });
});

describe('DESIGN: maxAge', () => {
  it('sends 0', () => {
    expect(
      decide({ origin: APP, maxAge: 0 }, preflight(APP)).headers['access-control-max-age'],
    ).toBe('0');
  });
  it('warns above 7200 and above 86400', () => {
    const onWarning = vi.fn();
    createCorsPolicy({ origin: APP, maxAge: 7201, onWarning });
    createCorsPolicy({ origin: APP, maxAge: 86401, onWarning });
    expect(onWarning.mock.calls.map(([w]) => w.code)).toEqual([
      'max-age-above-chromium-cap',
      'max-age-above-browser-caps',
    ]);
  });
});

describe('DESIGN: Access-Control-Allow-Credentials', () => {
  it('is sent only with an allowed origin', () => {
    const options = { origin: APP, credentials: true };
    expect(
      decide(options, { method: 'GET', origin: APP }).headers['access-control-allow-credentials'],
    ).toBe('true');
    expect(
      decide(options, { method: 'GET', origin: 'https://evil.test' }).headers[
        'access-control-allow-credentials'
      ],
    ).toBeUndefined();
    expect(
      decide(options, { method: 'GET' }).headers['access-control-allow-credentials'],
    ).toBeUndefined();
  });
});

describe('DESIGN: Vary', () => {
  it('names Origin on every kind of response when the answer depends on the origin', () => {
    for (const request of [
      { method: 'GET' },
      { method: 'GET', origin: APP },
      { method: 'GET', origin: 'https://x.test' },
      preflight(APP),
      preflight('https://x.test'),
    ]) {
      expect(decide({ origin: APP }, request).headers.vary).toMatch(/^Origin/);
    }
  });
  it('varies preflights on the method and headers they answer, and on private network when enabled', () => {
    expect(decide({ origin: '*', allowPrivateNetwork: true }, preflight(APP)).headers.vary).toBe(
      'Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network',
    );
  });
});

describe('DESIGN: private network', () => {
  const pna = (options: CorsOptions, origin = APP) =>
    decide(options, { ...preflight(origin), requestPrivateNetwork: 'true' });
  it('answers Access-Control-Request-Private-Network for allowed origins when enabled', () => {
    expect(
      pna({ origin: APP, allowPrivateNetwork: true }).headers[
        'access-control-allow-private-network'
      ],
    ).toBe('true');
  });
  it('does not answer it for refused origins or when disabled', () => {
    expect(
      pna({ origin: APP, allowPrivateNetwork: true }, 'https://evil.test').headers[
        'access-control-allow-private-network'
      ],
    ).toBeUndefined();
    const off = pna({ origin: APP });
    expect(off.reason).toBe('private-network-not-allowed');
    expect(off.headers['access-control-allow-private-network']).toBeUndefined();
  });
});

describe('DESIGN: options compatible with cors', () => {
  it('accepts every cors option name with the same meaning', () => {
    const d = decide(
      {
        origin: [APP],
        methods: 'GET,POST',
        allowedHeaders: 'X-A',
        exposedHeaders: 'X-B',
        credentials: true,
        maxAge: 5,
        preflightContinue: false,
        optionsSuccessStatus: 200,
      },
      preflight(APP, 'POST', 'x-a'),
    );
    expect(d).toMatchObject({ allowed: true, status: 200 });
  });
});

describe('per-request options', () => {
  it('compiles each distinct options object once', () => {
    const a = { origin: APP };
    const b = { origin: 'https://b.test' };
    const warnings = vi.fn();
    const fn = vi.fn((r: CorsRequest) => ({
      ...(r.native === 'b' ? b : a),
      onWarning: warnings,
      maxAge: 9000,
    }));
    const policy = createCorsPolicy(fn);
    for (let i = 0; i < 5; i++) {
      expect(
        (policy.evaluate({ method: 'GET', origin: APP, native: 'a' }) as CorsDecision).allowed,
      ).toBe(true);
      expect(
        (policy.evaluate({ method: 'GET', origin: 'https://b.test', native: 'b' }) as CorsDecision)
          .allowed,
      ).toBe(true);
    }
    // one warning per compilation: two distinct configurations, though 10 objects were returned
    expect(warnings).toHaveBeenCalledTimes(2);
  });
  it('supports async options, with a timeout', async () => {
    const policy = createCorsPolicy(async () => ({ origin: APP }));
    expect((await policy.evaluate({ method: 'GET', origin: APP })).allowed).toBe(true);
    const slow = createCorsPolicy(optionsTimeout(() => new Promise<CorsOptions>(() => {}), 10));
    await expect(slow.evaluate({ method: 'GET', origin: APP })).rejects.toBeInstanceOf(
      CorsTimeoutError,
    );
    const fast = createCorsPolicy(optionsTimeout(async () => ({ origin: APP }), 1000));
    expect((await fast.evaluate({ method: 'GET', origin: APP })).allowed).toBe(true);
    const sync = createCorsPolicy(optionsTimeout(() => ({ origin: APP }), 1000));
    expect((sync.evaluate({ method: 'GET', origin: APP }) as CorsDecision).allowed).toBe(true);
    expect(() => optionsTimeout(() => ({ origin: APP }), 0)).toThrow(CorsConfigError);
  });
  it('throws CorsConfigError for invalid returned options at request time', () => {
    const policy = createCorsPolicy(() => ({ origin: '*', credentials: true }));
    expect(() => policy.evaluate({ method: 'GET', origin: APP })).toThrow(CorsConfigError);
  });
});

describe('onDecision', () => {
  it('receives every decision with its request', () => {
    const onDecision = vi.fn();
    const request = { method: 'GET', origin: 'https://evil.test' };
    const d = decide({ origin: APP, onDecision }, request);
    expect(onDecision).toHaveBeenCalledWith(d, request);
  });
});

describe('decisions', () => {
  it('are frozen, so an adapter cannot corrupt a shared one', () => {
    const d = decide({ origin: APP }, { method: 'GET', origin: APP });
    expect(Object.isFrozen(d) && Object.isFrozen(d.headers)).toBe(true);
  });
});

describe('origin function errors', () => {
  it.each([undefined, 'boom', 0])(
    'reach the framework as an object even when it throws %j',
    async (thrown) => {
      const sync = createCorsPolicy({
        origin: () => {
          throw thrown;
        },
      });
      expect(() => sync.evaluate({ method: 'GET', origin: APP })).toThrow(
        /the origin function threw/,
      );
      const async = createCorsPolicy({ origin: () => Promise.reject(thrown) });
      await expect(async.evaluate({ method: 'GET', origin: APP })).rejects.toThrow(
        /the origin function threw/,
      );
    },
  );
});
