// The HTTP benchmark's servers, driven in process: each framework's own request listener is
// called with Node's own IncomingMessage and ServerResponse over a socket that discards what is
// written, so no kernel, no loopback and no load generator share the two CPUs with the server. It
// runs the same application code as the HTTP benchmark (bare, peer, ours; same route, same
// configuration) with a fraction of its noise: the figure to judge differences of a few percent by.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { IncomingMessage, type RequestListener, type Server, ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { measure } from 'mitata';
import { type Scenario, scenarios } from './config.js';
import type { Framework as Name } from './http.js';
import { frameworks, type Variant } from './server.js';

const quick = process.env.BENCH_QUICK === '1';
const tune = quick ? { min_cpu_time: 20e6, max_samples: 200 } : { min_cpu_time: 300e6 };

export type InProcessSamples = Map<string, number[]>; // `${variant}|${scenario}` -> ns per request

/** A connection that accepts every write; `written` keeps them when asked to (for the checks). */
class NullSocket extends Duplex {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 40000;
  readonly encrypted = false;
  constructor(readonly written?: Buffer[]) {
    super();
  }
  override _read(): void {}
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.written?.push(Buffer.from(chunk));
    done();
  }
}

/** One request through `dispatch`, as Node's HTTP server would hand it over; resolves when answered. */
async function send(dispatch: RequestListener, scenario: Scenario, written?: Buffer[]) {
  const { method, headers } = scenarios[scenario];
  const socket = new NullSocket(written);
  const req = new IncomingMessage(socket as never);
  req.method = method;
  req.url = '/resource';
  req.httpVersion = '1.1';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.headers = { host: '127.0.0.1', ...headers };
  req.rawHeaders = Object.entries(req.headers).flat() as string[];
  req.push(null);
  req.complete = true;
  const res = new ServerResponse(req);
  res.assignSocket(socket as never);
  const finished = once(res, 'finish');
  dispatch(req, res);
  await finished;
}

/** Fails loudly when a server does not give the CORS answer the scenario expects. */
async function check(dispatch: RequestListener, name: string, scenario: Scenario, bare: boolean) {
  const written: Buffer[] = [];
  await send(dispatch, scenario, written);
  const head = Buffer.concat(written).toString('latin1').split('\r\n\r\n')[0]!.split('\r\n');
  const status = Number(head[0]!.split(' ')[1]);
  const allowOrigin =
    head
      .find((line) => line.toLowerCase().startsWith('access-control-allow-origin:'))
      ?.slice('access-control-allow-origin:'.length)
      .trim() ?? null;
  const expected = scenarios[scenario];
  if (
    (!bare && status !== expected.status) ||
    allowOrigin !== (bare ? null : expected.allowOrigin)
  ) {
    throw new Error(
      `in process, ${name} ${scenario}: status ${status}, allow-origin ${allowOrigin}`,
    );
  }
}
/**
 * One framework in a fresh process (`inproc.ts <framework> <rounds> <plan>`), as the HTTP servers
 * are: sharing a process with the other frameworks and the micro-benchmarks would let V8's
 * optimisation history of the shared code (core's `evaluate`, @cors/node's writer) from one stage
 * slow down the next, which no real server goes through.
 */
export async function measureInProcessIsolated(
  framework: Name,
  plan: Record<Variant, Scenario[]>,
  rounds: number,
): Promise<InProcessSamples> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      framework,
      String(rounds),
      JSON.stringify(plan),
    ],
    { maxBuffer: 16 * 1024 * 1024, env: process.env },
  );
  return new Map(JSON.parse(stdout.trim().split('\n').at(-1)!) as [string, number[]][]);
}

/**
 * One framework: bare, peer and ours built in this process; for each request each is measured
 * `rounds` times, the order of the variants rotated every round. Figures: mitata's p50, in ns.
 */
export async function measureInProcess(
  framework: Name,
  plan: Record<Variant, Scenario[]>,
  rounds: number,
): Promise<InProcessSamples> {
  const variants = Object.keys(plan) as Variant[];
  const servers: Server[] = [];
  const samples: InProcessSamples = new Map();
  try {
    const dispatchers = new Map<Variant, RequestListener>();
    for (const variant of variants) {
      const server = await frameworks[framework](variant);
      servers.push(server);
      dispatchers.set(variant, server.listeners('request')[0] as RequestListener);
    }
    for (const scenario of Object.keys(scenarios) as Scenario[]) {
      const here = variants.filter((v) => plan[v].includes(scenario));
      for (const v of here)
        await check(dispatchers.get(v)!, `${framework} ${v}`, scenario, v === 'bare');
      for (let round = 0; round < rounds; round++) {
        const order = here.map((_, i) => here[(i + round) % here.length]!);
        for (const variant of order) {
          const dispatch = dispatchers.get(variant)!;
          const stats = await measure(async () => {
            await send(dispatch, scenario);
          }, tune);
          const key = `${variant}|${scenario}`;
          samples.set(key, [...(samples.get(key) ?? []), stats.p50]);
        }
      }
    }
  } finally {
    for (const server of servers) if (server.listening) server.close();
  }
  return samples;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [framework, rounds, plan] = process.argv.slice(2) as [Name, string, string];
  const samples = await measureInProcess(framework, JSON.parse(plan), Number(rounds));
  console.log(JSON.stringify([...samples]));
  process.exit(0); // the Nest applications keep handles open
}
