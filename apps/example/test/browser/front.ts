// The one address Chromium talks to in the conformance run (`--host-resolver-rules=MAP * 127.0.0.1:PORT`).
// It serves the pages, so a scenario's Origin is the page's real origin with no rewriting
// (`https://app.example.com`, or `null` from a sandboxed page), and relays every other request
// byte for byte to the adapter server registered for its host name, recording both sides: the
// request exactly as Chromium sent it and the response exactly as the adapter wrote it.
import { execFileSync } from 'node:child_process';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Socket } from 'node:net';
import { type RawResponse, rawRequest } from '@cors/conformance';

/** One request Chromium sent to an adapter, and the adapter's answer. */
export interface Exchange {
  method: string;
  /** Request headers as received, in order and case. */
  headers: Array<[string, string]>;
  response: RawResponse;
}

export interface Front {
  port: number;
  /** Relays requests for `host` (`express-3.api.test`) to `target` (`http://127.0.0.1:PORT`). */
  route(host: string, target: string): void;
  /** The exchanges recorded for `url` (`https://host/path?query`), in order. */
  exchanges(url: string): Exchange[];
  close(): Promise<void>;
}

/** The page host whose documents are sandboxed: their origin is opaque, so fetch sends `Origin: null`. */
export const OPAQUE_HOST = 'opaque.test';
/** Where a page lives on the front. */
export const PAGE_PATH = '/__page';

// A throw-away self-signed certificate: Chromium runs with --ignore-certificate-errors, so any name
// will do. `openssl` ships with Debian's ca-certificates, which the chromium package depends on.
function selfSignedCertificate(): { key: string; cert: string } {
  const pem = execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=cors-browser-test',
      '-keyout',
      '-',
      '-out',
      '-',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  ).toString();
  const block = (label: string) =>
    new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`).exec(pem)?.[0] ?? '';
  return { key: block('PRIVATE KEY'), cert: block('CERTIFICATE') };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

export async function startFront(): Promise<Front> {
  const routes = new Map<string, string>();
  const recorded = new Map<string, Exchange[]>();

  const handle = (req: IncomingMessage, res: ServerResponse, scheme: 'http' | 'https') => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const path = req.url ?? '/';
    if (path === PAGE_PATH) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        ...(host === OPAQUE_HOST ? { 'content-security-policy': 'sandbox allow-scripts' } : {}),
      });
      res.end('<!doctype html><title>cors conformance page</title>');
      return;
    }
    const target = routes.get(host);
    if (target === undefined) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const headers: Array<[string, string]> = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      }
      const body = chunks.length > 0 ? Buffer.concat(chunks).toString('utf8') : undefined;
      const forwarded = headers.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()));
      try {
        const response = await rawRequest(target, {
          method: req.method ?? 'GET',
          path,
          headers: forwarded,
          ...(body !== undefined ? { body } : {}),
        });
        const url = `${scheme}://${host}${path}`;
        const list = recorded.get(url) ?? [];
        list.push({ method: req.method ?? '', headers, response });
        recorded.set(url, list);
        const out = response.rawHeaders.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()));
        res.writeHead(response.status, response.statusText, out.flat());
        res.end(response.body);
      } catch {
        res.destroy();
      }
    });
  };

  // One port for both schemes: a TLS ClientHello starts with 0x16, anything else is plain HTTP.
  const https = createHttpsServer(selfSignedCertificate(), (req, res) => handle(req, res, 'https'));
  const http = createHttpServer((req, res) => handle(req, res, 'http'));
  const sockets = new Set<Socket>();
  const net = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 ? https : http).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((resolve) => net.listen(0, '127.0.0.1', resolve));
  const address = net.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    route: (host, target) => routes.set(host, target),
    exchanges: (url) => recorded.get(url) ?? [],
    close: () =>
      new Promise<void>((resolve) => {
        net.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
