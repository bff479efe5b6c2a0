// The conformance contract's servers (packages/conformance README, "Adding an adapter"): the same
// routes as packages/{node,koa,fastify,nestjs}/test/server.ts, without `/scoped` (see run.ts). Each
// takes its CORS layer ready-made, so that a peer and our adapter run in the very same server.
import 'reflect-metadata';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StartedServer } from '@cors/conformance';
import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import express, { type RequestHandler } from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import Koa, { type Middleware } from 'koa';
// The contract's routes, from the very files our adapters' conformance tests use.
import { addFastifyRoutes } from '../../../packages/fastify/test/server.js';
import { addKoaRoutes } from '../../../packages/koa/test/server.js';
import { ContractController } from '../../../packages/nestjs/test/server.js';
import { addExpressRoutes } from '../../../packages/node/test/server.js';

/** Listens on 127.0.0.1 port 0; `close()` also drops kept-alive connections. */
async function listen(server: Server): Promise<StartedServer> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Express 5 with a connect-style CORS middleware: `cors`, or @cors/node. */
export function startExpress(middleware: RequestHandler): Promise<StartedServer> {
  const app = express();
  app.set('env', 'test'); // Express's final handler would print the stack of /error's 500
  app.use(middleware);
  addExpressRoutes(app);
  return listen(createServer(app));
}

/** Koa 3 with a CORS middleware: @koa/cors, or @cors/koa. */
export function startKoa(middleware: Middleware): Promise<StartedServer> {
  const app = new Koa();
  app.silent = true; // the 500 of /error is expected
  app.use(middleware);
  addKoaRoutes(app);
  return listen(createServer(app.callback()));
}

/** Fastify 5 with a CORS plugin, which `register` registers: @fastify/cors, or @cors/fastify. */
export async function startFastify(
  register: (app: FastifyInstance) => PromiseLike<unknown>,
): Promise<StartedServer> {
  const app = Fastify();
  try {
    await register(app);
    addFastifyRoutes(app);
    await app.listen({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/**
 * NestJS with its own `app.enableCors(options)` (`cors` on Express, @fastify/cors on Fastify), or
 * with a module that brings CORS (`CorsModule.forRoot(options)` of @cors/nestjs).
 */
export async function startNest(
  platform: 'express' | 'fastify',
  cors: { enableCors: object } | { module: DynamicModule },
): Promise<StartedServer> {
  @Module({
    imports: 'module' in cors ? [cors.module] : [],
    controllers: [ContractController],
  })
  class AppModule {}
  const adapter = platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  // abortOnError: false, so that an invalid configuration rejects instead of ending the process.
  const app: INestApplication = await NestFactory.create(AppModule, adapter, {
    logger: false,
    abortOnError: false,
  });
  try {
    if ('enableCors' in cors) app.enableCors(cors.enableCors);
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
