// The tenants' schema: a tenant has origins; the trigger from @cors/postgres tells every instance
// when a row of tenant_origins changes.
import { installSchema } from '@cors/postgres';
import pg from 'pg';

/** The origins of active tenants: the look-up each instance runs for an origin it does not know. */
export const ORIGIN_QUERY = `select 1 from tenant_origins o join tenants t on t.id = o.tenant_id
  where o.origin = $1 and t.active limit 1`;

/** Creates the tables (idempotent) and the tenant `acme`. */
export async function setupDatabase(connectionString: string): Promise<void> {
  const client = new pg.Client(connectionString);
  await client.connect();
  try {
    await client.query(`
      create table if not exists tenants (
        id serial primary key,
        name text not null unique,
        active boolean not null default true
      );
      create table if not exists tenant_origins (
        origin text primary key,
        tenant_id int not null references tenants on delete cascade
      );
      insert into tenants (name) values ('acme') on conflict do nothing;`);
    await installSchema(client, { table: 'tenant_origins' });
  } finally {
    await client.end();
  }
}
