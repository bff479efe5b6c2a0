// The contract's servers for @cors/node: bare node:http and Express 5. The example app imports this
// file, so it imports no test framework.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StartServer } from '@cors/conformance';
import express from 'express';
import { type CorsOptions, cors, createCorsHandler } from '../src/index.js';

const RESOURCE_HEADERS = {
  'Content-Type': 'text/plain',
  'X-Handler': 'resource',
  'X-Request-Id': '7',
  'X-Total-Count': '42',
};

/** Listens on 127.0.0.1, port 0; `close()` also drops kept-alive connections so tests end fast. */
export function listen(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const close = () =>
        new Promise<void>((done, fail) => {
          server.close((err) => (err ? fail(err) : done()));
          server.closeAllConnections();
        });
      resolve({ url: `http://127.0.0.1:${port}`, close });
    });
  });
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain' }).end(body);
}

/** The auth check of `/private`, as a connect-style middleware registered after CORS. */
export function requireAuth(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (req.headers.authorization) next();
  else send(res, 401, 'Unauthorized');
}

const pathOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://localhost').pathname;

/** The contract's routes in plain node:http; `false` for a path it does not know. */
export function answer(req: IncomingMessage, res: ServerResponse): boolean {
  switch (pathOf(req)) {
    case '/resource':
      res.writeHead(200, RESOURCE_HEADERS).end('ok');
      return true;
    case '/private':
      send(res, 200, 'secret');
      return true;
    case '/error':
      throw new Error('handler failed');
    default:
      return false;
  }
}

/** node:http with `createCorsHandler`: the server catches what throws and answers 500 itself. */
export const startNodeHttp: StartServer = async (options: CorsOptions) => {
  const handleCors = createCorsHandler(options);
  const server = createServer(async (req, res) => {
    try {
      if (await handleCors(req, res)) return;
      if (pathOf(req) === '/private' && !req.headers.authorization) {
        send(res, 401, 'Unauthorized');
      } else if (!answer(req, res)) {
        send(res, 404, 'Not Found');
      }
    } catch {
      // Like a framework's default 500: the CORS headers already set stay on the response.
      if (!res.headersSent) send(res, 500, 'Internal Server Error');
    }
  });
  return listen(server);
};

/** Express 4 and 5 share this shape; `createApp` is `express` from either major. */
export function startExpressWith(createApp: typeof express): StartServer {
  return async (options: CorsOptions) => {
    const app = createApp();
    app.use(cors(options));
    addExpressRoutes(app);
    return listen(createServer(app));
  };
}

/**
 * The contract's routes on an Express 4 or 5 app, after its CORS layer (bench/src/peers puts a
 * peer's middleware in front of the same routes). No error handler and no 404 handler: Express's
 * own answer them.
 */
export function addExpressRoutes(app: ReturnType<typeof express>): void {
  app.use('/private', requireAuth);
  app.all('/resource', (_req, res) => {
    res.set(RESOURCE_HEADERS).send('ok');
  });
  app.all('/private', (_req, res) => {
    res.type('text/plain').send('secret');
  });
  app.all('/error', () => {
    throw new Error('handler failed');
  });
}

/** Express 5. */
export const startExpress: StartServer = startExpressWith(express);
