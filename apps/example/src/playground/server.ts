// The playground's server. It serves the page, starts the adapter the page picked with the options
// it edited (one target at a time, on its own port, so the page's fetch() is cross-origin), and
// replays the page's request raw against that target: the preflight a browser would send, then the
// actual request, each checked with @cors/core's browser model. The page shows the browser's own
// verdict beside the headers it cannot see and the model's console line, explanation and fix.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type RawHeaders,
  type RawResponse,
  rawRequest,
  type StartedServer,
  type StartServer,
} from '@cors/conformance';
import {
  type BrowserCheck,
  type BrowserRequest,
  CorsConfigError,
  type CorsOptions,
  type CorsWarning,
  checkPreflight,
  checkResponse,
  createCorsPolicy,
  needsPreflight,
  preflightRequestHeaders,
} from '@cors/core';
import { type Explanation, explainBlocked, preflightReason } from './explain.js';
import { renderPage } from './page.js';

/** What {@link startPlayground} needs. */
export interface PlaygroundOptions {
  /** Adapter name -> its contract `start` factory (apps/example/src/servers.ts). */
  servers: Readonly<Record<string, StartServer>>;
  /** The options the editor starts with (plain data: they are shown as JSON). */
  initial: CorsOptions;
  /** The adapter selected at first. @default the first of `servers` */
  adapter?: string;
}

/** A running playground. */
export interface Playground {
  /** `http://127.0.0.1:PORT/`: open it in a browser. */
  url: string;
  /** Stops the playground and the target it started. */
  close(): Promise<void>;
}

/** Why the target could not start: bad JSON, a `CorsConfigError`, or the framework failing. */
export interface TargetError {
  kind: 'json' | 'config' | 'start';
  message: string;
  issues?: ReadonlyArray<{ option: string; message: string; fix: string }>;
}

/** One request of the replay and its response, headers as sent and received (case and order kept). */
export interface ReplayedExchange {
  sent: { method: string; path: string; headers: Array<[string, string]> };
  received: { status: number; statusText: string; headers: Array<[string, string]>; body: string };
  check: BrowserCheck;
}

/** The answer to `POST /api/explain`. */
export interface PlaygroundReport extends Explanation {
  verdict: 'allowed' | 'blocked';
  /** Chromium's console line when blocked. */
  message?: string;
  code?: string;
  preflight?: ReplayedExchange & { reason: string };
  actual?: ReplayedExchange;
}

interface Target {
  adapter: string;
  config: string;
  options: Record<string, unknown>;
  server: StartedServer;
}

const MAX_BODY = 64 * 1024;

/**
 * Starts the playground on 127.0.0.1, port 0.
 *
 * @example
 * ```ts
 * const playground = await startPlayground({ servers, initial: { origin: ['http://localhost:5173'] } });
 * console.log(`playground: ${playground.url}`);
 * ```
 */
export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const adapters = Object.keys(options.servers);
  let target: Target | undefined;
  // Starts and stops are serialised: a second click never races the first.
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => {});
    return next;
  };

  const useTarget = (adapter: string, config: string) =>
    serialised(async (): Promise<{ url: string; warnings: CorsWarning[] } | TargetError> => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(config);
      } catch (error) {
        return {
          kind: 'json',
          message: `The options are not valid JSON: ${(error as Error).message}`,
        };
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        return { kind: 'json', message: 'The options must be a JSON object: { "origin": [...] }' };
      }
      const warnings: CorsWarning[] = [];
      const quiet = {
        ...parsed,
        onWarning: (w: CorsWarning) => warnings.push(w),
      } as unknown as CorsOptions;
      try {
        createCorsPolicy(quiet);
      } catch (error) {
        return describeStartError(error);
      }
      if (target?.adapter === adapter && target.config === config) {
        return { url: target.server.url, warnings };
      }
      await target?.server.close();
      target = undefined;
      try {
        const server = await options.servers[adapter]!({ ...quiet, onWarning: () => {} });
        target = { adapter, config, options: parsed as Record<string, unknown>, server };
        return { url: server.url, warnings };
      } catch (error) {
        return describeStartError(error);
      }
    });

  let ownOrigin = '';
  const http = createServer(async (req, res) => {
    try {
      // Only the page itself may drive the playground: a cross-site form or fetch() is refused.
      if (
        req.method === 'POST' &&
        req.headers.origin !== undefined &&
        req.headers.origin !== ownOrigin
      ) {
        return sendJson(res, 403, { error: 'only the playground page may call its API' });
      }
      if (req.method === 'GET' && (req.url === '/' || req.url?.startsWith('/?'))) {
        const page = renderPage({
          adapters,
          adapter: options.adapter ?? adapters[0] ?? '',
          config: JSON.stringify(options.initial, null, 2),
        });
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
        });
        res.end(page);
        return;
      }
      if (req.method === 'POST' && req.url === '/api/target') {
        const body = (await readJson(req)) as { adapter?: unknown; config?: unknown };
        if (typeof body.adapter !== 'string' || !adapters.includes(body.adapter)) {
          return sendJson(res, 400, { error: `unknown adapter ${JSON.stringify(body.adapter)}` });
        }
        if (typeof body.config !== 'string')
          return sendJson(res, 400, { error: 'config: a string' });
        const result = await useTarget(body.adapter, body.config);
        return sendJson(
          res,
          200,
          'kind' in result ? { ok: false, error: result } : { ok: true, ...result },
        );
      }
      if (req.method === 'POST' && req.url === '/api/explain') {
        const current = target;
        if (!current)
          return sendJson(res, 409, { error: 'no target server: send the options first' });
        const request = readExplainRequest(await readJson(req));
        if (typeof request === 'string') return sendJson(res, 400, { error: request });
        return sendJson(res, 200, await replay(current, request));
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    } catch (error) {
      sendJson(res, error instanceof SyntaxError ? 400 : 500, { error: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  ownOrigin = `http://127.0.0.1:${port}`;

  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      serialised(async () => {
        await target?.server.close();
        target = undefined;
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        });
      }),
  };
}

