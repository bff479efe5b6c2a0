// Cost attacks: huge or repetitive CORS request headers. Over Node's header limit (16 KB by
// default) the HTTP parser answers 431 before any middleware runs; just under it, every adapter
// answers normally and echoes only valid tokens. Core itself, which has no size limit of its own,
// decides a megabyte in bounded work. The timings are in cost.bench.ts; this file holds behaviour.
import { maxHeaderSize } from 'node:http';
import { headerValues, type RawHeaders, rawRequest } from '@cors/conformance';
import { type CorsOptions, createCorsPolicy } from '@cors/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerName, servers } from '../../src/servers.js';
import { ALLOWED, commas, headerList, originLines } from './attacks.js';

/** Default allowed headers: the requested names are reflected, the worst case for echoing. */
const reflecting: CorsOptions = { origin: [ALLOWED] };

/** The longest Access-Control-Request-Headers core reads (packages/core/src/request-headers.ts). */
const CORE_CAP = 8192;

/** Room left for the request line and the other headers under Node's limit. */
const UNDER_LIMIT = maxHeaderSize - 1024;

const preflightWith = (requestHeaders: string): RawHeaders => ({
  origin: ALLOWED,
  'access-control-request-method': 'PUT',
  'access-control-request-headers': requestHeaders,
});

const TOKEN_LIST = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:, ?[!#$%&'*+.^_`|~0-9A-Za-z-]+)*$/;

for (const name of Object.keys(servers) as ServerName[]) {
  describe(`${name} under oversized CORS headers`, () => {
    let server: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      server = await servers[name](reflecting);
    });
    afterAll(() => server?.close());

    const send = (method: string, headers: RawHeaders) =>
      rawRequest(server.url, { method, path: '/resource', headers, timeout: 10_000 });

    it('answers 431 to a 1 MB Access-Control-Request-Headers, before CORS runs, and stays up', async () => {
      const response = await send('OPTIONS', preflightWith(headerList(1 << 20)));
      expect(response.status).toBe(431);
      expect(headerValues(response, 'access-control-allow-origin')).toEqual([]);
      expect((await send('GET', { origin: ALLOWED })).status).toBe(200);
    });

    it('answers 431 to 100,000 commas in Access-Control-Request-Headers', async () => {
      const response = await send('OPTIONS', preflightWith(commas(100_000)));
      expect(response.status).toBe(431);
      expect(headerValues(response, 'access-control-allow-origin')).toEqual([]);
    });

    it('answers 431 to 10,000 Origin lines', async () => {
      const response = await send('GET', originLines(10_000));
      expect(response.status).toBe(431);
      expect(headerValues(response, 'access-control-allow-origin')).toEqual([]);
    });

    it("reflects a requested list of 8 KB (core's cap), as valid tokens only", async () => {
      const list = headerList(CORE_CAP - 16);
      const response = await send('OPTIONS', preflightWith(list));
      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
      const allowed = headerValues(response, 'access-control-allow-headers');
      expect(allowed).toHaveLength(1);
      expect(allowed[0]).toMatch(TOKEN_LIST);
      expect(allowed[0]!.split(/, ?/).length).toBe(list.split(',').length);
    });

    it("echoes nothing of a list between core's 8 KB cap and Node's 16 KB limit", async () => {
      const response = await send('OPTIONS', preflightWith(headerList(UNDER_LIMIT)));
      expect(response.status).toBe(204);
      expect(headerValues(response, 'access-control-allow-headers')).toEqual([]);
    });

    it('refuses a preflight whose header list is only commas, just under the limit, without a 500', async () => {
      const response = await send('OPTIONS', preflightWith(commas(UNDER_LIMIT)));
      expect(response.status).toBeLessThan(500);
      for (const value of headerValues(response, 'access-control-allow-headers')) {
        expect(value).toMatch(TOKEN_LIST);
      }
    });

    it('allows nothing to as many Origin lines as fit under the limit (joined, they are no origin)', async () => {
      const lines = originLines(Math.floor(UNDER_LIMIT / (ALLOWED.length + 10)));
      const response = await send('GET', lines);
      expect(response.status).toBe(200);
      expect(headerValues(response, 'access-control-allow-origin')).toEqual([]);
      expect(headerValues(response, 'vary').join(',')).toMatch(/origin/i);
    });
  });
}

describe('core, which has no header size limit of its own', () => {
  const policy = createCorsPolicy(reflecting);
  const preflight = (requestHeaders: string, origin = ALLOWED) =>
    policy.evaluate({ method: 'OPTIONS', origin, requestMethod: 'PUT', requestHeaders });

  it('refuses a 1 MB list of valid names, 100,000 and 1,000,000 commas, echoing none of them', async () => {
    for (const value of [headerList(1 << 20), commas(100_000), commas(1_000_000)]) {
      const decision = await preflight(value);
      expect(decision.allowed).toBe(false);
      expect(decision.reason).toBe('invalid-request-headers');
      expect(decision.headers['access-control-allow-headers']).toBeUndefined();
    }
  });

  it('reads a list of commas under its cap as no names at all', async () => {
    const decision = await preflight(commas(CORE_CAP));
    expect(decision.allowed).toBe(true);
    expect(decision.headers['access-control-allow-headers']).toBeUndefined();
  });

  it('refuses a 1 MB Origin and 10,000 origins joined as Node joins repeated lines', async () => {
    for (const origin of [
      `${ALLOWED}${'a'.repeat(1 << 20)}`,
      Array(10_000).fill(ALLOWED).join(', '),
    ]) {
      const decision = await policy.evaluate({ method: 'GET', origin });
      expect(decision.allowed).toBe(false);
      expect(decision.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('never trims the Origin it is given: surrounding whitespace makes another origin', async () => {
    for (const origin of [`${ALLOWED} `, ` ${ALLOWED}`, `${ALLOWED}\t`]) {
      expect((await policy.evaluate({ method: 'GET', origin })).allowed).toBe(false);
    }
  });
});
