// Every adapter's server, following the contract of @cors/conformance: the same routes on every
// framework, started with one set of CORS options. The factories live beside each adapter's tests
// (packages/*/test/server.ts) and are bundled into dist/servers.js by this app's build.
import type { StartServer } from '@cors/conformance';
import { startFastify } from '../../../packages/fastify/test/server.js';
import { startKoa } from '../../../packages/koa/test/server.js';
import { startNestExpress, startNestFastify } from '../../../packages/nestjs/test/server.js';
import { startExpress, startNodeHttp } from '../../../packages/node/test/server.js';

/** Framework name -> the `start` factory of its adapter. */
export const servers = {
  'node-http': startNodeHttp,
  express: startExpress,
  koa: startKoa,
  fastify: startFastify,
  'nestjs-express': startNestExpress,
  'nestjs-fastify': startNestFastify,
} satisfies Record<string, StartServer>;

export type ServerName = keyof typeof servers;

/** Frameworks whose adapter has per-route configuration (the `/scoped` route). */
export const perRoute: ReadonlySet<ServerName> = new Set<ServerName>([
  'fastify',
  'nestjs-express',
  'nestjs-fastify',
]);
