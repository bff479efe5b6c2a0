// The contract's server for @cors/fastify. The example app imports this file, so it imports no test
// framework.
import type { AddressInfo } from 'node:net';
import type { StartServer } from '@cors/conformance';
import Fastify, { type FastifyContextConfig, type FastifyInstance } from 'fastify';
import { cors } from '../src/index.js';

/**
 * The contract's routes (but `/scoped`) on a Fastify 5 app whose CORS plugin is registered
 * (bench/src/peers registers a peer's plugin before the same routes). Anything else: Fastify's 404.
 */
export function addFastifyRoutes(app: FastifyInstance): void {
  // The auth check comes after CORS, as users write it: a root hook of their own.
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url === '/private' && !request.headers.authorization) {
      return reply.code(401).send({ statusCode: 401, error: 'Unauthorized' });
    }
  });
  // `all` includes OPTIONS: a preflight the plugin failed to answer would reach these handlers.
  app.all('/resource', async (_request, reply) => {
    reply.headers({ 'x-handler': 'resource', 'x-request-id': '7', 'x-total-count': '42' });
    return reply.type('text/plain').send('ok');
  });
  app.all('/error', async () => {
    throw new Error('handler failed');
  });
  app.all('/private', async (_request, reply) => reply.type('text/plain').send('secret'));
}

/** Fastify 5 with @cors/fastify, the contract's routes and `/scoped` governed by `extras.scoped`. */
export const startFastify: StartServer = async (options, extras) => {
  const app = Fastify();
  try {
    // Awaited, as Fastify's onRoute-based plugins need: the routes below are declared after it loads.
    await app.register(cors, options);
    addFastifyRoutes(app);
    const config: FastifyContextConfig =
      extras?.scoped === undefined ? {} : { cors: extras.scoped };
    app.all('/scoped', { config }, async (_request, reply) =>
      reply.type('text/plain').send('scoped'),
    );
    // Anything else: Fastify's own 404.
    await app.listen({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    await app.close();
    throw error; // a CorsConfigError from the plugin's options or a route's config.cors
  }
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
};
