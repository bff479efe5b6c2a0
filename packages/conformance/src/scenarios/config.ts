import type { CorsOptions } from '@cors/core';
import type { ConfigErrorScenario } from '../types.js';
import { APP, design, fetchSpec } from './support.js';

const refused = (
  id: string,
  name: string,
  options: CorsOptions,
  source: readonly string[],
  level: 'MUST' | 'SHOULD' = 'MUST',
): ConfigErrorScenario => ({
  id: `config.${id}`,
  name,
  level,
  options,
  source,
  expect: { configError: true },
});

/** Configurations that must be refused at start-up, each with a `CorsConfigError`. */
export const configScenarios: ConfigErrorScenario[] = [
  refused(
    'origin.required',
    'MUST refuse to start without an origin option (no silent default of *)',
    {} as CorsOptions,
    [design('no origin option')],
  ),
  refused(
    'origin.star-with-credentials',
    "MUST refuse origin '*' with credentials: true",
    { origin: '*', credentials: true },
    [
      design("'*' with credentials: true"),
      fetchSpec('cors-protocol-and-credentials'),
      'https://github.com/expressjs/cors/issues/119',
    ],
  ),
  refused(
    'origin.reflect-any',
    'MUST refuse origin: true (reflecting any origin is * with credentials in disguise)',
    { origin: true as unknown as CorsOptions['origin'], credentials: true },
    [design('reflect any origin (origin: true)'), 'https://github.com/expressjs/cors/issues/422'],
  ),
  refused(
    'origin.reflect-any-without-credentials',
    'MUST refuse origin: true even without credentials',
    { origin: true as unknown as CorsOptions['origin'] },
    [design('reflect any origin (origin: true)')],
  ),
  refused(
    'origin.regexp-global',
    'MUST refuse a RegExp with the g flag (its lastIndex allows an origin only on alternate requests)',
    { origin: /^https:\/\/app\.example\.com$/g },
    [
      design('RegExp'),
      'https://github.com/fastify/fastify-cors/issues/151',
      'https://github.com/medusajs/medusa/issues/16417',
    ],
  ),
  refused(
    'origin.regexp-sticky',
    'MUST refuse a RegExp with the y flag',
    { origin: [APP, /^https:\/\/admin\.example\.com$/y] },
    [design('RegExp'), 'https://github.com/medusajs/medusa/issues/16417'],
  ),
  refused(
    'origin.regexp-unanchored',
    'MUST refuse a RegExp that is not anchored with ^ and $',
    { origin: /example\.com/ },
    [design('RegExp'), 'https://github.com/expressjs/cors/pull/427'],
  ),
  refused(
    'origin.trailing-slash',
    'MUST refuse an exact origin with a trailing slash',
    { origin: 'https://app.example.com/' },
    [design('exact origins'), fetchSpec('origin-header')],
  ),
  refused(
    'origin.path',
    'MUST refuse an exact origin with a path',
    { origin: ['https://app.example.com/app'] },
    [design('exact origins')],
  ),
  refused(
    'origin.query',
    'MUST refuse an exact origin with a query',
    { origin: 'https://app.example.com?v=1' },
    [design('exact origins')],
  ),
  refused(
    'origin.userinfo',
    'MUST refuse an exact origin with user-info',
    { origin: 'https://user@app.example.com' },
    [design('exact origins')],
  ),
  refused(
    'origin.pattern-partial-label',
    'MUST refuse a wildcard that is not a whole label (https://a*.example.com)',
    { origin: 'https://a*.example.com' },
    [design('wildcard patterns')],
  ),
  refused(
    'origin.pattern-not-leftmost',
    'MUST refuse a wildcard label that is not the leftmost (https://app.*.com)',
    { origin: 'https://app.*.com' },
    [design('wildcard patterns')],
  ),
  refused(
    'methods.connect',
    'MUST refuse CONNECT among the methods',
    { origin: APP, methods: ['GET', 'CONNECT'] },
    [design('methods'), fetchSpec('forbidden-method')],
  ),
  refused(
    'methods.trace',
    'MUST refuse TRACE and TRACK among the methods',
    { origin: APP, methods: 'GET,TRACE,TRACK' },
    [design('methods'), fetchSpec('forbidden-method')],
  ),
  refused(
    'exposed.star-with-credentials',
    "MUST refuse exposedHeaders '*' with credentials (a literal * exposes nothing then)",
    { origin: APP, credentials: true, exposedHeaders: '*' },
    [design('exposed headers'), fetchSpec('http-access-control-expose-headers')],
  ),
  refused(
    'options-success-status.not-2xx',
    'MUST refuse an optionsSuccessStatus outside 200-299 (a preflight needs an ok status)',
    { origin: APP, optionsSuccessStatus: 404 },
    [design('preflight'), fetchSpec('cors-preflight-fetch')],
  ),
  refused('max-age.negative', 'MUST refuse a negative maxAge', { origin: APP, maxAge: -1 }, [
    design('maxAge'),
    fetchSpec('http-access-control-max-age'),
  ]),
  refused(
    'max-age.fraction',
    'MUST refuse a maxAge that is not whole seconds',
    { origin: APP, maxAge: 1.5 },
    [design('maxAge'), fetchSpec('http-access-control-max-age')],
  ),
];
