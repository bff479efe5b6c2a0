// Real servers for the doctor's tests: a plain node:http server on 127.0.0.1:0, and the
// misconfigured servers of the causes the doctor recognises, each with the fetch() that meets it.
// test/causes.test.ts diagnoses every one of them; apps/example/test/browser/doctor.browser.test.ts
// makes the same fetch() from a page in Chromium and holds the doctor to Chromium's verdict and
// console line, so a server added here is checked against the browser too.
import { createServer, type IncomingMessage, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CorsDecision, type CorsOptions, createCorsPolicy, readCorsRequest } from '@cors/core';

export interface Running {
  /** `http://127.0.0.1:PORT` */
  url: string;
  close(): Promise<void>;
}

/** Starts a plain node:http server on 127.0.0.1, port 0. */
export async function serve(handler: RequestListener): Promise<Running> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The page's origin in every cause. */
export const ORIGIN = 'https://app.example.com';
/** The path the page fetches. */
export const PATH = '/items';

/** A misconfigured server and the `fetch()` (from a page of {@link ORIGIN}) that meets it. */
export interface CauseServer {
  handler: RequestListener;
  /** `fetch(url, { method, headers, credentials: credentials ? 'include' : 'same-origin' })`. */
  request?: { method?: string; headers?: Record<string, string>; credentials?: boolean };
}

const isPreflight = (req: IncomingMessage) =>
  req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;

/** A node:http server that does CORS right, with @cors/core's policy. */
function corsServer(options: CorsOptions): RequestListener {
  const policy = createCorsPolicy(options);
  return (req, res) => {
    const decision = policy.evaluate(readCorsRequest(req.method, req.headers)) as CorsDecision;
    for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
    if (decision.status !== undefined) res.statusCode = decision.status;
    res.end(decision.status === undefined ? 'ok' : undefined);
  };
}

/** Answers every request with one fixed `Access-Control-Allow-Origin`. */
const allowOrigin = (value: string | string[]): CauseServer => ({
  handler: (_req, res) => {
    res.setHeader('Access-Control-Allow-Origin', value);
    res.end('ok');
  },
});

/** Access-Control-Allow-Origin values that miss {@link ORIGIN}, by the usual mistake. */
export const MISMATCHED_ORIGINS = {
  'a trailing slash': 'https://app.example.com/',
  'another scheme': 'http://app.example.com',
  'another port': 'https://app.example.com:8443',
  www: 'https://www.app.example.com',
  'letter case': 'https://App.example.com',
} as const;

const servers = {
  'no CORS headers': { handler: (_req, res) => res.end('ok') },

  'auth before CORS (preflight 401)': {
    handler: (req, res) => {
      if (!req.headers.authorization) {
        res.statusCode = 401;
        res.end('unauthorized');
        return;
      }
      res.setHeader('Access-Control-Allow-Origin', ORIGIN);
      res.end('secret');
    },
    request: { headers: { Authorization: 'Bearer t' } },
  },

  'no OPTIONS route (preflight 404)': {
    handler: (req, res) => {
      if (req.method === 'PUT') {
        res.setHeader('Access-Control-Allow-Origin', ORIGIN);
        res.end('saved');
        return;
      }
      res.statusCode = 404;
      res.end('not found');
    },
    request: { method: 'PUT' },
  },

  // A real @cors/core policy that lists another origin: it answers 403, Vary: Origin.
  'origin not listed': {
    handler: corsServer({ origin: 'https://other.example.com' }),
    request: { method: 'DELETE' },
  },

  ...(Object.fromEntries(
    Object.entries(MISMATCHED_ORIGINS).map(([name, allowed]) => [
      `origin mismatch: ${name}`,
      allowOrigin(allowed),
    ]),
  ) as Record<`origin mismatch: ${keyof typeof MISMATCHED_ORIGINS}`, CauseServer>),

  'Access-Control-Allow-Origin twice': allowOrigin([ORIGIN, ORIGIN]),
  'a list of origins': allowOrigin(`${ORIGIN}, https://admin.example.com`),
  'a pattern as the origin': allowOrigin('*.example.com'),

  'wildcard with credentials': {
    handler: allowOrigin('*').handler,
    request: { credentials: true },
  },

  'credentials without Access-Control-Allow-Credentials': {
    handler: allowOrigin(ORIGIN).handler,
    request: { credentials: true },
  },

  // A proxy adds CORS headers, the app answers the preflight 401.
  'preflight 401 with CORS headers': {
    handler: (_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', ORIGIN);
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH');
      res.statusCode = 401;
      res.end();
    },
    request: { method: 'PATCH' },
  },

  'preflight redirected': {
    handler: (req, res) => {
      res.setHeader('Access-Control-Allow-Origin', ORIGIN);
      if (isPreflight(req)) {
        res.statusCode = 301;
        res.setHeader('Location', `${PATH}/`);
      }
      res.end();
    },
    request: { method: 'DELETE' },
  },

  'method not allowed': {
    handler: (req, res) => {
      res.setHeader('Access-Control-Allow-Origin', ORIGIN);
      if (isPreflight(req)) {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
        res.statusCode = 204;
      }
      res.end();
    },
    request: { method: 'PURGE' },
  },

  "lower-case 'patch'": {
    handler: (req, res) => {
      res.setHeader('Access-Control-Allow-Origin', ORIGIN);
      if (isPreflight(req)) res.setHeader('Access-Control-Allow-Methods', 'GET, PATCH');
      res.end();
    },
    request: { method: 'patch' },
  },

  'header not allowed': {
    handler: (req, res) => {
      res.setHeader('Access-Control-Allow-Origin', ORIGIN);
      if (isPreflight(req)) res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
      res.end();
    },
    request: {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Trace': 'abc' },
    },
  },

  'Access-Control-Allow-Methods unparsable': {
    handler: (req, res) => {
      res.setHeader('Access-Control-Allow-Origin', ORIGIN);
      if (isPreflight(req)) res.setHeader('Access-Control-Allow-Methods', 'GET POST PUT');
      res.end();
    },
    request: { method: 'PUT' },
  },

  'cacheable without Vary: Origin': {
    handler: (_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', ORIGIN);
      res.setHeader('Cache-Control', 'public, max-age=600');
      res.end('ok');
    },
  },

  // A shared cache stored the answer for another origin (Age) and serves it without Vary.
  'cached for another origin': {
    handler: (_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', 'https://admin.example.com');
      res.setHeader('Age', '120');
      res.end('ok');
    },
  },

  'cacheable with Vary: Origin': {
    handler: (_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', ORIGIN);
      res.setHeader('Cache-Control', 'public, max-age=600');
      res.setHeader('Vary', 'Accept-Encoding, Origin');
      res.end('ok');
    },
  },

  correct: {
    handler: corsServer({ origin: ORIGIN, credentials: true }),
    request: {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' },
      credentials: true,
    },
  },
} satisfies Record<string, CauseServer>;

export type CauseName = keyof typeof servers;
/** Every misconfigured server of test/causes.test.ts, by name. */
export const causes: Readonly<Record<CauseName, CauseServer>> = servers;
