// Real servers for the doctor's tests: a plain node:http server on 127.0.0.1:0, and the
// misconfigured servers of the causes the doctor recognises, each with the fetch() that meets it.
// test/causes.test.ts diagnoses every one of them; apps/example/test/browser/doctor.browser.test.ts
// makes the same fetch() from a page in Chromium and holds the doctor to Chromium's verdict and
// console line, so a server added here is checked against the browser too.
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from 'node:http';
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

/**
 * Where a cause's two servers are: `main`, the one the page fetches, and `other`, on another
 * origin (another port) for redirects across origins; `here` is the one answering.
 */
export interface Sites {
  main: string;
  other: string;
  here: 'main' | 'other';
}

/** A cause's request handler; both of its servers run it. */
export type CauseHandler = (req: IncomingMessage, res: ServerResponse, sites: Sites) => void;

/** A misconfigured server and the `fetch()` (from a page of {@link ORIGIN}) that meets it. */
export interface CauseServer {
  handler: CauseHandler;
  /** `fetch(url, { method, headers, credentials: credentials ? 'include' : 'same-origin' })`. */
  request?: { method?: string; headers?: Record<string, string>; credentials?: boolean };
}

/**
 * Starts a cause's two servers, `main` (whose URL `url` is) and `other`. `onRequest` sees every
 * request either receives before the handler does.
 */
export async function serveCause(
  cause: CauseServer,
  onRequest?: (req: IncomingMessage, here: Sites['here']) => void,
): Promise<Running> {
  const sites = { main: '', other: '' };
  const listener =
    (here: Sites['here']): RequestListener =>
    (req, res) => {
      onRequest?.(req, here);
      cause.handler(req, res, { ...sites, here });
    };
  const [main, other] = await Promise.all([serve(listener('main')), serve(listener('other'))]);
  sites.main = main.url;
  sites.other = other.url;
  return {
    url: main.url,
    close: async () => {
      await Promise.all([main.close(), other.close()]);
    },
  };
}

const isPreflight = (req: IncomingMessage) =>
  req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;

/**
 * A node:http server that does CORS right, with @cors/core's policy. `redirect` may answer an
 * actual request with a redirect instead (the CORS headers set): `[status, location]`.
 */
function corsServer(
  options: CorsOptions,
  redirect?: (req: IncomingMessage, sites: Sites) => [number, string] | undefined,
): CauseHandler {
  const policy = createCorsPolicy(options);
  return (req, res, sites) => {
    const decision = policy.evaluate(readCorsRequest(req.method, req.headers)) as CorsDecision;
    for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
    if (decision.status !== undefined) res.statusCode = decision.status;
    const to = decision.status === undefined ? redirect?.(req, sites) : undefined;
    if (to) [res.statusCode] = to;
    if (to) res.setHeader('Location', to[1]);
    res.end(decision.status === undefined && !to ? 'ok' : undefined);
  };
}

/** Whether `req` is for the URL the page fetches ({@link PATH}, with the browser test's `?u=N`). */
const fetched = (req: IncomingMessage) => req.url === PATH || req.url?.startsWith(`${PATH}?`);

/** Answers a `status` redirect to `location`, with `headers` (by default the page's origin allowed). */
function redirect(
  res: ServerResponse,
  status: number,
  location: string | string[],
  headers: Record<string, string> = { 'Access-Control-Allow-Origin': ORIGIN },
): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Location', location);
  res.statusCode = status;
  res.end();
}

