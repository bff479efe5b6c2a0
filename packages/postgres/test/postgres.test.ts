// @cors/postgres against a real PostgreSQL server (a throwaway cluster started here).
import { CorsConfigError } from '@cors/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { installSchema, type PostgresOrigins, postgresOrigins, schemaSql } from '../src/index.js';
import { startPostgres, type ThrowawayPostgres } from '../src/testing.js';

const A = 'https://a.example';
const B = 'https://b.example';
let db: ThrowawayPostgres;
let admin: pg.Client;
const open: PostgresOrigins[] = [];
const quiet = () => {};

function allowlist(options: Partial<Parameters<typeof postgresOrigins>[0]> = {}) {
  const list = postgresOrigins({ connection: db.connectionString, log: quiet, ...options });
  open.push(list);
  return list;
}
const decide = (list: PostgresOrigins, origin: string) =>
  list.origin(origin, { method: 'GET', origin });

beforeAll(async () => {
  db = await startPostgres();
  admin = new pg.Client(db.connectionString);
  await admin.connect();
  await installSchema(admin);
}, 60_000);
afterAll(async () => {
  await Promise.all(open.map((list) => list.close()));
  await admin?.end();
  db?.destroy();
});

describe('loading from the table', () => {
  it('allows an origin that has a row, refuses one that has none', async () => {
    await admin.query('insert into cors_origins values ($1) on conflict do nothing', [A]);
    const list = allowlist();
    expect(await decide(list, A)).toBe(true);
    expect(await decide(list, B)).toBe(false);
    expect(decide(list, A)).toBe(true); // from memory, synchronously
  });

  it('runs a configured, parameterised query (a join on tenants)', async () => {
    await admin.query(`create table tenants (id int primary key, active boolean);
      create table tenant_origins (tenant_id int references tenants, origin text primary key);
      insert into tenants values (1, true), (2, false);
      insert into tenant_origins values (1, 'https://one.example'), (2, 'https://two.example');`);
    const list = allowlist({
      query:
        'select 1 from tenant_origins o join tenants t on t.id = o.tenant_id where o.origin = $1 and t.active',
    });
    expect(await decide(list, 'https://one.example')).toBe(true);
    expect(await decide(list, 'https://two.example')).toBe(false);
  });

  it('never puts the origin into the SQL text', async () => {
    const list = allowlist();
    // A serialised origin cannot hold a quote, but the query is parameterised anyway.
    expect(await list.origin.call(null, "https://x.example'--", { method: 'GET' })).toBe(false);
    const count = await admin.query('select count(*)::int as n from cors_origins');
    expect(count.rows[0].n).toBeGreaterThan(0);
  });
});

describe('LISTEN/NOTIFY invalidation', () => {
  it('an inserted origin is allowed, a deleted one refused, by two instances within a second', async () => {
    const one = allowlist({ ttl: 600_000, negativeTtl: 600_000 });
    const two = allowlist({ ttl: 600_000, negativeTtl: 600_000 });
    await Promise.all([one.ready, two.ready]);
    const C = 'https://c.example';
    expect(await decide(one, C)).toBe(false);
    expect(await decide(two, C)).toBe(false);
    const added = Date.now();
    await admin.query('insert into cors_origins values ($1)', [C]);
    await vi.waitFor(
      async () => {
        expect(await decide(one, C)).toBe(true);
        expect(await decide(two, C)).toBe(true);
      },
      { timeout: 1000, interval: 20 },
    );
    expect(Date.now() - added).toBeLessThan(1000);
    await admin.query('delete from cors_origins where origin = $1', [C]);
    await vi.waitFor(
      async () => {
        expect(await decide(one, C)).toBe(false);
        expect(await decide(two, C)).toBe(false);
      },
      { timeout: 1000, interval: 20 },
    );
  });

  it('an update invalidates both the old and the new origin; truncate invalidates all', async () => {
    const list = allowlist({ ttl: 600_000, negativeTtl: 600_000 });
    await list.ready;
    const D = 'https://d.example';
    const E = 'https://e.example';
    await admin.query('insert into cors_origins values ($1)', [D]);
    expect(await decide(list, D)).toBe(true);
    expect(await decide(list, E)).toBe(false);
    await admin.query('update cors_origins set origin = $2 where origin = $1', [D, E]);
    await vi.waitFor(async () => {
      expect(await decide(list, D)).toBe(false);
      expect(await decide(list, E)).toBe(true);
    });
    expect(await decide(list, A)).toBe(true);
    await admin.query('begin; truncate cors_origins; commit;');
    await vi.waitFor(async () => expect(await decide(list, A)).toBe(false));
    await admin.query('insert into cors_origins values ($1)', [A]);
  });

  it('tells when it listens, through the log', async () => {
    const log = vi.fn();
    const list = allowlist({ log });
    await list.ready;
    expect(list.listening()).toBe(true);
    expect(log).toHaveBeenCalledWith('info', '@cors/postgres: listening on cors_origins');
  });
});

describe('configuration', () => {
  it('refuses bad identifiers, a query without $1 and a bad backoff, all at once', () => {
    try {
      postgresOrigins({
        connection: db.connectionString,
        table: 'origins; drop table x',
        column: 'a.b',
        channel: 'bad-channel',
        query: 'select 1',
        reconnect: { min: 10, max: 5 },
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CorsConfigError);
      expect((error as CorsConfigError).issues.map((i) => i.option)).toEqual([
        '@cors/postgres table',
        '@cors/postgres column',
        '@cors/postgres channel',
        '@cors/postgres query',
        '@cors/postgres reconnect',
      ]);
    }
  });

  it('writes the schema for a custom table, column and channel, and it works', async () => {
    const options = { table: 'public.allowed', column: 'value', channel: 'allowed_changed' };
    expect(schemaSql(options)).toContain(`pg_notify('allowed_changed', new."value")`);
    await installSchema(db.connectionString, options);
    await installSchema(db.connectionString, options); // idempotent
    const list = allowlist({ ...options, ttl: 600_000, negativeTtl: 600_000 });
    await list.ready;
    expect(await decide(list, B)).toBe(false);
    await admin.query('insert into public.allowed values ($1)', [B]);
    await vi.waitFor(async () => expect(await decide(list, B)).toBe(true));
  });

  it('uses a pool of yours, and leaves it open on close()', async () => {
    const pool = new pg.Pool({ connectionString: db.connectionString });
    const list = postgresOrigins({ connection: pool, log: quiet });
    expect(await decide(list, A)).toBe(true);
    await list.ready;
    await list.close();
    expect((await pool.query('select 1 as x')).rows[0].x).toBe(1);
    await pool.end();
  });
});