function describeStartError(error: unknown): TargetError {
  if (
    error instanceof CorsConfigError ||
    (error as Error | undefined)?.name === 'CorsConfigError'
  ) {
    const { message, issues } = error as CorsConfigError;
    return {
      kind: 'config',
      message,
      issues: issues.map(({ option, message, fix }) => ({ option, message, fix })),
    };
  }
  return { kind: 'start', message: error instanceof Error ? error.message : String(error) };
}

interface ExplainRequest {
  path: string;
  origin: string;
  method: string;
  headers: Record<string, string>;
  credentials: 'omit' | 'same-origin' | 'include';
  body?: string;
}

function readExplainRequest(value: unknown): ExplainRequest | string {
  const v = (value ?? {}) as Record<string, unknown>;
  if (typeof v.path !== 'string' || !v.path.startsWith('/'))
    return 'path: a string starting with /';
  if (typeof v.origin !== 'string') return 'origin: a string';
  if (typeof v.method !== 'string' || v.method === '') return 'method: a string';
  const headers = (v.headers ?? {}) as Record<string, unknown>;
  if (typeof headers !== 'object' || Object.values(headers).some((h) => typeof h !== 'string')) {
    return 'headers: an object of strings';
  }
  const credentials = v.credentials ?? 'same-origin';
  if (credentials !== 'omit' && credentials !== 'same-origin' && credentials !== 'include') {
    return "credentials: 'omit', 'same-origin' or 'include'";
  }
  return {
    path: v.path,
    origin: v.origin,
    method: v.method,
    headers: headers as Record<string, string>,
    credentials,
    ...(typeof v.body === 'string' && v.body !== '' ? { body: v.body } : {}),
  };
}

/** Sends what the browser would, in order, and checks each answer with the browser model. */
async function replay(target: Target, input: ExplainRequest): Promise<PlaygroundReport> {
  const request: BrowserRequest = {
    url: target.server.url + input.path,
    origin: input.origin,
    method: input.method,
    headers: input.headers,
    credentials: input.credentials,
  };
  const asked = preflightRequestHeaders(request);
  const send = async (method: string, headers: Array<[string, string]>, body?: string) => {
    const response: RawResponse = await rawRequest(target.server.url, {
      method,
      path: input.path,
      headers: headers as RawHeaders,
      ...(body !== undefined ? { body } : {}),
    });
    return {
      sent: { method, path: input.path, headers },
      received: {
        status: response.status,
        statusText: response.statusText,
        headers: response.rawHeaders,
        body: response.body.length > 2000 ? `${response.body.slice(0, 2000)}…` : response.body,
      },
      response: { status: response.status, headers: response.headers },
    };
  };

  const report: Omit<PlaygroundReport, 'verdict' | 'explanation' | 'fix'> = {};
  if (needsPreflight(request)) {
    const exchange = await send('OPTIONS', Object.entries(asked.headers));
    const check = checkPreflight(request, exchange.response);
    report.preflight = {
      sent: exchange.sent,
      received: exchange.received,
      check,
      reason: preflightReason(request),
    };
    if (!check.ok) return blocked(report, check, request, exchange.response, target.options);
  }
  const body =
    input.body !== undefined && !['GET', 'HEAD'].includes(asked.method) ? input.body : undefined;
  const headers: Array<[string, string]> = [
    ['Origin', input.origin],
    ...Object.entries(input.headers),
  ];
  // fetch() labels a string body text/plain (a safelisted type) unless the script set a type.
  if (body !== undefined && !headers.some(([n]) => n.toLowerCase() === 'content-type')) {
    headers.push(['Content-Type', 'text/plain;charset=UTF-8']);
  }
  const exchange = await send(asked.method, headers, body);
  const check = checkResponse(request, exchange.response);
  report.actual = { sent: exchange.sent, received: exchange.received, check };
  if (!check.ok) return blocked(report, check, request, exchange.response, target.options);
  return {
    ...report,
    verdict: 'allowed',
    explanation: `The browser hands the response (status ${exchange.response.status}) to the page.`,
    fix: '',
  };
}

function blocked(
  report: Omit<PlaygroundReport, 'verdict' | 'explanation' | 'fix'>,
  check: Extract<BrowserCheck, { ok: false }>,
  request: BrowserRequest,
  response: RawResponse | { status: number; headers: RawResponse['headers'] },
  options: Record<string, unknown>,
): PlaygroundReport {
  return {
    ...report,
    verdict: 'blocked',
    code: check.code,
    message: check.message,
    ...explainBlocked(check, request, response, options),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(value));
}
