// HTTP benchmark over loopback: autocannon here, each server in its own child process, so the
// server's CPU time (process.cpuUsage() deltas, user + system) divided by the requests answered
// gives µs of CPU per request: the primary figure. Requests per second are secondary (the load
// generator shares the machine). With 2 CPUs or more (and `taskset`), the load generator runs on
// CPU 0 and the servers on CPU 1, so that neither takes the other's CPU.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { type FRAMEWORKS, type Scenario, scenarios } from './config.js';

export type Variant = 'bare' | 'peer' | 'ours';
export type Framework = (typeof FRAMEWORKS)[number];
export interface Sample {
  cpuPerRequest: number; // µs
  requestsPerSecond: number;
}

const quick = process.env.BENCH_QUICK === '1';
// Quick: 0.3 s and no warm-up, a smoke run. Full: a 1 s warm-up per server and request, then 2 s
// per measure. (autocannon stops on its sampling tick: a short one lets 0.3 s end in 0.3 s.)
const warmUp = quick ? undefined : { duration: 1 };
const measured = quick ? { duration: 0.3, sampleInt: 100 } : { duration: 2 };
const CONNECTIONS = 10;
const profile = process.env.BENCH_PROF;

function canPin(): boolean {
  if (process.platform !== 'linux' || availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const pinned = canPin();
export const placement = pinned
  ? 'load generator pinned to CPU 0, servers to CPU 1 (taskset)'
  : 'not pinned (no taskset or a single CPU)';

async function startServer(framework: Framework, variant: Variant) {
  const node = [
    process.execPath,
    '--import',
    'tsx',
    // BENCH_PROF=dir: a --cpu-prof profile of each server, written to dir when it exits.
    ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []),
    fileURLToPath(new URL('./server.ts', import.meta.url)),
    framework,
    variant,
  ];
  const [command, ...args] = pinned ? ['taskset', '-c', '1', ...node] : node;
  const child = spawn(command!, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = (await once(child, 'message')) as [{ port: number }];
  return { child, url: `http://127.0.0.1:${message.port}` };
}

async function cpuOf(child: ChildProcess): Promise<number> {
  child.send('cpu');
  const [message] = (await once(child, 'message')) as [{ cpu: NodeJS.CpuUsage }];
  return message.cpu.user + message.cpu.system;
}

/** Fails loudly when a server does not give the CORS answer the scenario expects. */
async function check(url: string, name: string, scenario: Scenario, variant: Variant) {
  const { method, headers, status, allowOrigin } = scenarios[scenario];
  const response = await fetch(`${url}/resource`, { method, headers });
  await response.arrayBuffer();
  const got = response.headers.get('access-control-allow-origin');
  const expected = variant === 'bare' ? null : allowOrigin;
  const okStatus = variant === 'bare' || response.status === status;
  if (!okStatus || got !== expected) {
    throw new Error(`${name} ${scenario}: status ${response.status}, allow-origin ${got}`);
  }
}

function load(url: string, scenario: Scenario, bounds: { duration: number; sampleInt?: number }) {
  const { method, headers } = scenarios[scenario];
  const url_ = `${url}/resource`;
  return autocannon({ url: url_, method, headers, connections: CONNECTIONS, ...bounds });
}

async function sample(child: ChildProcess, url: string, name: string, scenario: Scenario) {
  const before = await cpuOf(child);
  const result = await load(url, scenario, measured);
  const cpu = (await cpuOf(child)) - before;
  const answered = result['2xx'];
  if (answered === 0 || result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${name} ${scenario}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return { cpuPerRequest: cpu / answered, requestsPerSecond: answered / result.duration };
}

/**
 * One framework: its bare, peer and ours servers run side by side (idle but the one under load);
 * for each request, each is warmed up, then measured `rounds` times, the order of the three
 * reversed every other round, so that drift of the machine spreads over all three.
 */
export async function measureFramework(
  framework: Framework,
  plan: Record<Variant, Scenario[]>,
  rounds: number,
): Promise<Map<string, Sample[]>> {
  const variants = Object.keys(plan) as Variant[];
  const servers = await Promise.all(variants.map((v) => startServer(framework, v)));
  const samples = new Map<string, Sample[]>();
  try {
    for (const scenario of Object.keys(scenarios) as Scenario[]) {
      const here = variants.flatMap((v, i) =>
        plan[v].includes(scenario) ? [[v, servers[i]!] as const] : [],
      );
      for (const [variant, { url }] of here) {
        await check(url, `${framework} ${variant}`, scenario, variant);
        if (warmUp) await load(url, scenario, warmUp);
      }
      for (let round = 0; round < rounds; round++) {
        for (const [variant, { child, url }] of round % 2 === 0 ? here : [...here].reverse()) {
          const key = `${variant}|${scenario}`;
          const result = await sample(child, url, `${framework} ${variant}`, scenario);
          samples.set(key, [...(samples.get(key) ?? []), result]);
        }
      }
    }
  } finally {
    for (const { child } of servers) child.send('exit'); // clean: --cpu-prof writes its profile
    await Promise.all(servers.map(({ child }) => once(child, 'exit')));
  }
  return samples;
}
