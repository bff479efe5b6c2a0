import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { headerValues, rawRequest } from './http.js';

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Answers with what it received: method, URL and the raw header lines. */
const echo: RequestListener = (req, res) => {
  let body = '';
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ method: req.method, url: req.url, rawHeaders: req.rawHeaders, body }));
  });
};

describe('rawRequest', () => {
  it('sends any method as written, without normalising it', async () => {
    const url = await serve(echo);
    for (const method of ['PURGE', 'M-SEARCH', 'OPTIONS']) {
      const res = await rawRequest(url, { method, path: '/x?y=1' });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ method, url: '/x?y=1' });
    }
    // Node's parser knows methods in upper case only: a lower-case one arrives as written and is refused.
    const lower = await rawRequest(url, { method: 'patch', path: '/' });
    expect(lower.status).toBe(400);
  });

  it('sends a repeated request header as separate lines, byte for byte', async () => {
    const url = await serve(echo);
    const res = await rawRequest(url, {
      method: 'GET',
      path: '/',
      headers: [
        ['Origin', 'https://a.example'],
        ['origin', 'https://B.example/'],
      ],
    });
    const { rawHeaders } = JSON.parse(res.body) as { rawHeaders: string[] };
    expect(rawHeaders).toEqual(
      expect.arrayContaining(['Origin', 'https://a.example', 'origin', 'https://B.example/']),
    );
    expect(rawHeaders).toContain('Connection');
    expect(rawHeaders[rawHeaders.indexOf('Connection') + 1]).toBe('close');
  });

  it('sends a body with its Content-Length', async () => {
    const url = await serve(echo);
    const res = await rawRequest(url, { method: 'POST', path: '/', body: 'héllo' });
    expect(JSON.parse(res.body)).toMatchObject({ body: 'héllo' });
  });

  it('keeps a repeated response header as an array, names lower-cased', async () => {
    const url = await serve((_req, res) => {
      res.setHeader('Vary', ['Accept-Encoding', 'Origin']);
      res.setHeader('X-Single', 'one');
      res.end('ok');
    });
    const res = await rawRequest(url, { method: 'GET', path: '/' });
    expect(res.headers.vary).toEqual(['Accept-Encoding', 'Origin']);
    expect(res.headers['x-single']).toBe('one');
    expect(headerValues(res, 'VARY')).toEqual(['Accept-Encoding', 'Origin']);
    expect(headerValues(res, 'x-missing')).toEqual([]);
    expect(res.rawHeaders).toContainEqual(['Vary', 'Origin']);
  });

  it('decodes a chunked body', async () => {
    const url = await serve((_req, res) => {
      res.write('first,');
      setTimeout(() => {
        res.write('second,');
        res.end('third');
      }, 5);
    });
    const res = await rawRequest(url, { method: 'GET', path: '/' });
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.body).toBe('first,second,third');
  });

  it('reads no body for HEAD and 204, whatever Content-Length says', async () => {
    const url = await serve((req, res) => {
      if (req.method === 'HEAD') res.writeHead(200, { 'Content-Length': '2' }).end();
      else res.writeHead(204, { 'Content-Length': '0' }).end();
    });
    const head = await rawRequest(url, { method: 'HEAD', path: '/' });
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-length']).toBe('2');
    const empty = await rawRequest(url, { method: 'OPTIONS', path: '/' });
    expect(empty).toMatchObject({ status: 204, statusText: 'No Content', body: '' });
    expect(empty.headers['content-length']).toBe('0');
  });

  it('skips an interim 100 Continue response', async () => {
    const url = await serve((_req, res) => {
      res.writeContinue();
      res.end('done');
    });
    const res = await rawRequest(url, { method: 'GET', path: '/' });
    expect(res).toMatchObject({ status: 200, body: 'done' });
  });

  it('fails with a timeout when the server never answers', async () => {
    const url = await serve(() => {});
    await expect(rawRequest(url, { method: 'GET', path: '/slow', timeout: 100 })).rejects.toThrow(
      '@cors/conformance: no complete response to GET /slow within 100 ms',
    );
  });

  it('fails when the connection closes before the response is complete', async () => {
    const url = await serve((req, res) => {
      res.writeHead(200, { 'Content-Length': '10' });
      res.write('abc');
      setTimeout(() => req.socket.destroy(), 5);
    });
    await expect(rawRequest(url, { method: 'GET', path: '/cut' })).rejects.toThrow(
      /connection closed before a complete response|ECONNRESET/,
    );
  });
});
