import { describe, expect, it, vi } from 'vitest';
import { readCorsRequest } from './headers.js';
import type { CorsDecision, CorsOptions, CorsRequest } from './options.js';
import { createCorsPolicy } from './policy.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';
const API = 'api.example.com';
const quiet = { onWarning: () => {} };
const protect: CorsOptions = { origin: [APP], crossOriginProtection: true };

function decide(options: CorsOptions, request: CorsRequest): CorsDecision {
  const decision = createCorsPolicy({ ...quiet, ...options }).evaluate(request);
  if (decision instanceof Promise) throw new Error('expected a synchronous decision');
  return decision;
}

const post = (extra: Partial<CorsRequest>): CorsRequest => ({
  method: 'POST',
  host: API,
  ...extra,
});
const refused = expect.objectContaining({
  allowed: false,
  reason: 'cross-origin-request-refused',
  status: 403,
});
/** Goes on to the application: no status to end the response with. */
const goesOn = (decision: CorsDecision) => expect(decision.status).toBeUndefined();

describe('DESIGN: cross-origin request protection', () => {
  it('is off by default: a cross-site POST from a refused origin goes on, as with cors', () => {
    const decision = decide({ origin: [APP] }, post({ origin: EVIL, secFetchSite: 'cross-site' }));
    expect(decision).toMatchObject({
      kind: 'actual',
      allowed: false,
      reason: 'origin-not-allowed',
    });
    goesOn(decision);
  });

  describe('Sec-Fetch-Site decides when present', () => {
    it('refuses cross-site with an origin the policy does not allow (403, reason, body, Vary)', () => {
      const decision = decide(protect, post({ origin: EVIL, secFetchSite: 'cross-site' }));
      expect(decision).toEqual(refused);
      expect(decision.kind).toBe('actual');
      expect(decision.body).toMatch(/crossOriginProtection/);
      expect(decision.headers).toMatchObject({
        vary: 'Origin, Sec-Fetch-Site',
        'content-type': 'text/plain; charset=utf-8',
        'x-content-type-options': 'nosniff',
      });
      expect(Object.keys(decision.headers).some((h) => h.startsWith('access-control-'))).toBe(
        false,
      );
    });
    it('refuses same-site (a sibling subdomain) when the policy does not allow it', () => {
      const sibling = 'https://blog.example.com';
      expect(decide(protect, post({ origin: sibling, secFetchSite: 'same-site' }))).toEqual(
        refused,
      );
    });
    it('passes same-origin, even for an origin that is not listed (no CORS headers)', () => {
      const decision = decide(
        protect,
        post({ origin: `https://${API}`, secFetchSite: 'same-origin' }),
      );
      expect(decision).toMatchObject({ kind: 'actual', reason: 'origin-not-allowed' });
      goesOn(decision);
    });
    it("passes 'none' (the user typed the URL or followed a bookmark)", () => {
      goesOn(decide(protect, post({ origin: EVIL, secFetchSite: 'none' })));
    });
    it('treats a value no browser sends as another origin (fails closed)', () => {
      for (const forged of ['Same-Origin', 'same-origin, same-origin', '', ' same-origin', 'x']) {
        expect(decide(protect, post({ origin: EVIL, secFetchSite: forged }))).toEqual(refused);
      }
    });
    it('trusts Sec-Fetch-Site over a matching Origin and Host', () => {
      const own = `https://${API}`;
      expect(decide(protect, post({ origin: own, secFetchSite: 'cross-site' }))).toEqual(refused);
    });
    it('refuses cross-site without an Origin (kind not-cors)', () => {
      const decision = decide(protect, post({ secFetchSite: 'cross-site' }));
      expect(decision).toEqual(refused);
      expect(decision.kind).toBe('not-cors');
    });
  });

  describe('without Sec-Fetch-Site, Origin is compared with Host', () => {
    it('passes an Origin whose host is the request Host', () => {
      goesOn(decide(protect, post({ origin: `https://${API}` })));
      goesOn(decide(protect, post({ origin: 'http://127.0.0.1:8080', host: '127.0.0.1:8080' })));
    });
    it('compares the Host case-insensitively (browsers send both in lower case)', () => {
      goesOn(decide(protect, post({ origin: `https://${API}`, host: 'API.Example.COM' })));
    });
    it('passes http:// of the same host: Host carries no scheme (HSTS closes it)', () => {
      goesOn(decide(protect, post({ origin: `http://${API}` })));
    });
    it('refuses another host, another port, and a host that only starts the same', () => {
      for (const origin of [
        EVIL,
        `https://${API}:8443`,
        `https://${API}.evil.net`,
        'https://api',
      ]) {
        expect(decide(protect, post({ origin }))).toEqual(refused);
      }
    });
    it('refuses when there is no Host to compare with', () => {
      expect(decide(protect, post({ origin: EVIL, host: undefined }))).toEqual(refused);
    });
    it("refuses 'null' (a sandboxed iframe, a file: page) unless 'null' is listed", () => {
      expect(decide(protect, post({ origin: 'null' }))).toEqual(refused);
      const listed = { ...protect, origin: [APP, 'null'] };
      expect(decide(listed, post({ origin: 'null' }))).toMatchObject({ allowed: true });
    });
    it('refuses an Origin that is not a serialised origin', () => {
      expect(decide(protect, post({ origin: 'evil' }))).toEqual(refused);
    });
    it('passes a request with neither header (curl, webhooks, servers)', () => {
      expect(decide(protect, post({}))).toMatchObject({ kind: 'not-cors', allowed: true });
    });
  });

  it('passes an allowed origin from another site, with its CORS headers', () => {
    const decision = decide(protect, post({ origin: APP, secFetchSite: 'cross-site' }));
    expect(decision).toMatchObject({ allowed: true });
    expect(decision.headers['access-control-allow-origin']).toBe(APP);
    goesOn(decision);
  });
  it('passes the safe methods GET, HEAD and OPTIONS from anywhere', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      goesOn(decide(protect, { method, origin: EVIL, secFetchSite: 'cross-site', host: API }));
    }
  });
  it('treats every other method as unsafe, lower-case ones included', () => {
    for (const method of ['PUT', 'PATCH', 'DELETE', 'post', 'get', 'PROPFIND']) {
      const request = { method, origin: EVIL, secFetchSite: 'cross-site', host: API };
      expect(decide(protect, request)).toEqual(refused);
    }
  });
  it('leaves preflights to the CORS rules (a refused origin gets the preflight 403)', () => {
    const decision = decide(protect, {
      method: 'OPTIONS',
      origin: EVIL,
      requestMethod: 'PUT',
      secFetchSite: 'cross-site',
      host: API,
    });
    expect(decision).toMatchObject({ kind: 'preflight', reason: 'origin-not-allowed' });
  });
  it('applies to patterns, RegExps and origin functions, sync and async', async () => {
    const sibling = 'https://a.partner.example.org';
    for (const origin of [
      ['https://*.partner.example.org'],
      [/^https:\/\/a\.partner\.example\.org$/],
    ]) {
      const options = { origin, crossOriginProtection: true };
      expect(decide(options, post({ origin: sibling, secFetchSite: 'cross-site' }))).toMatchObject({
        allowed: true,
      });
      expect(decide(options, post({ origin: EVIL, secFetchSite: 'cross-site' }))).toEqual(refused);
    }
    const fn = { origin: (o: string) => o === APP, crossOriginProtection: true };
    expect(decide(fn, post({ origin: EVIL, secFetchSite: 'cross-site' }))).toEqual(refused);
    const asyncFn = createCorsPolicy({
      origin: async (o: string) => o === APP,
      crossOriginProtection: true,
    });
    await expect(
      asyncFn.evaluate(post({ origin: EVIL, secFetchSite: 'cross-site' })),
    ).resolves.toEqual(refused);
    await expect(
      asyncFn.evaluate(post({ origin: APP, secFetchSite: 'cross-site' })),
    ).resolves.toMatchObject({ allowed: true });
  });
  it('applies to per-request options', () => {
    const policy = createCorsPolicy(() => protect);
    expect(policy.evaluate(post({ origin: EVIL, secFetchSite: 'cross-site' }))).toEqual(refused);
  });
  it('ends the request even with preflightContinue', () => {
    const options = { ...protect, preflightContinue: true };
    expect(decide(options, post({ origin: EVIL, secFetchSite: 'cross-site' }))).toEqual(refused);
  });
  it('reports exactly one decision to onDecision, with its reason', () => {
    const onDecision = vi.fn();
    decide({ ...protect, onDecision }, post({ origin: EVIL, secFetchSite: 'cross-site' }));
    expect(onDecision).toHaveBeenCalledTimes(1);
    expect(onDecision.mock.calls[0]![0]).toMatchObject({ reason: 'cross-origin-request-refused' });
  });
  it("warns at start-up that it has no effect with origin: '*'", () => {
    const onWarning = vi.fn();
    createCorsPolicy({ origin: '*', crossOriginProtection: true, onWarning });
    expect(onWarning).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'cross-origin-protection-without-effect' }),
    );
  });
  it('must be a boolean', () => {
    expect(() =>
      createCorsPolicy({ origin: APP, crossOriginProtection: 'yes' as unknown as boolean }),
    ).toThrow(/crossOriginProtection: must be true or false/);
  });
});

describe('readCorsRequest', () => {
  it('reads Host and Sec-Fetch-Site raw, and :authority when there is no Host (HTTP/2)', () => {
    const request = readCorsRequest('POST', { host: 'A.test:80', 'sec-fetch-site': 'same-site' });
    expect(request).toMatchObject({ host: 'A.test:80', secFetchSite: 'same-site' });
    expect(readCorsRequest('POST', { ':authority': 'b.test' }).host).toBe('b.test');
    expect(readCorsRequest('POST', {})).toMatchObject({ host: undefined, secFetchSite: undefined });
  });
});
