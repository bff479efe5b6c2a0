import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeConformance } from './vitest.js';

// A node:http server that answers every request exactly as `origin.exact.reflects` requires: it
// proves the binding registers the scenario as a test, runs it and closes the server.
describeConformance(
  'describeConformance with a server that satisfies one scenario',
  async () => {
    const server = createServer((req, res) => {
      req.resume();
      res
        .writeHead(200, {
          'X-Handler': 'resource',
          'Access-Control-Allow-Origin': 'https://app.example.com',
          Vary: 'Origin',
        })
        .end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  },
  { filter: (s) => s.id === 'origin.exact.reflects' || s.id === 'vary.single-origin' },
);
