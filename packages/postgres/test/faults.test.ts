// Faults against the real server: the database stopped and restarted under load, the LISTEN
// connection dropped, and a flood of 100,000 distinct random origins.
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createCorsPolicy } from '@cors/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { installSchema, type PostgresOrigins, postgresOrigins } from '../src/index.js';
import { startPostgres, type ThrowawayPostgres } from '../src/testing.js';
import { serve, type TestServer } from './http.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const A = 'https://a.example';
let db: ThrowawayPostgres;
const open: { close(): Promise<void> }[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(db.connectionString);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A log that keeps its lines, to assert on what an operator would read. */
function recordingLog() {
  const lines: string[] = [];
  const log = (_level: string, message: string) => {
    lines.push(message);
  };
  return { lines, log };
}

/** GETs `url` from `origin`: the status and the Access-Control-Allow-Origin. */
async function get(url: string, origin: string) {
  const started = Date.now();
  const res = await fetch(url, { headers: { origin } });
  await res.arrayBuffer();
  return {
    status: res.status,
    allowed: res.headers.get('access-control-allow-origin') === origin,
    ms: Date.now() - started,
  };
}

beforeAll(async () => {
  db = await startPostgres();
  await installSchema(db.connectionString);
  await withAdmin((c) => c.query('insert into cors_origins values ($1)', [A]));
}, 60_000);
afterAll(async () => {
  for (const o of open) await o.close();
  db?.destroy();
});

describe('the database stopped and restarted under load', () => {
  it('holds each fail mode, never fails a request, and recovers without a restart', async () => {
    const stale = recordingLog();
    const common = {
      connection: db.connectionString,
      ttl: 300,
      negativeTtl: 300,
      loadTimeout: 500,
      retryAfter: 100,
      reconnect: { min: 50, max: 400 },
    };
    const lists: Record<'stale' | 'refuse', PostgresOrigins> = {
      stale: postgresOrigins({ ...common, failMode: 'stale', maxStale: 60_000, log: stale.log }),
      refuse: postgresOrigins({ ...common, failMode: 'refuse', log: () => {} }),
    };
    const servers: Record<string, TestServer> = {};
    for (const [mode, list] of Object.entries(lists)) {
      open.push(list);
      servers[mode] = await serve({ origin: list.origin });
      open.push(servers[mode]!);
      await list.ready;
      expect((await get(servers[mode]!.url, A)).allowed).toBe(true);
    }

    // Load: 8 clients per server, each sending the known origin and a new one in turn.
    const results: {
      mode: string;
      phase: string;
      known: boolean;
      status: number;
      allowed: boolean;
      ms: number;
    }[] = [];
    let phase = 'up';
    let running = true;
    let n = 0;
    const client = async (mode: string) => {
      while (running) {
        const known = n++ % 2 === 0;
        const origin = known ? A : `https://new${n}.example`;
        const r = await get(servers[mode]!.url, origin);
        results.push({ mode, phase, known, ...r });
      }
    };
    const clients = ['stale', 'refuse'].flatMap((mode) =>
      Array.from({ length: 8 }, () => client(mode)),
    );
    await sleep(500);
    db.stop('fast');
    phase = 'down';
    await sleep(1500);
    db.start();
    phase = 'restarted';
    await sleep(300);
    const C = 'https://c.example';
    await withAdmin((c) => c.query('insert into cors_origins values ($1)', [C]));
    await vi.waitFor(
      async () => {
        expect((await get(servers.stale!.url, C)).allowed).toBe(true);
        expect((await get(servers.refuse!.url, C)).allowed).toBe(true);
      },
      { timeout: 5000, interval: 50 },
    );
    running = false;
    await Promise.all(clients);

    const down = (mode: string) => results.filter((r) => r.mode === mode && r.phase === 'down');
    expect(results.every((r) => r.status === 200)).toBe(true); // never a 500, the process up
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(1500); // never hanging
    expect(down('stale').length).toBeGreaterThan(20);
    expect(down('refuse').length).toBeGreaterThan(20);
    // 'stale': the known origin stays allowed through the outage; new ones are refused.
    expect(
      down('stale')
        .filter((r) => r.known)
        .every((r) => r.allowed),
    ).toBe(true);
    expect(
      down('stale')
        .filter((r) => !r.known)
        .every((r) => !r.allowed),
    ).toBe(true);
    // 'refuse': once its entry expired and a load failed, the known origin is refused too.
    expect(down('refuse').some((r) => r.known && !r.allowed)).toBe(true);
    expect(
      down('refuse')
        .filter((r) => !r.known)
        .every((r) => !r.allowed),
    ).toBe(true);
    expect(lists.stale.origin.stats().errors).toBeGreaterThan(0);
    // The listener noticed, logged, and came back by itself.
    await vi.waitFor(() => expect(lists.stale.listening()).toBe(true), { timeout: 5000 });
    expect(lists.stale.reconnects()).toBeGreaterThanOrEqual(1);
    expect(stale.lines.some((l) => l.includes('LISTEN connection lost; reconnecting in'))).toBe(
      true,
    );
    expect(stale.lines).toContain('@cors/postgres: LISTEN cors_origins re-established');
    // And invalidation works again after the restart.
    await withAdmin((c) => c.query('delete from cors_origins where origin = $1', [C]));
    await vi.waitFor(async () => expect((await get(servers.stale!.url, C)).allowed).toBe(false), {
      timeout: 1000,
      interval: 20,
    });
  }, 60_000);
});

describe('the LISTEN connection dropped', () => {
  it('logs the loss and the reconnect, and recovers a missed invalidation by the ttl', async () => {
    const { lines, log } = recordingLog();
    const ttl = 1500;
    const B = 'https://b.example';
    await withAdmin((c) => c.query('insert into cors_origins values ($1)', [B]));
    const list = postgresOrigins({
      connection: db.connectionString,
      ttl,
      negativeTtl: ttl,
      maxStale: 10_000,
      reconnect: { min: 3000, max: 3000 }, // a long gap, so the deletion below is missed
      log,
    });
    open.push(list);
    await list.ready;
    const decide = () => list.origin(B, { method: 'GET', origin: B });
    expect(await decide()).toBe(true);
    const loadedAt = Date.now();
    await withAdmin((c) =>
      c.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen %' and pid <> pg_backend_pid()",
      ),
    );
    await vi.waitFor(() => expect(list.listening()).toBe(false));
    expect(lines.some((l) => l.includes('LISTEN connection lost; reconnecting in'))).toBe(true);
    await withAdmin((c) => c.query('delete from cors_origins where origin = $1', [B]));
    await sleep(200);
    expect(decide()).toBe(true); // the notification was missed: still allowed, until the ttl
    await vi.waitFor(async () => expect(await decide()).toBe(false), {
      timeout: ttl + 1000,
      interval: 50,
    });
    expect(Date.now() - loadedAt).toBeLessThan(ttl + 1000);
    expect(Date.now() - loadedAt).toBeGreaterThanOrEqual(ttl);
    await vi.waitFor(() => expect(list.listening()).toBe(true), { timeout: 6000 });
    expect(lines).toContain('@cors/postgres: LISTEN cors_origins re-established');
    // Invalidation by notification works again.
    await withAdmin((c) => c.query('insert into cors_origins values ($1)', [B]));
    await vi.waitFor(async () => expect(await decide()).toBe(true), {
      timeout: 1000,
      interval: 20,
    });
  }, 30_000);
});

