// The conformance contract's servers (packages/conformance README, "Adding an adapter"): the same
// routes as packages/{node,koa,fastify,nestjs}/test/server.ts, without `/scoped` (see run.ts). Each
// takes its CORS layer ready-made, so that a peer and our adapter run in the very same server.
import 'reflect-metadata';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StartedServer } from '@cors/conformance';
import {
  All,
  type CanActivate,
  Controller,
  type DynamicModule,
  type ExecutionContext,
  Header,
  HttpCode,
  type INestApplication,
  Module,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import express, { type RequestHandler } from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import Koa, { type Middleware } from 'koa';

const RESOURCE_HEADERS = {
  'Content-Type': 'text/plain',
  'X-Handler': 'resource',
  'X-Request-Id': '7',
  'X-Total-Count': '42',
};

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
  app.use('/private', (req, res, next) => {
    if (req.headers.authorization) next();
    else res.status(401).type('text/plain').send('Unauthorized');
  });
  app.all('/resource', (_req, res) => {
    res.set(RESOURCE_HEADERS).send('ok');
  });
  app.all('/private', (_req, res) => {
    res.type('text/plain').send('secret');
  });
  app.all('/error', () => {
    throw new Error('handler failed');
  });
  // No error handler and no 404 handler: Express's own answer them.
  return listen(createServer(app));
}

/** Koa 3 with a CORS middleware: @koa/cors, or @cors/koa. */
export function startKoa(middleware: Middleware): Promise<StartedServer> {
  const app = new Koa();
  app.silent = true; // the 500 of /error is expected
  app.use(middleware);
  app.use(async (ctx, next) => {
    if (ctx.path === '/private' && !ctx.get('Authorization')) ctx.throw(401);
    await next();
  });
  app.use((ctx) => {
    switch (ctx.path) {
      case '/resource':
        ctx.set({ 'X-Handler': 'resource', 'X-Request-Id': '7', 'X-Total-Count': '42' });
        ctx.type = 'text/plain';
        ctx.body = 'ok';
        return;
      case '/private':
        ctx.body = 'secret';
        return;
      case '/error':
        throw new Error('handler failed');
      // Anything else: no body, so Koa answers its own 404.
    }
  });
  return listen(createServer(app.callback()));
}

/** Fastify 5 with a CORS plugin, which `register` registers: @fastify/cors, or @cors/fastify. */
export async function startFastify(
  register: (app: FastifyInstance) => PromiseLike<unknown>,
): Promise<StartedServer> {
  const app = Fastify();
  try {
    await register(app);
    // The auth check comes after CORS, as users write it: a root hook of their own.
    app.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.url === '/private' && !request.headers.authorization) {
        return reply.code(401).send({ statusCode: 401, error: 'Unauthorized' });
      }
    });
    // `all` includes OPTIONS: a preflight the plugin does not answer reaches these handlers.
    app.all('/resource', async (_request, reply) => {
      reply.headers({ 'x-handler': 'resource', 'x-request-id': '7', 'x-total-count': '42' });
      return reply.type('text/plain').send('ok');
    });
    app.all('/error', async () => {
      throw new Error('handler failed');
    });
    app.all('/private', async (_request, reply) => reply.type('text/plain').send('secret'));
    await app.listen({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

class AuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    if (req.headers.authorization === undefined) throw new UnauthorizedException();
    return true;
  }
}

@Controller()
class ContractController {
  @All('resource')
  @HttpCode(200)
  @Header('Content-Type', 'text/plain')
  @Header('X-Handler', 'resource')
  @Header('X-Request-Id', '7')
  @Header('X-Total-Count', '42')
  resource(): string {
    return 'ok';
  }

  @All('error')
  error(): never {
    throw new Error('the handler failed');
  }

  @All('private')
  @HttpCode(200)
  @Header('Content-Type', 'text/plain')
  @UseGuards(AuthGuard)
  private(): string {
    return 'secret';
  }
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