/** Redirects the fetched URL to `location` (of the answering server's `sites`); answers the rest with `Access-Control-Allow-Origin: allowed`. */
const redirectThen =
  (status: number, location: (sites: Sites) => string, allowed = ORIGIN): CauseHandler =>
  (req, res, sites) => {
    if (sites.here === 'main' && fetched(req)) return redirect(res, status, location(sites));
    res.setHeader('Access-Control-Allow-Origin', allowed);
    res.end('ok');
  };

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

  // Redirects of the actual request: Chromium checks every hop and names the first URL.
  'redirect to a path without CORS headers': {
    handler: (req, res) => (fetched(req) ? redirect(res, 301, `${PATH}/`) : res.end('ok')),
  },

  'redirect without CORS headers': {
    handler: (req, res) => {
      if (fetched(req)) return redirect(res, 301, `${PATH}/`, {});
      res.setHeader('Access-Control-Allow-Origin', ORIGIN);
      res.end('ok');
    },
  },

  'redirects with CORS headers at every hop': {
    handler: corsServer({ origin: ORIGIN }, (req) =>
      fetched(req)
        ? [302, `${PATH}/v2`]
        : req.url === `${PATH}/v2`
          ? [308, `${PATH}/v2/`]
          : undefined,
    ),
  },

  // Not simple: Chromium preflights the new URL too.
  'redirect of a preflighted request': {
    handler: corsServer({ origin: ORIGIN, credentials: true }, (req) =>
      fetched(req) ? [307, `${PATH}/`] : undefined,
    ),
    request: {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      credentials: true,
    },
  },

  '307 keeps the POST': {
    handler: redirectThen(307, () => `${PATH}/`),
    request: { method: 'POST', headers: { 'Content-Type': 'text/plain' } },
  },

  '303 turns a POST into a GET': {
    handler: redirectThen(303, () => `${PATH}/`),
    request: { method: 'POST', headers: { 'Content-Type': 'text/plain' } },
  },

  // After a redirect to another origin the request's Origin is null.
  'redirect to another origin that allows *': {
    handler: redirectThen(302, (sites) => `${sites.other}${PATH}`, '*'),
  },

  'redirect to another origin that allows the page origin': {
    handler: redirectThen(302, (sites) => `${sites.other}${PATH}`),
  },

  'redirect with credentials to another origin that allows *': {
    handler: (req, res, sites) => {
      if (sites.here === 'other') return allowOrigin('*').handler(req, res, sites);
      redirect(res, 302, `${sites.other}${PATH}`, {
        'Access-Control-Allow-Origin': ORIGIN,
        'Access-Control-Allow-Credentials': 'true',
      });
    },
    request: { credentials: true },
  },

  'redirect to another origin and back': {
    handler: (req, res, sites) => {
      if (req.url === `${PATH}/back`) return allowOrigin('*').handler(req, res, sites);
      const to = sites.here === 'main' ? `${sites.other}${PATH}` : `${sites.main}${PATH}/back`;
      redirect(res, 302, to, { 'Access-Control-Allow-Origin': '*' });
    },
  },

  'redirect of a preflighted request to another origin': {
    handler: corsServer({ origin: ORIGIN }, (_req, sites) =>
      sites.here === 'main' ? [307, `${sites.other}${PATH}`] : undefined,
    ),
    request: { method: 'PUT' },
  },

  'redirect loop': {
    handler: (req, res) => redirect(res, 302, req.url ?? PATH),
  },

  // Chromium keeps the passed preflight (5 s by default): one preflight, then 21 PUTs.
  'redirect loop of a preflighted request': {
    handler: corsServer({ origin: ORIGIN }, (req) => [307, req.url ?? PATH]),
    request: { method: 'PUT' },
  },

  'redirect to a URL with a password': {
    handler: redirectThen(302, (sites) => `${sites.main.replace('//', '//user:secret@')}${PATH}/`),
  },

  'redirect to data:': { handler: redirectThen(302, () => 'data:text/plain,ok') },

  'redirect to ftp:': { handler: redirectThen(302, () => `ftp://127.0.0.1${PATH}`) },

  'redirect to a bad port': { handler: redirectThen(302, () => `http://127.0.0.1:6000${PATH}`) },

  // The page is https://app.example.com: plain http elsewhere than loopback is mixed content.
  'redirect to plain http': { handler: redirectThen(301, () => `http://api.example.com${PATH}`) },

  'redirect to a Location that is not a URL': { handler: redirectThen(302, () => 'http://[x') },

  'two different Locations': {
    handler: (req, res) =>
      fetched(req) ? redirect(res, 302, [`${PATH}/a`, `${PATH}/b`]) : res.end('ok'),
  },
} satisfies Record<string, CauseServer>;

export type CauseName = keyof typeof servers;
/** Every misconfigured server of test/causes.test.ts, by name. */
export const causes: Readonly<Record<CauseName, CauseServer>> = servers;
