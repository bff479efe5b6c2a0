import { describe, expect, it, vi } from 'vitest';
import { compileHosts, parseHostEntry, splitHostHeader } from './hosts.js';
import type { CorsDecision, CorsOptions, CorsRequest } from './options.js';
import { createCorsPolicy } from './policy.js';
import type { CorsConfigError } from './validate.js';

const APP = 'https://app.example.com';
const LOCAL = ['localhost', '127.0.0.1', '[::1]'];

function decide(options: CorsOptions, request: CorsRequest): CorsDecision {
  const decision = createCorsPolicy({ onWarning: () => {}, ...options }).evaluate(request);
  if (decision instanceof Promise) throw new Error('expected a synchronous decision');
  return decision;
}

function allows(entries: string[], host: string | undefined): boolean {
  const parsed = entries.map((e) => {
    const entry = parseHostEntry(e);
    if ('fix' in entry) throw new Error(entry.message);
    return entry;
  });
  return compileHosts(parsed)(host);
}

function issuesOf(allowedHosts: unknown) {
  try {
    createCorsPolicy({ origin: APP, allowedHosts: allowedHosts as string[] });
  } catch (error) {
    return (error as CorsConfigError).issues;
  }
  return [];
}

describe('DESIGN: host allowlist', () => {
  it('is not checked by default: any Host, or none, goes on', () => {
    expect(decide({ origin: APP }, { method: 'GET', host: 'rebound.evil.net' }).status).toBe(
      undefined,
    );
  });

  describe('start-up checks', () => {
    it.each([
      [[], /non-empty array/],
      ['localhost', /non-empty array/],
      [[''], /non-empty host name/],
      [[42], /non-empty host name/],
      [['*'], /same as not checking/],
      [['http://localhost:3000'], /is a URL/],
      [['localhost/api'], /not a host\[:port\]/],
      [['a.test, b.test'], /not a host\[:port\]/],
      [['localhost:0'], /invalid port/],
      [['localhost:70000'], /invalid port/],
      [['localhost:*'], /invalid port/],
      [['::1'], /IPv6 address without brackets/],
      [['a*.example.com'], /inside a label/],
      [['*.com'], /public suffix/],
      [['*.github.io'], /public suffix/],
      [['*.10.0.0.1'], /IP address/],
      [['exa mple.com'], /not a host/],
    ])('refuses %j', (hosts, message) => {
      expect(issuesOf(hosts)[0]?.message).toMatch(message);
    });
    it('gives the fix: the host[:port] of a URL, brackets for IPv6', () => {
      expect(issuesOf(['http://localhost:3000/'])[0]).toMatchObject({
        option: 'allowedHosts[0]',
        fix: "use 'localhost:3000'",
      });
      expect(issuesOf(['::1'])[0]?.fix).toBe("use '[::1]'");
    });
    it('reports every bad entry at once', () => {
      expect(issuesOf(['ok.test', '*', 'http://x.test']).map((i) => i.option)).toEqual([
        'allowedHosts[1]',
        'allowedHosts[2]',
      ]);
    });
    it('normalises entries as browsers write Host: case, IDN, trailing dot, IPv6, ports', () => {
      expect(parseHostEntry('API.Example.COM.')).toEqual({
        kind: 'exact',
        name: 'api.example.com',
        port: '',
      });
      expect(parseHostEntry('bücher.example')).toMatchObject({ name: 'xn--bcher-kva.example' });
      expect(parseHostEntry('[0:0:0:0:0:0:0:1]:03000')).toEqual({
        kind: 'exact',
        name: '[::1]',
        port: '3000',
      });
      expect(parseHostEntry('*.Example.com:8443')).toEqual({
        kind: 'subdomains',
        base: 'example.com',
        port: '8443',
      });
    });
  });

  describe('matching a Host header', () => {
    it('matches an entry without a port on any port, or none', () => {
      for (const host of ['localhost', 'localhost:3000', 'localhost:1']) {
        expect(allows(LOCAL, host)).toBe(true);
      }
    });
    it('matches an entry with a port on that port only', () => {
      expect(allows(['api.test:8080'], 'api.test:8080')).toBe(true);
      expect(allows(['api.test:8080'], 'api.test:08080')).toBe(true);
      expect(allows(['api.test:8080'], 'api.test:8081')).toBe(false);
      expect(allows(['api.test:8080'], 'api.test')).toBe(false);
    });
    it('matches *.example.com at any depth, never the apex nor a look-alike', () => {
      const entries = ['*.example.com'];
      expect(allows(entries, 'a.example.com')).toBe(true);
      expect(allows(entries, 'a.b.example.com:443')).toBe(true);
      expect(allows(entries, 'example.com')).toBe(false);
      expect(allows(entries, 'evilexample.com')).toBe(false);
      expect(allows(entries, 'a.example.com.evil.net')).toBe(false);
      expect(allows(['*.example.com:8443'], 'a.example.com:8443')).toBe(true);
      expect(allows(['*.example.com:8443'], 'a.example.com')).toBe(false);
    });
    it('ignores case and one trailing dot (the same DNS name), never two', () => {
      expect(allows(LOCAL, 'LocalHost:3000')).toBe(true);
      expect(allows(LOCAL, 'localhost.:3000')).toBe(true);
      expect(allows(LOCAL, 'localhost..')).toBe(false);
      expect(allows(['*.example.com'], 'A.Example.Com.')).toBe(true);
    });
    it('matches bracketed IPv6 with and without a port, never unbracketed', () => {
      expect(allows(LOCAL, '[::1]')).toBe(true);
      expect(allows(LOCAL, '[::1]:5173')).toBe(true);
      expect(allows(LOCAL, '::1')).toBe(false);
      expect(allows(LOCAL, '[::1')).toBe(false);
      expect(allows(LOCAL, '[::1]x')).toBe(false);
      expect(allows(LOCAL, '[::2]')).toBe(false);
    });
    it('refuses an absent, empty or malformed Host', () => {
      for (const host of [
        undefined,
        '',
        ':3000',
        'localhost:',
        'localhost:abc',
        'localhost:3000:1',
        'localhost:123456',
        'evil.net@localhost',
        'localhost/x',
        'localhost, evil.net',
        'local host',
        'localhost\u0000',
        '.localhost',
      ]) {
        expect(allows(LOCAL, host)).toBe(false);
      }
    });
    it('splits a Host header into its normalised name and port', () => {
      expect(splitHostHeader('API.test.:0080')).toEqual({ name: 'api.test', port: '80' });
      expect(splitHostHeader('[::1]')).toEqual({ name: '[::1]', port: '' });
      expect(splitHostHeader('a b')).toBe(null);
    });
  });

  describe('refusing', () => {
    const options = { origin: APP, allowedHosts: LOCAL };
    it('answers 403 with a body naming the host to add, before any CORS rule', () => {
      const decision = decide(options, {
        method: 'GET',
        origin: APP,
        host: 'rebound.evil.net:3000',
      });
      expect(decision).toMatchObject({
        kind: 'actual',
        allowed: false,
        reason: 'host-not-allowed',
        status: 403,
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          'x-content-type-options': 'nosniff',
        },
      });
      expect(decision.body).toBe(
        "@cors: the host 'rebound.evil.net' is not allowed. If this server should answer to it, add 'rebound.evil.net' to allowedHosts.\n",
      );
      expect(decision.headers['access-control-allow-origin']).toBeUndefined();
    });
    it('says so when Host is absent or malformed, without echoing it', () => {
      expect(decide(options, { method: 'GET' }).body).toMatch(/no Host header/);
      const odd = decide(options, { method: 'GET', host: '<script>' });
      expect(odd.body).toMatch(/not a valid host/);
      expect(odd.body).not.toMatch(/script/);
    });
    it('names the kind of the refused request: preflight, actual, not-cors', () => {
      const host = 'evil.net';
      expect(
        decide(options, { method: 'OPTIONS', origin: APP, requestMethod: 'PUT', host }).kind,
      ).toBe('preflight');
      expect(decide(options, { method: 'GET', host }).kind).toBe('not-cors');
    });
    it('ends the request even with preflightContinue', () => {
      const request = { method: 'OPTIONS', origin: APP, requestMethod: 'PUT', host: 'evil.net' };
      expect(decide({ ...options, preflightContinue: true }, request).status).toBe(403);
    });
    it('passes a listed host on to the CORS rules', () => {
      const decision = decide(options, { method: 'GET', origin: APP, host: '127.0.0.1:3000' });
      expect(decision).toMatchObject({ kind: 'actual', allowed: true });
      expect(decision.status).toBeUndefined();
    });
    it('reports one decision to onDecision', () => {
      const onDecision = vi.fn();
      decide({ ...options, onDecision }, { method: 'POST', host: 'evil.net' });
      expect(onDecision).toHaveBeenCalledOnce();
      expect(onDecision.mock.calls[0]![0]).toMatchObject({ reason: 'host-not-allowed' });
    });
    it('applies to per-request options', async () => {
      const policy = createCorsPolicy(async () => options);
      await expect(policy.evaluate({ method: 'GET', host: 'evil.net' })).resolves.toMatchObject({
        status: 403,
      });
    });
  });
});

