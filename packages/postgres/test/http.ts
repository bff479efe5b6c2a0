// A node:http server with @cors/node in front of a handler, for the tests of this package.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CorsOptionsInput } from '@cors/core';
import { createCorsHandler } from '@cors/node';

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `ok` behind CORS on 127.0.0.1:0; a failing CORS handler answers 500. */
export async function serve(options: CorsOptionsInput): Promise<TestServer> {
  const handle = createCorsHandler(options);
  const server = createServer(async (req, res) => {
    try {
      if (await handle(req, res)) return;
    } catch {
      res.statusCode = 500;
      res.end('cors failed');
      return;
    }
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The `Access-Control-Allow-Origin` an actual GET from `origin` gets (null when absent). */
export async function allowOrigin(url: string, origin: string): Promise<string | null> {
  const res = await fetch(`${url}/`, { headers: { origin } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`status ${res.status}`);
  return res.headers.get('access-control-allow-origin');
}
