// `pnpm --filter @cors/tenants start`: a throwaway PostgreSQL cluster (unless DATABASE_URL is
// set), the tenants' schema, and two API instances as separate processes. Ctrl-C stops all.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startPostgres, type ThrowawayPostgres } from '@cors/postgres/testing';
import { setupDatabase } from './db.js';

let cluster: ThrowawayPostgres | undefined;
let url = process.env.DATABASE_URL;
if (url === undefined) {
  cluster = await startPostgres();
  url = cluster.connectionString;
}
await setupDatabase(url);
const adminToken = process.env.ADMIN_TOKEN ?? randomBytes(12).toString('hex');
const ports = (process.env.PORTS ?? '0,0').split(',').map(Number);

const children = ['a', 'b'].map((name, i) =>
  fork(new URL('./instance.ts', import.meta.url), {
    env: {
      ...process.env,
      DATABASE_URL: url,
      INSTANCE: name,
      PORT: String(ports[i] ?? 0),
      ADMIN_TOKEN: adminToken,
    },
  }),
);
const urls = await Promise.all(
  children.map(
    (child) =>
      new Promise<string>((resolve, reject) => {
        child.once('message', (message) => resolve((message as { url: string }).url));
        child.once('exit', (code) => reject(new Error(`an API instance exited (${code})`)));
      }),
  ),
);

const stop = () => {
  for (const child of children) child.disconnect();
  Promise.all(children.map((c) => new Promise((resolve) => c.once('exit', resolve)))).finally(
    () => {
      cluster?.destroy();
      process.exit(0);
    },
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

console.log(`database: ${url}${cluster ? ' (throwaway, removed on exit)' : ''}`);
console.log(`instances: ${urls.join(' ')}`);
console.log(`admin token: ${adminToken}`);
console.log(
  `add an origin:    curl -X POST ${urls[0]}/admin/tenants/acme/origins -H 'authorization: Bearer ${adminToken}' -H 'content-type: application/json' -d '{"origin":"http://localhost:8080"}'`,
);
console.log(
  `remove it:        curl -X DELETE ${urls[0]}/admin/tenants/acme/origins -H 'authorization: Bearer ${adminToken}' -H 'content-type: application/json' -d '{"origin":"http://localhost:8080"}'`,
);
console.log(
  `check a CORS answer: curl -si ${urls[1]}/api/hello -H 'origin: http://localhost:8080'`,
);
console.log(`tenants ready ${JSON.stringify({ urls, adminToken })}`);
