// ns per `evaluate` call for actual and preflight requests, allowed and refused, with exact lists of
// 10, 1,000 and 100,000 origins, patterns and a RegExp; then the 100,000/10 ratio (target <= 1.2).
// Run: pnpm --filter @cors/core bench   (BENCH_QUICK=1 for a short smoke run)
import { do_not_optimize, measure } from 'mitata';
import type { CorsOptions, CorsRequest } from '../src/options.js';
import { createCorsPolicy } from '../src/policy.js';

const quick = process.env.BENCH_QUICK === '1';
const tune = quick ? { min_cpu_time: 20e6, max_samples: 200 } : { min_cpu_time: 400e6 };

const exactList = (n: number) =>
  Array.from({ length: n }, (_, i) => `https://app-${i}.example.com`);
// Requests rotate over 8 different allowed origins spread across the list, so no single entry is hot.
const allowedOf = (n: number) =>
  Array.from({ length: 8 }, (_, i) => `https://app-${Math.floor((i * n) / 8)}.example.com`);

const kinds = {
  'actual allowed': (o: string): CorsRequest => ({ method: 'GET', origin: o }),
  'actual refused': (_o: string): CorsRequest => ({
    method: 'GET',
    origin: 'https://evil.example.net',
  }),
  'preflight allowed': (o: string): CorsRequest => ({
    method: 'OPTIONS',
    origin: o,
    requestMethod: 'PUT',
    requestHeaders: 'content-type,x-request-id',
  }),
  'preflight refused': (_o: string): CorsRequest => ({
    method: 'OPTIONS',
    origin: 'https://evil.example.net',
    requestMethod: 'PUT',
  }),
};

const configurations: [string, CorsOptions, string[]][] = [
  ['exact 10', { origin: exactList(10) }, allowedOf(10)],
  ['exact 1,000', { origin: exactList(1_000) }, allowedOf(1_000)],
  ['exact 100,000', { origin: exactList(100_000) }, allowedOf(100_000)],
  [
    'pattern *.example.com',
    { origin: ['https://*.example.com', 'http://localhost:*'] },
    ['https://a.b.example.com', 'https://x.example.com'],
  ],
  ['RegExp', { origin: [/^https:\/\/app-\d+\.example\.com$/] }, allowedOf(1_000)],
  ["'*'", { origin: '*' }, allowedOf(10)],
];

// Rounds alternate the order of the configurations and each figure is the median over rounds, so
// JIT warm-up and machine noise do not favour whichever runs first. The 100,000/10 ratio is taken
// within each round (the two measured minutes apart at most, not a whole run apart), then its
// median over rounds: a 20 ns figure moves by a few ns with the machine.
const rounds = quick ? 1 : 5;
const samples = new Map<string, number[]>();
const policies = configurations.map(([name, options, allowed]) => ({
  name,
  policy: createCorsPolicy(options),
  allowed,
}));
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? policies : [...policies].reverse();
  for (const { name, policy, allowed } of order) {
    for (const [kind, make] of Object.entries(kinds)) {
      const requests = allowed.map(make);
      let i = 0;
      const stats = await measure(() => {
        do_not_optimize(policy.evaluate(requests[i++ % requests.length]!));
      }, tune);
      const key = `${name}|${kind}`;
      samples.set(key, [...(samples.get(key) ?? []), stats.p50]);
    }
  }
}
const median = (values: number[]) =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
const results = new Map([...samples].map(([key, values]) => [key, median(values)]));
const rows = configurations.map(([name]) => [
  name,
  ...Object.keys(kinds).map((kind) => results.get(`${name}|${kind}`)!.toFixed(1)),
]);

const header = ['configuration', ...Object.keys(kinds).map((k) => `${k} (ns)`)];
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
const line = (cells: string[]) =>
  cells
    .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
    .join('  ');
console.log(`@cors/core evaluate, median ns/op, ${process.version}${quick ? ' (quick run)' : ''}`);
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log('\nratio exact 100,000 / exact 10 (target <= 1.2):');
for (const kind of Object.keys(kinds)) {
  const large = samples.get(`exact 100,000|${kind}`)!;
  const small = samples.get(`exact 10|${kind}`)!;
  const ratios = large.map((value, round) => value / small[round]!);
  const spread = `rounds ${ratios.map((r) => r.toFixed(2)).join(' ')}`;
  console.log(`  ${kind.padEnd(18)} ${median(ratios).toFixed(2)}   (${spread})`);
}
