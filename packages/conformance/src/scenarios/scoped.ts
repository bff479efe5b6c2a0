import type { CorsOptions } from '@cors/core';
import type { RequestScenario, Scenario } from '../types.js';
import { ALLOW_HEADERS, APP, design, PARTNER, preflight, simple } from './support.js';

const global: CorsOptions = { origin: [APP] };
const route: CorsOptions = { origin: [PARTNER], methods: ['GET', 'PUT'], maxAge: 60 };
const invalidRoute: CorsOptions = { origin: '*', credentials: true };

const FASTIFY_ROUTE_CONFIG = 'https://github.com/fastify/fastify-cors/pull/384';

const scopedTo = (
  scenario: Omit<RequestScenario, 'options' | 'scoped' | 'perRoute' | 'level'>,
  scoped: CorsOptions | false = route,
): RequestScenario => ({ ...scenario, level: 'MUST', options: global, scoped, perRoute: true });

/** Per-route configuration (`/scoped`), on frameworks that have it. */
export const scopedScenarios: Scenario[] = [
  scopedTo({
    id: 'scoped.own-origin',
    name: "MUST apply a route's own options to its actual requests",
    request: simple('GET', '/scoped', PARTNER),
    expect: {
      status: 200,
      handlerRan: true,
      body: 'scoped',
      headersEqual: { 'access-control-allow-origin': PARTNER },
      varyIncludes: ['Origin'],
    },
    browser: { request: { method: 'GET' }, verdict: 'allowed' },
    source: [design('options compatible with cors'), FASTIFY_ROUTE_CONFIG],
  }),
  scopedTo({
    id: 'scoped.global-origin-refused',
    name: 'MUST refuse on a route an origin only the global options allow',
    request: simple('GET', '/scoped', APP),
    expect: {
      status: 200,
      handlerRan: true,
      headersAbsent: ALLOW_HEADERS,
      varyIncludes: ['Origin'],
    },
    source: [design('disallowed origin, actual request')],
  }),
  scopedTo({
    id: 'scoped.preflight',
    name: "MUST answer a route's preflight with the route's own options",
    request: preflight(PARTNER, 'PUT', undefined, '/scoped'),
    expect: {
      status: 204,
      handlerRan: false,
      headersEqual: {
        'access-control-allow-origin': PARTNER,
        'access-control-allow-methods': 'GET,PUT',
        'access-control-max-age': '60',
      },
    },
    browser: { request: { method: 'PUT' }, verdict: 'allowed' },
    source: [design('preflight'), FASTIFY_ROUTE_CONFIG],
  }),
  scopedTo({
    id: 'scoped.preflight-global-origin-refused',
    name: "MUST answer 403 to a route's preflight from an origin only the global options allow",
    request: preflight(APP, 'PUT', undefined, '/scoped'),
    expect: { status: 403, handlerRan: false, headersAbsent: ALLOW_HEADERS },
    source: [design('preflight')],
  }),
  scopedTo({
    id: 'scoped.other-routes-global',
    name: 'MUST keep the global options on the other routes',
    request: simple('GET', '/resource', APP),
    expect: { status: 200, handlerRan: true, headersEqual: { 'access-control-allow-origin': APP } },
    source: [design('options compatible with cors')],
  }),
  scopedTo(
    {
      id: 'scoped.disabled',
      name: 'MUST send no CORS header on a route where CORS is turned off (scoped: false)',
      request: simple('GET', '/scoped', APP),
      expect: { status: 200, handlerRan: true, body: 'scoped', headersAbsent: ALLOW_HEADERS },
      source: [FASTIFY_ROUTE_CONFIG],
    },
    false,
  ),
  scopedTo(
    {
      id: 'scoped.disabled-preflight',
      name: 'MUST hand a preflight to the route itself where CORS is turned off',
      request: preflight(APP, 'PUT', undefined, '/scoped'),
      expect: { status: 200, handlerRan: true, body: 'scoped', headersAbsent: ALLOW_HEADERS },
      source: [FASTIFY_ROUTE_CONFIG],
    },
    false,
  ),
  {
    id: 'scoped.config-error',
    name: "MUST refuse to start when a route's options are invalid",
    level: 'MUST',
    options: global,
    scoped: invalidRoute,
    perRoute: true,
    expect: { configError: true },
    source: [design("'*' with credentials: true")],
  },
];
