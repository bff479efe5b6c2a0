// The one CORS configuration every server of the HTTP benchmark uses, written for each package.
// Ten exact origins; the requests come from one in the middle of the list.
export const ORIGINS = Array.from({ length: 10 }, (_, i) => `https://app-${i}.example.com`);
export const ALLOWED_ORIGIN = ORIGINS[5]!;
export const REFUSED_ORIGIN = 'https://evil.example.net';
export const METHODS = ['GET', 'PUT'];
export const ALLOWED_HEADERS = ['content-type', 'x-request-id'];
export const MAX_AGE = 600;

/** @cors/* options, and the `cors` / @fastify/cors / NestJS `enableCors` options: same names. */
export const options = {
  origin: ORIGINS,
  methods: METHODS,
  allowedHeaders: ALLOWED_HEADERS,
  maxAge: MAX_AGE,
};

/** The requests, and what a correct CORS answer to each looks like (checked before timing). */
export const scenarios = {
  'GET allowed': {
    method: 'GET',
    headers: { origin: ALLOWED_ORIGIN },
    status: 200,
    allowOrigin: ALLOWED_ORIGIN,
  },
  'GET refused': {
    method: 'GET',
    headers: { origin: REFUSED_ORIGIN },
    status: 200,
    allowOrigin: null,
  },
  'preflight allowed': {
    method: 'OPTIONS',
    headers: {
      origin: ALLOWED_ORIGIN,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type',
    },
    status: 204,
    allowOrigin: ALLOWED_ORIGIN,
  },
} as const;
export type Scenario = keyof typeof scenarios;

export const FRAMEWORKS = [
  'node:http',
  'express',
  'koa',
  'fastify',
  'nest-express',
  'nest-fastify',
] as const;
export const PEERS: Record<(typeof FRAMEWORKS)[number], string> = {
  'node:http': 'cors',
  express: 'cors',
  koa: '@koa/cors',
  fastify: '@fastify/cors',
  'nest-express': 'enableCors (cors)',
  'nest-fastify': 'enableCors (@fastify/cors)',
};
