import {
  type CachedOriginFunction,
  CorsConfigError,
  type CorsConfigIssue,
  type OriginCacheOptions,
  originCache,
} from '@cors/core';
import pg from 'pg';

export type { CachedOriginFunction, OriginCacheOptions, OriginCacheStats } from '@cors/core';

/** What the package reports: the listener's state changes, at `info`; failures, at `warn`. */
export type PostgresOriginsLog = (level: 'info' | 'warn', message: string, error?: unknown) => void;

/** Options of {@link postgresOrigins}: where the allowlist lives, plus every `originCache` option. */
export interface PostgresOriginsOptions extends OriginCacheOptions {
  /**
   * The database: a connection string, or a `pg.Pool` of yours (then your pool's settings apply,
   * and `close()` leaves it open). The LISTEN connection is a separate client with the same
   * settings.
   * @example { connection: process.env.DATABASE_URL }
   */
  connection: string | pg.Pool;
  /**
   * The table that holds the allowed origins.
   * @default 'cors_origins'
   */
  table?: string;
  /**
   * Its column with the serialised origin (`https://app.example.com`).
   * @default 'origin'
   */
  column?: string;
  /**
   * The look-up: any SQL that returns at least one row when the origin (`$1`) is allowed, e.g.
   * to join a tenants table. Always parameterised: the origin is never put into the SQL text.
   * @default select 1 from <table> where <column> = $1 limit 1
   * @example { query: 'select 1 from tenant_origins o join tenants t using (tenant_id) where o.origin = $1 and t.active' }
   */
  query?: string;
  /**
   * The `LISTEN` channel; its payload is the origin that changed (`'*'`: everything).
   * @default 'cors_origins'
   */
  channel?: string;
  /**
   * Delays between attempts to re-establish the LISTEN connection: doubled after each failure,
   * from `min` to `max` ms, with jitter. Invalidations missed meanwhile are recovered by `ttl`.
   * @default { min: 100, max: 5_000 }
   */
  reconnect?: { min?: number; max?: number };
  /**
   * Where the listener's state changes and errors go (a failed origin load goes to `onError`,
   * which defaults to this log too).
   * @default console
   */
  log?: PostgresOriginsLog;
}

/** The allowlist: `origin` for the CORS `origin` option, and how to stop it. */
export interface PostgresOrigins {
  /** The origin function: `cors({ origin: allowlist.origin })`. */
  origin: CachedOriginFunction;
  /** Resolves once the listener is listening for the first time (requests work before it). */
  ready: Promise<void>;
  /** Whether the LISTEN connection is up now. */
  listening(): boolean;
  /** Times the listener re-established its connection after losing it. */
  reconnects(): number;
  /** Stops listening and, if the package created it, closes the pool. */
  close(): Promise<void>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;
const quote = (name: string) =>
  name
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');

const defaultLog: PostgresOriginsLog = (level, message, error) =>
  error === undefined ? console[level](message) : console[level](message, error);

function check(options: PostgresOriginsOptions) {
  const issues: CorsConfigIssue[] = [];
  const identifier = (option: 'table' | 'column' | 'channel', fallback: string) => {
    const value = options[option] ?? fallback;
    if (
      typeof value !== 'string' ||
      !IDENTIFIER.test(value) ||
      (option !== 'table' && value.includes('.'))
    ) {
      issues.push({
        option: `@cors/postgres ${option}`,
        message: `must be a plain SQL identifier${option === 'table' ? ' (optionally schema.table)' : ''}, got ${JSON.stringify(value)}`,
        fix: `use letters, digits and underscores, e.g. ${option}: '${fallback}'`,
      });
    }
    return value;
  };
  const table = identifier('table', 'cors_origins');
  const column = identifier('column', 'origin');
  const channel = identifier('channel', 'cors_origins');
  const { connection, query } = options;
  if (typeof connection !== 'string' && !(connection instanceof pg.Pool)) {
    issues.push({
      option: '@cors/postgres connection',
      message: 'must be a connection string or a pg.Pool',
      fix: 'pass e.g. connection: process.env.DATABASE_URL',
    });
  }
  if (query !== undefined && (typeof query !== 'string' || !query.includes('$1'))) {
    issues.push({
      option: '@cors/postgres query',
      message: 'must be SQL that uses $1 for the origin',
      fix: `e.g. query: 'select 1 from ${table} where ${column} = $1'`,
    });
  }
  const min = options.reconnect?.min ?? 100;
  const max = options.reconnect?.max ?? 5_000;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min) {
    issues.push({
      option: '@cors/postgres reconnect',
      message: `min and max must be whole milliseconds with 1 <= min <= max, got ${min} and ${max}`,
      fix: 'use e.g. reconnect: { min: 100, max: 5000 }',
    });
  }
  if (issues.length > 0) throw new CorsConfigError(issues);
  return { table, column, channel, min, max };
}

/**
 * The SQL that makes a table notify every instance of changes: the table (if missing), a trigger
 * function sending the changed origin on `channel` with `pg_notify` (delivered at commit), and
 * the row and `TRUNCATE` triggers. Run it in a migration, or with {@link installSchema}.
 */
