// One API instance: Express with @cors/node, its allowlist from PostgreSQL (@cors/postgres), and
// the admin endpoint that adds and removes a tenant's origins. Run as a child process by main.ts
// (DATABASE_URL, INSTANCE, PORT, ADMIN_TOKEN); it tells its parent its URL.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cors } from '@cors/node';
import { postgresOrigins } from '@cors/postgres';
import express from 'express';
import pg from 'pg';
import { ORIGIN_QUERY } from './db.js';

export interface InstanceOptions {
  connectionString: string;
  name: string;
  port?: number;
  adminToken: string;
}

/** Whether `value` is a serialised origin (`https://shop.example`, no path): what browsers send. */
function isOrigin(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

export async function startInstance(options: InstanceOptions) {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 10 });
  pool.on('error', (error) =>
    console.warn(`[${options.name}] idle connection lost:`, error.message),
  );
  const allowlist = postgresOrigins({
    connection: pool,
    table: 'tenant_origins',
    query: ORIGIN_QUERY,
    ttl: 60_000,
    negativeTtl: 10_000,
    log: (level, message) => console[level](`[${options.name}] ${message}`),
  });
  const app = express();
  app.use(cors({ origin: allowlist.origin, credentials: true }));
  app.get('/api/hello', (_req, res) => {
    // Without it, the browser revalidates its stored copy (ETag), the 304 carries no
    // Access-Control-Allow-Origin, and the stored one (still allowing) is used: a removed origin
    // would keep reading cached answers.
    res.set('cache-control', 'no-store');
    res.json({ instance: options.name });
  });
  app.get('/health', (_req, res) => {
    res.json({
      instance: options.name,
      listening: allowlist.listening(),
      cache: allowlist.origin.stats(),
    });
  });

  // The admin endpoint: server to server, with a bearer token (no browser calls it, so no CORS).
  const admin = express.Router();
  admin.use(express.json());
  admin.use((req, res, next) => {
    if (req.headers.authorization === `Bearer ${options.adminToken}`) next();
    else res.status(401).json({ error: 'admin token required' });
  });
  admin.post('/tenants/:tenant/origins', async (req, res) => {
    const origin = req.body?.origin;
    if (!isOrigin(origin)) {
      res
        .status(400)
        .json({ error: 'origin must be a serialised origin, e.g. https://shop.example' });
      return;
    }
    const result = await pool.query(
      `insert into tenant_origins (origin, tenant_id) select $1, id from tenants where name = $2
       on conflict (origin) do update set tenant_id = excluded.tenant_id`,
      [origin, req.params.tenant],
    );
    if (result.rowCount === 0) res.status(404).json({ error: `no tenant ${req.params.tenant}` });
    else res.status(201).json({ origin, tenant: req.params.tenant });
  });
  admin.delete('/tenants/:tenant/origins', async (req, res) => {
    const origin = req.body?.origin;
    const result = await pool.query(
      'delete from tenant_origins o using tenants t where t.id = o.tenant_id and t.name = $2 and o.origin = $1',
      [origin, req.params.tenant],
    );
    res.status(result.rowCount === 0 ? 404 : 204).end();
  });
  app.use('/admin', admin);

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(options.port ?? 0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  await allowlist.ready;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await allowlist.close();
      await pool.end();
    },
  };
}

// Run as a child of main.ts.
if (process.send !== undefined && process.env.INSTANCE !== undefined) {
  const instance = await startInstance({
    connectionString: process.env.DATABASE_URL!,
    name: process.env.INSTANCE,
    port: Number(process.env.PORT ?? 0),
    adminToken: process.env.ADMIN_TOKEN!,
  });
  process.send({ url: instance.url });
  process.on('disconnect', () => {
    void instance.close().finally(() => process.exit(0));
  });
}