describe('policy.evaluateUpgrade (WebSocket handshakes)', () => {
  const upgrade = (options: CorsOptions, request: Partial<CorsRequest>) =>
    createCorsPolicy({ onWarning: () => {}, ...options }).evaluateUpgrade({
      method: 'GET',
      ...request,
    });
  it('lets an allowed Origin and an absent one proceed', () => {
    expect(upgrade({ origin: [APP] }, { origin: APP })).toEqual({
      kind: 'websocket',
      allowed: true,
      headers: {},
    });
    expect(upgrade({ origin: [APP] }, {})).toMatchObject({ allowed: true });
    expect(
      upgrade({ origin: ['https://*.example.com'] }, { origin: 'https://a.example.com' }),
    ).toMatchObject({ allowed: true });
    expect(upgrade({ origin: '*' }, { origin: 'https://any.test' })).toMatchObject({
      allowed: true,
    });
  });
  it('refuses a disallowed Origin with 403', () => {
    expect(upgrade({ origin: [APP] }, { origin: 'https://evil.example.net' })).toEqual({
      kind: 'websocket',
      allowed: false,
      reason: 'origin-not-allowed',
      status: 403,
      headers: { vary: 'Origin', 'content-length': '0' },
    });
  });
  it("refuses 'null' and malformed origins unless 'null' is listed", () => {
    expect(upgrade({ origin: [APP] }, { origin: 'null' })).toMatchObject({ status: 403 });
    expect(upgrade({ origin: (o) => o !== '' }, { origin: 'null' })).toMatchObject({ status: 403 });
    expect(upgrade({ origin: () => true }, { origin: 'https://a.test/' })).toMatchObject({
      status: 403,
    });
    expect(upgrade({ origin: [APP, 'null'] }, { origin: 'null' })).toMatchObject({ allowed: true });
  });
  it('refuses a same-origin page whose origin is not listed (list your own origin)', () => {
    const own = {
      origin: 'https://api.example.com',
      host: 'api.example.com',
      secFetchSite: 'same-origin',
    };
    expect(upgrade({ origin: [APP] }, own)).toMatchObject({ status: 403 });
  });
  it('asks origin functions, sync and async', async () => {
    expect(upgrade({ origin: (o) => o === APP }, { origin: APP })).toMatchObject({ allowed: true });
    await expect(
      upgrade({ origin: async (o) => o === APP }, { origin: 'https://b.test' }),
    ).resolves.toMatchObject({ status: 403 });
  });
  it('applies allowedHosts first', () => {
    expect(
      upgrade({ origin: [APP], allowedHosts: ['api.test'] }, { origin: APP, host: 'evil.net' }),
    ).toMatchObject({ kind: 'websocket', reason: 'host-not-allowed', status: 403 });
  });
  it('reports to onDecision and works with per-request options', async () => {
    const onDecision = vi.fn();
    const policy = createCorsPolicy(async () => ({ origin: [APP], onDecision }));
    await expect(
      policy.evaluateUpgrade({ method: 'GET', origin: 'https://b.test' }),
    ).resolves.toMatchObject({
      status: 403,
    });
    expect(onDecision).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'websocket' }),
      expect.anything(),
    );
  });
});
