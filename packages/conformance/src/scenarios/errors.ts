import type { CorsOptions } from '@cors/core';
import type { RequestScenario } from '../types.js';
import { ALLOW_HEADERS, APP, design, EVIL, simple } from './support.js';

const everything: CorsOptions = {
  origin: [APP],
  credentials: true,
  exposedHeaders: ['X-Request-Id', 'X-Total-Count'],
};

const keepsHeaders = (status: number) => ({
  status,
  handlerRan: false,
  headersEqual: {
    'access-control-allow-origin': APP,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'X-Request-Id,X-Total-Count',
  },
  varyIncludes: ['Origin'],
});
const readable = {
  request: { method: 'GET', credentials: 'include' },
  verdict: 'allowed',
} as const;

const KOA_ISSUE = 'https://github.com/koajs/cors/issues/21';
const KOA_ONERROR = 'https://github.com/koajs/koa/issues/411';

/** The framework's own 4xx and 5xx keep the CORS headers, so the page can read the error. */
export const errorScenarios: RequestScenario[] = [
  {
    id: 'errors.auth-401',
    name: "MUST keep the CORS headers on the auth check's 401",
    level: 'MUST',
    options: everything,
    request: simple('GET', '/private', APP),
    expect: keepsHeaders(401),
    browser: readable,
    source: [design('error responses'), KOA_ISSUE],
  },
  {
    id: 'errors.not-found-404',
    name: "MUST keep the CORS headers on the framework's 404 for an unknown path",
    level: 'MUST',
    options: everything,
    request: simple('GET', '/nowhere', APP),
    expect: keepsHeaders(404),
    browser: readable,
    source: [design('error responses')],
  },
  {
    id: 'errors.thrown-500',
    name: "MUST keep the CORS headers on the framework's 500 for a throwing handler",
    level: 'MUST',
    options: everything,
    request: simple('GET', '/error', APP),
    expect: { ...keepsHeaders(500), handlerRan: undefined },
    browser: readable,
    source: [
      design('error responses'),
      KOA_ONERROR,
      'https://github.com/dotnet/aspnetcore/issues/2378',
    ],
  },
  {
    id: 'errors.thrown-500-post',
    name: 'MUST keep the CORS headers on a 500 answering a POST',
    level: 'MUST',
    options: everything,
    request: {
      method: 'POST',
      path: '/error',
      headers: { origin: APP, 'content-type': 'application/json' },
      body: '{"a":1}',
    },
    expect: { status: 500, headersEqual: { 'access-control-allow-origin': APP } },
    source: [design('error responses')],
  },
  {
    id: 'errors.private-authorised',
    name: 'MUST send the CORS headers on /private once authorised',
    level: 'MUST',
    options: everything,
    request: simple('GET', '/private', APP, { authorization: 'Bearer t' }),
    expect: {
      status: 200,
      handlerRan: true,
      body: 'secret',
      headersEqual: {
        'access-control-allow-origin': APP,
        'access-control-allow-credentials': 'true',
      },
    },
    browser: {
      request: { method: 'GET', headers: { Authorization: 'Bearer t' }, credentials: 'include' },
      verdict: 'allowed',
    },
    source: [design('error responses')],
  },
  {
    id: 'errors.refused-404',
    name: 'MUST send no Access-Control-Allow-* header on a 404 answering a refused origin, but Vary: Origin',
    level: 'MUST',
    options: everything,
    request: simple('GET', '/nowhere', EVIL),
    expect: { status: 404, headersAbsent: ALLOW_HEADERS, varyIncludes: ['Origin'] },
    source: [design('error responses'), design('disallowed origin, actual request')],
  },
  {
    id: 'errors.refused-401',
    name: 'MUST send no Access-Control-Allow-* header on a 401 answering a refused origin, but Vary: Origin',
    level: 'MUST',
    options: everything,
    request: simple('GET', '/private', EVIL),
    expect: { status: 401, headersAbsent: ALLOW_HEADERS, varyIncludes: ['Origin'] },
    source: [design('error responses'), design('Vary')],
  },
];
