// One benchmark server in its own process: `server.ts <framework> <variant>`, variant one of
// bare | peer | ours. It serves GET /resource (200, text/plain, `ok`) on 127.0.0.1 port 0, sends
// { port } to the parent over IPC and answers each 'cpu' message with its process.cpuUsage().
// Each framework is imported only by the process that serves it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALLOWED_HEADERS, MAX_AGE, METHODS, ORIGINS, options } from './config.js';

export type Variant = 'bare' | 'peer' | 'ours';

function answer(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/resource' && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  } else res.writeHead(404).end();
}

async function nodeHttp(variant: Variant) {
  if (variant === 'bare') return createServer(answer);
  const { default: peerCors } = await import('cors');
  const { createCorsHandler } = await import('@cors/node');
  if (variant === 'peer') {
    const middleware = peerCors(options);
    return createServer((req, res) => middleware(req, res, () => answer(req, res)));
  }
  const handleCors = createCorsHandler(options);
  // Synchronous configuration: the handler returns a boolean, never a promise.
  return createServer((req, res) => handleCors(req, res) || answer(req, res));
}

async function expressApp(variant: Variant) {
  const { default: express } = await import('express');
  const { default: peerCors } = await import('cors');
  const { cors: oursExpress } = await import('@cors/node');
  const app = express();
  if (variant === 'peer') app.use(peerCors(options));
  if (variant === 'ours') app.use(oursExpress(options));
  app.get('/resource', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  return createServer(app);
}

async function koaApp(variant: Variant) {
  const { default: Koa } = await import('koa');
  const { default: koaCors } = await import('@koa/cors');
  const { cors: oursKoa } = await import('@cors/koa');
  const app = new Koa();
  if (variant === 'peer') {
    // @koa/cors takes one origin or a function: the list becomes a Set looked up per request,
    // answering '' (no CORS headers) for other origins.
    const allowed = new Set(ORIGINS);
    app.use(
      koaCors({
        origin: (ctx) => (allowed.has(ctx.get('Origin')) ? ctx.get('Origin') : ''),
        allowMethods: METHODS,
        allowHeaders: ALLOWED_HEADERS,
        maxAge: MAX_AGE,
      }),
    );
  }
  if (variant === 'ours') app.use(oursKoa(options));
  app.use((ctx) => {
    if (ctx.path === '/resource' && ctx.method === 'GET') {
      ctx.type = 'text/plain';
      ctx.body = 'ok';
    }
  });
  return createServer(app.callback());
}

async function fastifyApp(variant: Variant) {
  const { default: Fastify } = await import('fastify');
  const { default: fastifyCors } = await import('@fastify/cors');
  const { cors: oursFastify } = await import('@cors/fastify');
  const app = Fastify();
  if (variant === 'peer') await app.register(fastifyCors, options);
  if (variant === 'ours') await app.register(oursFastify, options);
  app.get('/resource', async (_request, reply) => reply.type('text/plain').send('ok'));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app.server;
}

export const frameworks = {
  'node:http': nodeHttp,
  express: expressApp,
  koa: koaApp,
  fastify: fastifyApp,
  'nest-express': async (v: Variant) => (await import('./nest.js')).nest(v, 'express'),
  'nest-fastify': async (v: Variant) => (await import('./nest.js')).nest(v, 'fastify'),
};
type Framework = keyof typeof frameworks;

if (process.send) {
  const [framework, variant] = process.argv.slice(2) as [Framework, Variant];
  const server = await frameworks[framework](variant);
  if (!server.listening) await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  process.on('message', (message) => {
    if (message === 'cpu') process.send!({ cpu: process.cpuUsage() });
    if (message === 'exit') process.exit(0);
  });
  process.send({ port: (server.address() as AddressInfo).port });
}
