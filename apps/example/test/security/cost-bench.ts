// Cost of hostile CORS headers, in figures: how long core takes to decide each oversized input, and
// how long an Express server with @cors/node takes to answer it over loopback. Behaviour is asserted
// in cost.test.ts; this only prints.
//
// pnpm exec tsx --tsconfig apps/example/test/security/tsconfig.json apps/example/test/security/cost-bench.ts
import { rawRequest } from '@cors/conformance';
import { type CorsRequest, createCorsPolicy } from '@cors/core';
import { startExpress } from '../../../../packages/node/test/server.js';
import { ALLOWED, commas, headerList, originLines } from './attacks.js';

const policy = createCorsPolicy({ origin: [ALLOWED] });
const regexpPolicy = createCorsPolicy({ origin: /^https:\/\/(?:www\.)?example\.com$/ });

/** Microseconds per call, over enough calls to take about 200 ms. */
function perCall(run: () => unknown): number {
  run();
  let n = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < n; i++) run();
    const ms = performance.now() - start;
    if (ms > 200) return (ms * 1000) / n;
    n *= 2;
  }
}

const preflight = (requestHeaders: string): CorsRequest => ({
  method: 'OPTIONS',
  origin: ALLOWED,
  requestMethod: 'PUT',
  requestHeaders,
});

const rows: Array<[string, number, number]> = [];
const core = (label: string, bytes: number, request: CorsRequest, p = policy) =>
  rows.push([label, bytes, perCall(() => p.evaluate(request))]);

for (const size of [1024, 4096, 8000, 65_536, 1 << 20]) {
  core(`Access-Control-Request-Headers, valid names`, size, preflight(headerList(size)));
}
for (const n of [1000, 4000, 8000, 100_000, 1_000_000]) {
  core('Access-Control-Request-Headers, commas only', n, preflight(commas(n)));
}
for (const n of [10, 1000, 10_000]) {
  const origin = Array(n).fill(ALLOWED).join(', ');
  core(`Origin, ${n} lines joined by Node`, origin.length, { method: 'GET', origin });
  core(
    `Origin, ${n} lines joined, RegExp entry`,
    origin.length,
    { method: 'GET', origin },
    regexpPolicy,
  );
}
const huge = { method: 'GET', origin: ALLOWED + 'a'.repeat(1 << 20) };
core('Origin, 1 MB', huge.origin.length, huge);
core('Origin, 1 MB, RegExp entry', huge.origin.length, huge, regexpPolicy);

console.log('core: policy.evaluate()');
console.log('| input | bytes | µs per call |');
console.log('|---|---:|---:|');
for (const [label, bytes, us] of rows) console.log(`| ${label} | ${bytes} | ${us.toFixed(2)} |`);

async function http(): Promise<void> {
  const server = await startExpress({ origin: [ALLOWED] });
  const cases: Array<[string, Parameters<typeof rawRequest>[1]]> = [
    [
      'ordinary preflight',
      {
        method: 'OPTIONS',
        path: '/resource',
        headers: {
          origin: ALLOWED,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'x-token',
        },
      },
    ],
    [
      'preflight, 8 KB header list',
      {
        method: 'OPTIONS',
        path: '/resource',
        headers: {
          origin: ALLOWED,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': headerList(8000),
        },
      },
    ],
    [
      'preflight, 15 KB header list',
      {
        method: 'OPTIONS',
        path: '/resource',
        headers: {
          origin: ALLOWED,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': headerList(15_000),
        },
      },
    ],
    [
      'preflight, 1 MB header list (431)',
      {
        method: 'OPTIONS',
        path: '/resource',
        headers: {
          origin: ALLOWED,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': headerList(1 << 20),
        },
      },
    ],
    [
      'preflight, 100,000 commas (431)',
      {
        method: 'OPTIONS',
        path: '/resource',
        headers: {
          origin: ALLOWED,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': commas(100_000),
        },
      },
    ],
    ['GET, 400 Origin lines', { method: 'GET', path: '/resource', headers: originLines(400) }],
    [
      'GET, 10,000 Origin lines (431)',
      { method: 'GET', path: '/resource', headers: originLines(10_000) },
    ],
  ];
  console.log('\nExpress + @cors/node over loopback, one connection per request');
  console.log('| request | status | ms per request |');
  console.log('|---|---:|---:|');
  for (const [label, request] of cases) {
    const n = 200;
    let status = 0;
    const start = performance.now();
    for (let i = 0; i < n; i++) status = (await rawRequest(server.url, request)).status;
    console.log(`| ${label} | ${status} | ${((performance.now() - start) / n).toFixed(3)} |`);
  }
  await server.close();
}

http().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
