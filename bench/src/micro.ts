// In-process: the `cors` package's middleware against @cors/node's, both called as Express calls
// them, with the same minimal req/res objects (a plain headers object, setHeader/getHeader/end).
// `cors` does not export its origin matching, so the whole middleware is what is comparable: both
// read the request, match the origin and write the same headers. Exact lists of 10, 1,000 and
// 100,000 origins and a RegExp; core's own `evaluate` figures are printed by packages/core/bench.
import { IncomingMessage, ServerResponse } from 'node:http';
import { cors as ours } from '@cors/node';
import peer from 'cors';
import { do_not_optimize, measure } from 'mitata';
import { ALLOWED_HEADERS, ALLOWED_ORIGIN, MAX_AGE, METHODS, options } from './config.js';

const quick = process.env.BENCH_QUICK === '1';
const tune = quick ? { min_cpu_time: 10e6, max_samples: 100 } : { min_cpu_time: 300e6 };

const exactList = (n: number) =>
  Array.from({ length: n }, (_, i) => `https://app-${i}.example.com`);
// Eight allowed origins spread over the list, so no single entry is hot (as in core's bench).
const spread = (n: number) =>
  Array.from({ length: 8 }, (_, i) => `https://app-${Math.floor((i * n) / 8)}.example.com`);

const configurations: [string, string[] | RegExp, string[]][] = [
  ['exact 10', exactList(10), spread(10)],
  ['exact 1,000', exactList(1_000), spread(1_000)],
  ['exact 100,000', exactList(100_000), spread(100_000)],
  ['RegExp', /^https:\/\/app-\d+\.example\.com$/, spread(1_000)],
];

const kinds: Record<string, (origin: string) => Record<string, string>> = {
  'GET allowed': (origin) => ({ origin }),
  'GET refused': () => ({ origin: 'https://evil.example.net' }),
  'preflight allowed': (origin) => ({
    origin,
    'access-control-request-method': 'PUT',
    'access-control-request-headers': 'content-type',
  }),
};

type Middleware = (req: never, res: never, next: () => void) => void;

function mockResponse() {
  const headers: Record<string, number | string | string[]> = {};
  return {
    statusCode: 200,
    headers,
    setHeader(name: string, value: number | string | string[]) {
      headers[name.toLowerCase()] = value;
      return this;
    },
    getHeader: (name: string) => headers[name.toLowerCase()],
    end() {},
  };
}

function time(middleware: Middleware, method: string, requests: Record<string, string>[]) {
  let i = 0;
  const next = () => {};
  return measure(() => {
    const req = { method, url: '/resource', headers: requests[i++ % requests.length]! };
    const res = mockResponse();
    middleware(req as never, res as never, next);
    do_not_optimize(res);
  }, tune);
}

export interface MicroRow {
  configuration: string;
  kind: string;
  peer: number; // ns per call, median over rounds
  ours: number;
  oursByRound: number[]; // ns per call, each round
}

export async function runMicro(): Promise<MicroRow[]> {
  const rounds = quick ? 1 : 5;
  const samples = new Map<string, { peer: number[]; ours: number[] }>();
  for (let round = 0; round < rounds; round++) {
    for (const [name, origin, allowed] of configurations) {
      const config = { origin, methods: METHODS, allowedHeaders: ALLOWED_HEADERS, maxAge: MAX_AGE };
      const both = { peer: peer(config), ours: ours(config) };
      // Alternate which goes first in each round.
      const order = round % 2 === 0 ? (['peer', 'ours'] as const) : (['ours', 'peer'] as const);
      for (const [kind, make] of Object.entries(kinds)) {
        const method = kind.startsWith('preflight') ? 'OPTIONS' : 'GET';
        const entry = samples.get(`${name}|${kind}`) ?? { peer: [], ours: [] };
        for (const who of order) {
          entry[who].push((await time(both[who] as Middleware, method, allowed.map(make))).p50);
        }
        samples.set(`${name}|${kind}`, entry);
      }
    }
  }
  return [...samples].map(([key, { peer, ours }]) => {
    const [configuration, kind] = key.split('|') as [string, string];
    return { configuration, kind, peer: median(peer), ours: median(ours), oursByRound: ours };
  });
}

export const median = (values: number[]) =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

export interface ResponsePathRow {
  variant: string;
  ns: number; // per request, median over rounds
}

/**
 * The part of an allowed GET on node:http that CORS can cost, in process, on Node's real
 * `ServerResponse` (no socket: the response is built up to `writeHead`, which serialises the
 * header block): the bare answer; the same answer after setting the two CORS headers by hand (the
 * floor any middleware pays: `setHeader` validates, and `writeHead` then merges instead of taking
 * its fast path); @cors/node's middleware; `cors`'. Small differences that HTTP noise hides show
 * here.
 */
export async function runResponsePath(): Promise<ResponsePathRow[]> {
  const req = new IncomingMessage(null as never);
  req.method = 'GET';
  req.url = '/resource';
  req.headers = { host: '127.0.0.1', origin: ALLOWED_ORIGIN };
  const answer = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/plain' });
  const oursMiddleware = ours(options);
  const peerMiddleware = peer(options);
  const variants: [string, (res: ServerResponse) => void][] = [
    ['bare', answer],
    [
      'two headers set by hand (floor)',
      (res) => {
        res.setHeader('access-control-allow-origin', ALLOWED_ORIGIN);
        res.setHeader('vary', 'Origin');
        answer(res);
      },
    ],
    ['@cors/node', (res) => oursMiddleware(req, res, () => answer(res))],
    ['cors', (res) => peerMiddleware(req, res, () => answer(res))],
  ];
  const rounds = quick ? 1 : 5;
  const samples = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    // Rotate the order every round: whoever runs first gets a colder machine.
    const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
    for (const [name, respond] of order) {
      const result = await measure(() => {
        const res = new ServerResponse(req);
        respond(res);
        do_not_optimize(res);
      }, tune);
      samples.get(name)!.push(result.p50);
    }
  }
  return variants.map(([variant]) => ({ variant, ns: median(samples.get(variant)!) }));
}
