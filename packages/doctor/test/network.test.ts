// How the doctor reports a request that got no answer: each failure is a ProbeError whose kind
// the CLI maps to exit code 2, with a message that says what happened.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { diagnose, ProbeError } from '../src/index.js';
import { type Running, serve } from './serve.js';

const ORIGIN = 'https://app.example.com';

let running: Running | undefined;
let raw: Server | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
  await new Promise((resolve) => (raw ? raw.close(resolve) : resolve(undefined)));
  raw = undefined;
});

async function failure(url: string, timeout?: number): Promise<ProbeError> {
  const error = await diagnose(url, { origin: ORIGIN, ...(timeout ? { timeout } : {}) }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProbeError);
  return error as ProbeError;
}

/** A raw TCP server on 127.0.0.1:0 that does `onSocket` with each connection. */
async function tcp(onSocket: (socket: import('node:net').Socket) => void): Promise<string> {
  raw = createServer(onSocket);
  await new Promise<void>((resolve) => raw!.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(raw.address() as { port: number }).port}`;
}

describe('network failures', () => {
  it('reports a refused connection', async () => {
    running = await serve((_req, res) => res.end());
    const { url } = running;
    await running.close();
    running = undefined;
    const error = await failure(`${url}/`);
    expect(error.kind).toBe('refused');
    expect(error.message).toMatch(
      /^@cors\/doctor: connection refused by 127\.0\.0\.1:\d+; is the server running/,
    );
  });

  it('reports a host that does not resolve', async () => {
    const error = await failure('http://no-such-host.invalid/');
    expect(error.kind).toBe('dns');
    expect(error.message).toContain('cannot resolve no-such-host.invalid');
  });

  it('reports a server that never answers within the timeout', async () => {
    // Reads the request (so it sees the client hang up) but never answers.
    const host = await tcp((socket) => socket.resume());
    const error = await failure(`http://${host}/`, 200);
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('did not answer the GET within 200 ms');
  });

  it('reports a TLS failure when https meets a plain-http port', async () => {
    running = await serve((_req, res) => res.end());
    const error = await failure(running.url.replace('http:', 'https:'));
    expect(error.kind).toBe('tls');
    expect(error.message).toContain('TLS handshake with 127.0.0.1');
  });

  it('reports a connection closed before any answer', async () => {
    const host = await tcp((socket) => socket.once('data', () => socket.destroy()));
    const error = await failure(`http://${host}/`);
    expect(error.kind).toBe('reset');
    expect(error.message).toContain('closed the connection before answering the GET');
  });
});
