import type { CorsOptions } from '@cors/core';
import type { RequestScenario } from '../types.js';
import {
  ALLOW_HEADERS,
  APP,
  design,
  EVIL,
  fetchSpec,
  PREFLIGHT_ONLY_HEADERS,
  simple,
} from './support.js';

const listed: CorsOptions = { origin: [APP] };
const everything: CorsOptions = {
  origin: [APP],
  credentials: true,
  exposedHeaders: ['X-Request-Id', 'X-Total-Count'],
  maxAge: 600,
};
const star: CorsOptions = { origin: '*' };

const CORS_RESPONSE_HEADERS = [...ALLOW_HEADERS, 'access-control-expose-headers'];

/** Requests that are not CORS, actual CORS requests, and OPTIONS requests that are not preflights. */
export const requestScenarios: RequestScenario[] = [
  // Not CORS: no Origin
  {
    id: 'not-cors.no-cors-headers',
    name: 'MUST send no CORS header in answer to a request without Origin',
    level: 'MUST',
    options: everything,
    request: simple('GET', '/resource'),
    expect: {
      status: 200,
      handlerRan: true,
      headersAbsent: [...CORS_RESPONSE_HEADERS, 'access-control-max-age'],
    },
    source: [design('request without Origin'), fetchSpec('http-requests')],
  },
  {
    id: 'not-cors.vary-origin',
    name: 'MUST add Vary: Origin to a request without Origin when the answer depends on the origin',
    level: 'MUST',
    options: listed,
    request: simple('GET', '/resource'),
    expect: { status: 200, handlerRan: true, varyIncludes: ['Origin'] },
    source: [design('request without Origin'), fetchSpec('cors-protocol-and-http-caches')],
  },
  {
    id: 'not-cors.post',
    name: 'MUST let a POST without Origin reach the application untouched',
    level: 'MUST',
    options: listed,
    request: {
      method: 'POST',
      path: '/resource',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    },
    expect: { status: 200, handlerRan: true, headersAbsent: CORS_RESPONSE_HEADERS },
    source: [design('request without Origin')],
  },
  {
    id: 'not-cors.star',
    name: "MUST send Access-Control-Allow-Origin: * to a request without Origin with origin '*', as to every request",
    level: 'MUST',
    options: star,
    request: simple('GET', '/resource'),
    expect: {
      status: 200,
      handlerRan: true,
      headersEqual: { 'access-control-allow-origin': '*' },
      headersAbsent: ['access-control-allow-credentials'],
      decision: { kind: 'not-cors', allowed: true },
    },
    source: [design("origin: '*'"), fetchSpec('cors-protocol-and-http-caches')],
  },
  {
    id: 'not-cors.star-vary',
    name: "MUST NOT add Vary: Origin with origin '*': the answer is the same for every origin, so shared caches may share it",
    level: 'MUST',
    options: star,
    request: simple('GET', '/resource'),
    expect: { status: 200, handlerRan: true, varyExcludes: ['Origin'] },
    source: [
      design("origin: '*'"),
      fetchSpec('cors-protocol-and-http-caches'),
      'https://github.com/expressjs/cors/issues/332',
    ],
  },
  {
    id: 'not-cors.options-with-request-method',
    name: 'MUST hand an OPTIONS with Access-Control-Request-Method but no Origin to the application',
    level: 'MUST',
    options: listed,
    request: simple('OPTIONS', '/resource', undefined, { 'access-control-request-method': 'PUT' }),
    expect: { status: 200, handlerRan: true, headersAbsent: CORS_RESPONSE_HEADERS },
    source: [design('request without Origin'), fetchSpec('http-requests')],
  },

  // Actual requests
  {
    id: 'actual.allowed.post',
    name: 'MUST let an allowed POST through with Access-Control-Allow-Origin',
    level: 'MUST',
    options: listed,
    request: {
      method: 'POST',
      path: '/resource',
      headers: { origin: APP, 'content-type': 'text/plain' },
      body: 'hello',
    },
    expect: {
      status: 200,
      handlerRan: true,
      body: 'ok',
      headersEqual: { 'access-control-allow-origin': APP },
      headersAbsent: PREFLIGHT_ONLY_HEADERS,
    },
    browser: {
      request: { method: 'POST', headers: { 'Content-Type': 'text/plain' } },
      verdict: 'allowed',
    },
    source: [fetchSpec('http-responses'), 'fetch/api/cors/cors-no-preflight.any.js'],
  },
  {
    id: 'actual.allowed.head',
    name: 'MUST answer an allowed HEAD with Access-Control-Allow-Origin',
    level: 'MUST',
    options: listed,
    request: simple('HEAD', '/resource', APP),
    expect: { status: 200, headersEqual: { 'access-control-allow-origin': APP } },
    browser: { request: { method: 'HEAD' }, verdict: 'allowed' },
    source: [fetchSpec('cors-safelisted-method')],
  },
  {
    id: 'actual.allowed.delete',
    name: 'MUST send Access-Control-Allow-Origin on an allowed DELETE (after its preflight)',
    level: 'MUST',
    options: listed,
    request: simple('DELETE', '/resource', APP),
    expect: { status: 200, handlerRan: true, headersEqual: { 'access-control-allow-origin': APP } },
    browser: { request: { method: 'DELETE' }, verdict: 'allowed' },
    source: [fetchSpec('http-responses')],
  },
  {
    id: 'actual.refused.goes-on',
    name: "MUST let a refused origin's POST reach the application, with no Access-Control-Allow-* header and Vary: Origin",
    level: 'MUST',
    options: listed,
    request: {
      method: 'POST',
      path: '/resource',
      headers: { origin: EVIL, 'content-type': 'text/plain' },
      body: 'hello',
    },
    expect: {
      status: 200,
      handlerRan: true,
      headersAbsent: ALLOW_HEADERS,
      varyIncludes: ['Origin'],
    },
    browser: {
      request: { method: 'POST', headers: { 'Content-Type': 'text/plain' } },
      verdict: 'blocked',
      code: 'MissingAllowOriginHeader',
    },
    source: [design('disallowed origin, actual request'), fetchSpec('cors-check')],
  },
  {
    id: 'actual.refused.nothing-exposed',
    name: 'MUST send neither credentials nor exposed headers to a refused origin',
    level: 'MUST',
    options: everything,
    request: simple('GET', '/resource', EVIL),
    expect: { status: 200, handlerRan: true, headersAbsent: CORS_RESPONSE_HEADERS },
    source: [design('disallowed origin, actual request')],
  },
  {
    id: 'actual.refused.never-500',
    name: 'MUST NOT turn a refused origin into an error: a DELETE from it still reaches the application',
    level: 'MUST',
    options: listed,
    request: simple('DELETE', '/resource', EVIL),
    expect: { status: 200, handlerRan: true, headersAbsent: ALLOW_HEADERS },
    source: [design('disallowed origin, actual request')],
  },

  // OPTIONS that is not a preflight
  {
    id: 'options.not-preflight.reaches-app',
    name: 'MUST hand an OPTIONS with Origin but no Access-Control-Request-Method to the application',
    level: 'MUST',
    options: listed,
    request: simple('OPTIONS', '/resource', APP),
    expect: {
      status: 200,
      handlerRan: true,
      headersEqual: { 'access-control-allow-origin': APP },
      headersAbsent: PREFLIGHT_ONLY_HEADERS,
    },
    source: [
      design('OPTIONS without Access-Control-Request-Method'),
      'https://github.com/fastify/fastify-cors/issues/88',
    ],
  },
  {
    id: 'options.not-preflight.refused-origin',
    name: 'MUST hand a non-preflight OPTIONS from a refused origin to the application, not answer 403',
    level: 'MUST',
    options: listed,
    request: simple('OPTIONS', '/resource', EVIL),
    expect: {
      status: 200,
      handlerRan: true,
      headersAbsent: ALLOW_HEADERS,
      varyIncludes: ['Origin'],
    },
    source: [design('OPTIONS without Access-Control-Request-Method')],
  },
  {
    id: 'options.not-preflight.auth',
    name: "MUST let a non-preflight OPTIONS to /private meet the application's auth check (401)",
    level: 'MUST',
    options: listed,
    request: simple('OPTIONS', '/private', APP),
    expect: {
      status: 401,
      handlerRan: false,
      headersEqual: { 'access-control-allow-origin': APP },
    },
    source: [design('OPTIONS without Access-Control-Request-Method'), design('error responses')],
  },
  {
    id: 'options.not-preflight.unknown-route',
    name: "MUST let a non-preflight OPTIONS to an unknown path reach the framework's 404",
    level: 'MUST',
    options: listed,
    request: simple('OPTIONS', '/nowhere', APP),
    expect: {
      status: 404,
      handlerRan: false,
      headersEqual: { 'access-control-allow-origin': APP },
    },
    source: [design('OPTIONS without Access-Control-Request-Method')],
  },
];
