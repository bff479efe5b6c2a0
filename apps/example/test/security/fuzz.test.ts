// Fuzzing every adapter through real HTTP: arbitrary Origin, Access-Control-Request-Method and
// Access-Control-Request-Headers values (long, many commas, control characters, latin1 bytes,
// repeated header lines). Whatever arrives, no adapter may answer 500, crash, allow an origin the
// configuration does not allow, or echo anything that is not a valid header value.
import { headerValues, type RawResponse, rawRequest } from '@cors/conformance';
import type { CorsOptions } from '@cors/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerName, servers } from '../../src/servers.js';

/** Cases per adapter: 6 adapters x 1,000 requests take about 10 s on two cores. */
export const RUNS = 1000;

const options: CorsOptions = {
  origin: ['https://www.example.com', 'https://*.example.org', /^https:\/\/api\.example\.net$/],
  credentials: true,
  methods: ['GET', 'PUT', 'PATCH'],
  allowedHeaders: ['x-token', 'content-type'],
  exposedHeaders: ['x-request-id'],
  maxAge: 600,
};

/** The oracle: what the configuration above allows, written independently of core. */
function configurationAllows(origin: string): boolean {
  return (
    origin === 'https://www.example.com' ||
    origin === 'https://api.example.net' ||
    /^https:\/\/(?:[A-Za-z0-9-]+\.)+example\.org$/.test(origin)
  );
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const CONFIGURED_METHODS = new Set(['GET', 'PUT', 'PATCH', 'HEAD', 'POST', 'DELETE']);

// Any latin1 byte but CR and LF: those would end the header line in the raw request itself
// (request splitting is the HTTP parser's business, not CORS's).
const charIn = (min: number, max: number) =>
  fc.integer({ min, max }).map((c) => String.fromCharCode(c));
const byte = fc.oneof(
  { arbitrary: charIn(0x20, 0x7e), weight: 20 },
  { arbitrary: charIn(0x80, 0xff), weight: 2 },
  { arbitrary: fc.constantFrom('\0', '\t', '\x01', '\x0b', '\x1b', '\x7f'), weight: 1 },
);
const bytes = (maxLength: number) => fc.string({ unit: byte, maxLength });
const printable = (maxLength: number) => fc.string({ unit: charIn(0x20, 0x7e), maxLength });

const SEEDS = [
  'https://www.example.com',
  'https://a.example.org',
  'https://a.b.example.org',
  'https://api.example.net',
  'https://example.org',
  'https://evil.com',
  'null',
  '*',
];

/** An origin near an allowed one: one character inserted, replaced or dropped. */
const mutated = fc
  .tuple(fc.constantFrom(...SEEDS), fc.nat(), byte, fc.constantFrom('insert', 'replace', 'drop'))
  .map(([seed, at, char, how]) => {
    const i = at % (seed.length + 1);
    if (how === 'insert') return seed.slice(0, i) + char + seed.slice(i);
    if (how === 'replace') return seed.slice(0, i) + char + seed.slice(i + 1);
    return seed.slice(0, i) + seed.slice(i + 1);
  });

const origin = fc.oneof(
  { arbitrary: fc.constantFrom(...SEEDS), weight: 4 },
  { arbitrary: mutated, weight: 3 },
  fc.tuple(fc.constantFrom(...SEEDS), printable(20)).map(([seed, tail]) => seed + tail),
  fc.array(fc.constantFrom(...SEEDS), { minLength: 2, maxLength: 5 }).map((l) => l.join(', ')),
  bytes(64),
  bytes(4000),
);

const method = fc.oneof(
  { arbitrary: fc.constantFrom('GET', 'PUT', 'PATCH'), weight: 4 },
  fc.constantFrom('GET', 'PUT', 'PATCH', 'patch', 'DELETE', 'CONNECT', 'TRACE', 'GET,PUT', ''),
  bytes(32),
);

const headerName = fc.oneof(
  fc.constantFrom('x-token', 'X-Token', 'content-type', 'authorization', 'x-other', '*', ''),
  printable(12),
  bytes(12),
);
const requestHeaders = fc.oneof(
  {
    arbitrary: fc.constantFrom('x-token', 'content-type,x-token', 'X-TOKEN, Content-Type'),
    weight: 3,
  },
  fc
    .tuple(fc.array(headerName, { maxLength: 40 }), fc.constantFrom(',', ', ', ' ,', ',,', ' , '))
    .map(([names, sep]) => names.join(sep)),
  fc.integer({ min: 1, max: 3000 }).map((n) => ','.repeat(n)),
  fc.integer({ min: 1, max: 500 }).map((n) => Array(n).fill('x-token').join(',')),
  bytes(2000),
);

/** Mostly one line of a header, else zero to three, with a random spelling of its name. */
const lines = (names: readonly string[], value: fc.Arbitrary<string>) => {
  const line = fc.tuple(fc.constantFrom(...names), value);
  return fc.oneof(
    { arbitrary: line.map((l) => [l]), weight: 3 },
    { arbitrary: fc.array(line, { maxLength: 3 }), weight: 1 },
  );
};

const request = fc.record({
  method: fc.constantFrom('OPTIONS', 'OPTIONS', 'GET', 'POST', 'PUT'),
  path: fc.constantFrom('/resource', '/private', '/error', '/nowhere'),
  origins: lines(['Origin', 'origin', 'ORIGIN'], origin),
  methods: lines(['Access-Control-Request-Method', 'access-control-request-method'], method),
  headers: lines(
    ['Access-Control-Request-Headers', 'access-control-request-headers'],
    requestHeaders,
  ),
  privateNetwork: lines(
    ['Access-Control-Request-Private-Network'],
    fc.constantFrom('true', 'TRUE', ''),
  ),
});

type Case = typeof request extends fc.Arbitrary<infer T> ? T : never;

/** Every way the response could let something through; empty when it is sound. */
function problems(sent: Case, response: RawResponse): string[] {
  const found: string[] = [];
  // A thrown handler (/error) answers 500 by design; the middleware itself never may.
  if (response.status >= 500 && sent.path !== '/error') found.push(`status ${response.status}`);
  for (const [name, value] of response.rawHeaders) {
    if (/[\r\n\0]/.test(value))
      found.push(`${name} carries CR, LF or NUL: ${JSON.stringify(value)}`);
  }
  const allowOrigin = headerValues(response, 'access-control-allow-origin');
  if (allowOrigin.length > 1) found.push(`${allowOrigin.length} Access-Control-Allow-Origin`);
  const value = allowOrigin[0];
  if (value !== undefined) {
    const single = sent.origins.length === 1 ? sent.origins[0]![1] : undefined;
    if (single === undefined)
      found.push(`allowed ${JSON.stringify(value)} with ${sent.origins.length} Origin lines`);
    // The parser strips surrounding whitespace (RFC 9110, 5.5); core compares the rest byte for byte.
    else if (value !== single.replace(/^[ \t]+|[ \t]+$/g, ''))
      found.push(`allowed ${JSON.stringify(value)} for Origin ${JSON.stringify(single)}`);
    if (!configurationAllows(value)) found.push(`allowed ${JSON.stringify(value)}, not configured`);
  }
  for (const list of headerValues(response, 'access-control-allow-headers')) {
    for (const name of list.split(',').map((n) => n.trim())) {
      if (!TOKEN.test(name))
        found.push(`Access-Control-Allow-Headers echoes ${JSON.stringify(name)}`);
    }
  }
  for (const list of headerValues(response, 'access-control-allow-methods')) {
    for (const name of list.split(',').map((n) => n.trim())) {
      if (!CONFIGURED_METHODS.has(name))
        found.push(`Access-Control-Allow-Methods lists ${JSON.stringify(name)}`);
    }
  }
  return found;
}

const healthy = (url: string) =>
  rawRequest(url, {
    method: 'GET',
    path: '/resource',
    headers: { origin: 'https://www.example.com' },
  });

for (const name of Object.keys(servers) as ServerName[]) {
  describe(`${name} under fuzzed CORS headers`, () => {
    let server: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      server = await servers[name](options);
    });
    afterAll(() => server?.close());

    it(`answers ${RUNS} arbitrary requests without a 500, a crash or an origin it does not allow`, async () => {
      let sent = 0;
      const statuses = new Map<number, number>();
      let allowed = 0;
      await fc.assert(
        fc.asyncProperty(request, async (c) => {
          sent++;
          const response = await rawRequest(server.url, {
            method: c.method,
            path: c.path,
            headers: [...c.origins, ...c.methods, ...c.headers, ...c.privateNetwork],
          });
          expect(problems(c, response)).toEqual([]);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (headerValues(response, 'access-control-allow-origin').length > 0) allowed++;
          // Still up and still deciding correctly after every case.
          if (sent % 50 === 0) {
            const health = await healthy(server.url);
            expect(health.status).toBe(200);
            expect(health.headers['access-control-allow-origin']).toBe('https://www.example.com');
          }
        }),
        { numRuns: RUNS },
      );
      expect(sent).toBeGreaterThanOrEqual(RUNS);
      // Not vacuous: some cases were allowed, some preflights answered, some requests refused.
      expect(allowed).toBeGreaterThan(0);
      expect(statuses.get(204) ?? 0).toBeGreaterThan(0);
      expect(statuses.get(403) ?? 0).toBeGreaterThan(0);
      if (process.env.CORS_SECURITY_FIGURES) {
        console.log(
          `${name}: ${sent} cases, ${allowed} allowed, statuses`,
          Object.fromEntries(statuses),
        );
      }
      const after = await healthy(server.url);
      expect(after.status).toBe(200);
      expect(after.headers['access-control-allow-origin']).toBe('https://www.example.com');
    }, 60_000);
  });
}