describe('a flood of 100,000 distinct random origins', () => {
  it('keeps queries within the in-flight cap and memory flat', async () => {
    const maxLoading = 8;
    const pool = new pg.Pool({ connectionString: db.connectionString, max: maxLoading });
    open.push({ close: () => pool.end() });
    let inFlight = 0;
    let peak = 0;
    let queries = 0;
    const query = pool.query.bind(pool) as (
      sql: string,
      values: unknown[],
    ) => Promise<pg.QueryResult>;
    (pool as unknown as { query: typeof query }).query = async (sql, values) => {
      inFlight++;
      queries++;
      peak = Math.max(peak, inFlight);
      try {
        return await query(sql, values);
      } finally {
        inFlight--;
      }
    };
    const list = postgresOrigins({ connection: pool, maxLoading, max: 2000, log: () => {} });
    open.push(list);
    const policy = createCorsPolicy({ origin: list.origin });
    expect((await policy.evaluate({ method: 'GET', origin: A })).allowed).toBe(true);

    const heap: number[] = [];
    const measure = () => {
      gc();
      heap.push(process.memoryUsage().heapUsed);
    };
    measure();
    let granted = 0;
    for (let wave = 0; wave < 20; wave++) {
      // 5,000 requests arrive at once, each from a new random origin.
      const decisions = Array.from({ length: 5000 }, () => {
        const origin = `https://${randomBytes(8).toString('hex')}.example`;
        return policy.evaluate({ method: 'GET', origin });
      });
      for (const d of await Promise.all(decisions)) if (d.allowed) granted++;
      if (wave % 5 === 4) measure();
    }
    const stats = list.origin.stats();
    expect(granted).toBe(0);
    expect(peak).toBeLessThanOrEqual(maxLoading);
    expect(stats.refused + stats.loads).toBe(100_001);
    expect(stats.refused).toBeGreaterThan(90_000);
    expect(queries).toBe(stats.loads);
    expect(stats.entries).toBeLessThanOrEqual(2000);
    // Flat: after the first quarter, the heap does not grow with the number of origins seen.
    const growth = heap.at(-1)! - heap[1]!;
    console.log(
      `flood: ${queries} queries (peak ${peak} in flight), ${stats.refused} refused at once, ` +
        `heap MB ${heap.map((h) => (h / 2 ** 20).toFixed(1)).join(' -> ')}`,
    );
    expect(growth).toBeLessThan(4 * 2 ** 20);
    // The allowed origin survived the flood in memory: no query for it.
    const before = queries;
    expect((await policy.evaluate({ method: 'GET', origin: A })).allowed).toBe(true);
    expect(queries).toBe(before);
  }, 120_000);
});
