// Memory soak: one Express server with @cors/node, hammered on loopback with keep-alive
// connections and bounded concurrency, by a mix of allowed and refused requests, preflights, and
// origin-function faults (throws, rejects, never settles past `timeout`). The heap is measured after
// a full GC at checkpoints; it must stay flat.
//
// node --expose-gc --import tsx apps/example/test/security/soak.ts [requests] [concurrency]
// (with TSX_TSCONFIG_PATH=apps/example/test/security/tsconfig.json; soak.test.ts runs it so.)
import { Agent, request } from 'node:http';
import type { CorsOptions } from '@cors/core';
import { startExpress } from '../../../../packages/node/test/server.js';
import { ALLOWED } from './attacks.js';

process.env.NODE_ENV ??= 'test'; // Express logs every 500's stack outside 'test'

const options: CorsOptions = {
  origin: (origin) => {
    if (origin === 'https://throws.example') throw new Error('origin lookup failed');
    if (origin === 'https://rejects.example') return Promise.reject(new Error('lookup failed'));
    if (origin === 'https://hangs.example') return new Promise<boolean>(() => {});
    return origin === ALLOWED || origin.endsWith('.trusted.example');
  },
  timeout: 10,
  credentials: true,
  exposedHeaders: ['x-request-id'],
};

interface Kind {
  method: string;
  origin?: string;
  requestMethod?: string;
  requestHeaders?: string;
  status: number;
}

/** The mix, one of each per ten requests; each origin is new to the server where it can be. */
const kinds = (i: number): Kind[] => [
  { method: 'GET', origin: ALLOWED, status: 200 },
  { method: 'GET', origin: `https://u${i}.trusted.example`, status: 200 },
  { method: 'GET', origin: `https://evil${i}.example`, status: 200 },
  { method: 'GET', status: 200 },
  {
    method: 'OPTIONS',
    origin: ALLOWED,
    requestMethod: 'PUT',
    requestHeaders: `x-h${i % 97}`,
    status: 204,
  },
  { method: 'OPTIONS', origin: `https://evil${i}.example`, requestMethod: 'PUT', status: 403 },
  { method: 'OPTIONS', origin: ALLOWED, requestMethod: 'CONNECT', status: 204 },
  { method: 'GET', origin: 'https://throws.example', status: 500 },
  { method: 'GET', origin: 'https://rejects.example', status: 500 },
  { method: 'OPTIONS', origin: 'https://hangs.example', requestMethod: 'PUT', status: 500 },
];

export interface SoakFigures {
  requests: number;
  concurrency: number;
  seconds: number;
  requestsPerSecond: number;
  unexpected: number;
  /** heapUsed after a full GC, in MB, at each checkpoint (after warm-up, then every tenth). */
  heapMB: number[];
  /** Last checkpoint minus the first, in MB. */
  growthMB: number;
}

function send(agent: Agent, url: URL, kind: Kind): Promise<number> {
  const headers: Record<string, string> = {};
  if (kind.origin) headers.origin = kind.origin;
  if (kind.requestMethod) headers['access-control-request-method'] = kind.requestMethod;
  if (kind.requestHeaders) headers['access-control-request-headers'] = kind.requestHeaders;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: kind.method,
        path: '/resource',
        headers,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export async function soak(total: number, concurrency: number): Promise<SoakFigures> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('soak: run node with --expose-gc');
  const heap = () => {
    gc();
    gc();
    return Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 100) / 100;
  };
  const server = await startExpress(options);
  const url = new URL(server.url);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const warmUp = Math.floor(total / 10);
  const checkpoint = Math.max(1, Math.floor((total - warmUp) / 10));
  const heapMB: number[] = [];
  let next = 0;
  let done = 0;
  let unexpected = 0;
  let pausing: Promise<void> | undefined;
  const started = Date.now();

  const worker = async () => {
    for (;;) {
      // Every worker waits while a checkpoint measures, so the heap is read at rest.
      while (pausing) await pausing;
      const i = next++;
      if (i >= total) return;
      const kind = kinds(i)[i % 10]!;
      const status = await send(agent, url, kind);
      if (status !== kind.status) unexpected++;
      done++;
      if (done >= warmUp && (done - warmUp) % checkpoint === 0 && !pausing) {
        let release!: () => void;
        pausing = new Promise((r) => {
          release = r;
        });
        while (done < Math.min(next, total)) await new Promise((r) => setTimeout(r, 1));
        await new Promise((r) => setTimeout(r, 20)); // let every `timeout` timer of the batch fire
        heapMB.push(heap());
        pausing = undefined;
        release();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (Date.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 20));
  heapMB.push(heap());
  agent.destroy();
  await server.close();
  return {
    requests: done,
    concurrency,
    seconds,
    requestsPerSecond: Math.round(done / seconds),
    unexpected,
    heapMB,
    growthMB: Math.round((heapMB.at(-1)! - heapMB[0]!) * 100) / 100,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const total = Number(process.argv[2] ?? 200_000);
  const concurrency = Number(process.argv[3] ?? 16);
  soak(total, concurrency).then(
    (figures) => console.log(JSON.stringify(figures)),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