export function schemaSql(
  options: Pick<PostgresOriginsOptions, 'table' | 'column' | 'channel'> = {},
): string {
  const { table, column, channel } = check({ connection: '', ...options });
  const fn = quote(`${table.replace('.', '_')}_cors_notify`);
  const literal = `'${channel}'`;
  return `create table if not exists ${quote(table)} (${quote(column)} text primary key);
create or replace function ${fn}() returns trigger language plpgsql as $$
begin
  if tg_op = 'TRUNCATE' then
    perform pg_notify(${literal}, '*');
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then perform pg_notify(${literal}, old.${quote(column)}); end if;
  if tg_op in ('INSERT', 'UPDATE') then perform pg_notify(${literal}, new.${quote(column)}); end if;
  return null;
end $$;
create or replace trigger cors_notify after insert or update or delete on ${quote(table)}
  for each row execute function ${fn}();
create or replace trigger cors_notify_truncate after truncate on ${quote(table)}
  for each statement execute function ${fn}();
`;
}

/** Runs {@link schemaSql} on a pool, a client or a connection string. */
export async function installSchema(
  db: string | pg.Pool | pg.Client,
  options: Pick<PostgresOriginsOptions, 'table' | 'column' | 'channel'> = {},
): Promise<void> {
  const sql = schemaSql(options);
  if (typeof db !== 'string') {
    await db.query(sql);
    return;
  }
  const client = new pg.Client(db);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A PostgreSQL table as the CORS allowlist of every instance: `originCache` in front of a
 * parameterised look-up, and a `LISTEN` connection that invalidates an origin as soon as a row
 * changes anywhere (see {@link schemaSql} for the trigger). The listener reconnects by itself with
 * backoff, logging each loss and recovery; what it missed meanwhile expires with `ttl`. A database
 * that is down never fails a request: `failMode` answers (see `originCache`).
 *
 * @example
 * ```ts
 * import { cors } from '@cors/node';
 * import { installSchema, postgresOrigins } from '@cors/postgres';
 *
 * await installSchema(process.env.DATABASE_URL);
 * const allowlist = postgresOrigins({ connection: process.env.DATABASE_URL, ttl: 60_000 });
 * app.use(cors({ origin: allowlist.origin, credentials: true }));
 * // from any instance, or psql: insert into cors_origins values ('https://customer.example');
 * ```
 */
export function postgresOrigins(options: PostgresOriginsOptions): PostgresOrigins {
  const { table, column, channel, min, max } = check(options);
  const log = options.log ?? defaultLog;
  const ownPool = typeof options.connection === 'string';
  const loadTimeout = options.loadTimeout ?? 2_000;
  const pool =
    typeof options.connection === 'string'
      ? new pg.Pool({
          connectionString: options.connection,
          max: Math.min(options.maxLoading ?? 16, 10),
          // A load that the cache gave up on must not keep holding a connection.
          connectionTimeoutMillis: loadTimeout,
          statement_timeout: loadTimeout,
        })
      : options.connection;
  // An idle client whose server went away emits 'error' on the pool; unhandled, it would end the process.
  const onPoolError = (error: Error) => log('warn', '@cors/postgres: idle connection lost', error);
  pool.on('error', onPoolError);
  const sql = options.query ?? `select 1 from ${quote(table)} where ${quote(column)} = $1 limit 1`;
  const origin = originCache(
    async (value) => ((await pool.query(sql, [value])).rowCount ?? 0) > 0,
    {
      onError: (error, value) => log('warn', `@cors/postgres: could not load ${value}`, error),
      ...options,
    },
  );

  const clientConfig =
    typeof options.connection === 'string'
      ? { connectionString: options.connection }
      : (options.connection as unknown as { options: pg.ClientConfig }).options;
  let client: pg.Client | undefined;
  let closed = false;
  let up = false;
  let failures = 0;
  let reconnects = 0;
  let wasEverUp = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const lost = (c: pg.Client, error?: unknown) => {
    if (client !== c) return; // already handled
    client = undefined;
    const wasUp = up;
    up = false;
    c.removeAllListeners();
    c.on('error', () => {}); // late errors of a dead client
    c.end().catch(() => {});
    if (closed) return;
    const delay = Math.min(max, min * 2 ** failures);
    const wait = Math.round(delay / 2 + Math.random() * (delay / 2));
    failures++;
    log(
      'warn',
      `@cors/postgres: ${wasUp ? 'LISTEN connection lost' : 'could not LISTEN'}; reconnecting in ${wait} ms (invalidations meanwhile expire with the ttl)`,
      error,
    );
    timer = setTimeout(connect, wait);
  };

  const connect = () => {
    timer = undefined;
    if (closed) return;
    const c = new pg.Client(clientConfig);
    client = c;
    c.on('error', (error) => lost(c, error));
    c.on('end', () => lost(c));
    c.on('notification', (message) => {
      if (message.channel !== channel) return;
      if (message.payload === undefined || message.payload === '*') origin.clear();
      else origin.invalidate(message.payload);
    });
    c.connect()
      .then(() => c.query(`listen ${quote(channel)}`))
      .then(() => {
        if (client !== c) return;
        const again = failures > 0 && wasEverUp;
        up = true;
        wasEverUp = true;
        failures = 0;
        if (again) {
          reconnects++;
          log('info', `@cors/postgres: LISTEN ${channel} re-established`);
        } else {
          log('info', `@cors/postgres: listening on ${channel}`);
        }
        markReady();
      })
      .catch((error: unknown) => lost(c, error));
  };
  connect();

  return {
    origin,
    ready,
    listening: () => up,
    reconnects: () => reconnects,
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      const c = client;
      client = undefined;
      up = false;
      if (c !== undefined) {
        c.removeAllListeners();
        c.on('error', () => {});
        await c.end().catch(() => {});
      }
      if (ownPool) await pool.end();
      else pool.removeListener('error', onPoolError);
    },
  };
}
