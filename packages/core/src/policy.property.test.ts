import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CorsDecision, CorsOptions, CorsRequest } from './options.js';
import { createCorsPolicy } from './policy.js';

const ALLOWED = ['https://app.example.com', 'http://localhost:3000'];
const configurations: CorsOptions[] = [
  { origin: ALLOWED, credentials: true },
  { origin: ['https://*.example.com', 'http://localhost:*'], allowedHeaders: ['Content-Type'] },
  { origin: [/^https:\/\/(?:a|b)\.example\.com$/], exposedHeaders: ['X-Id'] },
  { origin: (o) => o === ALLOWED[0], allowPrivateNetwork: true },
];

/** What each configuration allows, written independently of the matcher. */
const oracle = [
  (o: string) => ALLOWED.includes(o),
  (o: string) =>
    /^https:\/\/([a-z0-9-]+\.)+example\.com$/.test(o) ||
    /^http:\/\/localhost(:[1-9][0-9]{0,4})?$/.test(o),
  (o: string) => o === 'https://a.example.com' || o === 'https://b.example.com',
  (o: string) => o === ALLOWED[0],
];

// Arbitrary header values: printable and control characters, commas, non-ASCII, near-misses.
const headerValue = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.constantFrom(
    ...ALLOWED,
    'https://a.example.com',
    'https://example.com',
    'null',
    'http://localhost:0',
  ),
  fc
    .tuple(fc.constantFrom(...ALLOWED, 'https://x.example.com'), fc.string({ maxLength: 10 }))
    .map(([a, b]) => a + b),
  fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...ALLOWED)).map(([a, b]) => a + b),
  fc
    .array(fc.constantFrom(',', ' ', 'x-a', '\r', '\n', '\0', 'é'), { maxLength: 50 })
    .map((a) => a.join('')),
);
const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'OPTIONS', 'PUT', 'options'),
  origin: fc.option(headerValue, { nil: undefined }),
  requestMethod: fc.option(headerValue, { nil: undefined }),
  requestHeaders: fc.option(headerValue, { nil: undefined }),
  requestPrivateNetwork: fc.option(fc.constantFrom('true', 'false', 'TRUE', ''), {
    nil: undefined,
  }),
});

const UNSAFE = /[\r\n\0]/;

describe('evaluate on arbitrary requests', () => {
  configurations.forEach((options, index) => {
    const policy = createCorsPolicy({ ...options, onWarning: () => {} });
    it(`never throws, never allows an origin the configuration does not, never echoes CR, LF or NUL (configuration ${index})`, () => {
      fc.assert(
        fc.property(request, (r: CorsRequest) => {
          const decision = policy.evaluate(r) as CorsDecision;
          const acao = decision.headers['access-control-allow-origin'];
          if (acao !== undefined) {
            expect(r.origin).toBeDefined();
            expect(oracle[index]!(r.origin as string)).toBe(true);
            expect(acao).toBe(r.origin);
          }
          for (const value of Object.values(decision.headers)) expect(value).not.toMatch(UNSAFE);
          // The answer depends on the origin for every one of these configurations.
          expect(decision.headers.vary?.split(', ')).toContain('Origin');
        }),
        { numRuns: 2000 },
      );
    });
  });
});
