import type { CorsOptions } from '@cors/core';
import type { RequestScenario } from '../types.js';
import {
  ALLOW_HEADERS,
  APP,
  DEFAULT_METHODS,
  design,
  EVIL,
  fetchSpec,
  preflight,
} from './support.js';

const listed: CorsOptions = { origin: [APP] };
const everything: CorsOptions = {
  origin: [APP],
  credentials: true,
  exposedHeaders: ['X-Request-Id', 'X-Total-Count'],
  maxAge: 600,
  allowPrivateNetwork: true,
};
const status200: CorsOptions = { origin: [APP], optionsSuccessStatus: 200 };
const handOn: CorsOptions = { origin: [APP], preflightContinue: true };
const fewMethods: CorsOptions = { origin: [APP], methods: ['GET', 'POST'] };
const fewHeaders: CorsOptions = { origin: [APP], allowedHeaders: ['Content-Type', 'X-Custom'] };
const fewHeadersCredentials: CorsOptions = {
  origin: [APP],
  credentials: true,
  allowedHeaders: ['Content-Type', 'X-Custom'],
};

const answered = {
  status: 204,
  handlerRan: false,
  body: '',
  headersEqual: {
    'access-control-allow-origin': APP,
    'access-control-allow-methods': DEFAULT_METHODS,
  },
};
const refused = {
  status: 403,
  handlerRan: false,
  headersAbsent: [...ALLOW_HEADERS, 'access-control-max-age', 'access-control-expose-headers'],
  varyIncludes: ['Origin'],
};
const blockedPreflight = {
  request: { method: 'PUT' },
  verdict: 'blocked',
  code: 'PreflightMissingAllowOriginHeader',
} as const;

/** How preflights are answered: before anything else, with the right status and headers. */
export const preflightScenarios: RequestScenario[] = [
  {
    id: 'preflight.allowed.answered',
    name: 'MUST answer an allowed preflight with 204, Access-Control-Allow-Origin and the methods, before the route runs',
    level: 'MUST',
    options: listed,
    request: preflight(APP, 'PUT'),
    expect: answered,
    browser: { request: { method: 'PUT' }, verdict: 'allowed' },
    source: [
      design('preflight'),
      fetchSpec('cors-preflight-fetch'),
      'fetch/api/cors/cors-preflight.any.js',
    ],
  },
  {
    id: 'preflight.allowed.no-content-length-on-204',
    name: 'MUST NOT send Content-Length with a 204 preflight answer (RFC 9110 §8.6)',
    level: 'MUST',
    options: listed,
    request: preflight(APP, 'PUT'),
    expect: { status: 204, headersAbsent: ['content-length'] },
    source: ['https://www.rfc-editor.org/rfc/rfc9110#section-8.6', design('preflight')],
  },
  {
    id: 'preflight.allowed.content-length-200',
    name: 'SHOULD send Content-Length: 0 with a 200 preflight answer, so no client waits for a body',
    level: 'SHOULD',
    options: status200,
    request: preflight(APP, 'PUT'),
    expect: { status: 200, headersEqual: { 'content-length': '0' } },
    source: ['https://github.com/expressjs/cors/issues/120', design('preflight')],
  },
  {
    id: 'preflight.allowed.every-header',
    name: 'MUST answer an allowed preflight with every configured header: credentials, max-age, private network',
    level: 'MUST',
    options: everything,
    request: preflight(APP, 'PATCH', 'x-custom', '/resource', {
      'access-control-request-private-network': 'true',
    }),
    expect: {
      status: 204,
      handlerRan: false,
      headersEqual: {
        'access-control-allow-origin': APP,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': DEFAULT_METHODS,
        'access-control-allow-headers': 'x-custom',
        'access-control-max-age': '600',
        'access-control-allow-private-network': 'true',
      },
      headersAbsent: ['access-control-expose-headers'],
    },
    browser: {
      request: { method: 'PATCH', headers: { 'X-Custom': '1' }, credentials: 'include' },
      verdict: 'allowed',
    },
    source: [design('preflight'), fetchSpec('http-responses')],
  },
  {
    id: 'preflight.refused.403',
    name: 'MUST answer a preflight from a refused origin 403 with no Access-Control-Allow-* header, before the route runs',
    level: 'MUST',
    options: listed,
    request: preflight(EVIL, 'PUT'),
    expect: {
      ...refused,
      decision: { kind: 'preflight', allowed: false, reason: 'origin-not-allowed' },
    },
    browser: blockedPreflight,
    source: [design('preflight'), 'https://github.com/koajs/cors/issues/65'],
  },
  {
    id: 'preflight.refused.nothing-configured-leaks',
    name: "MUST NOT leak credentials, max-age or private-network permission to a refused origin's preflight",
    level: 'MUST',
    options: everything,
    request: preflight(EVIL, 'PUT', 'x-custom', '/resource', {
      'access-control-request-private-network': 'true',
    }),
    expect: refused,
    source: [
      design('preflight'),
      design('Access-Control-Allow-Credentials'),
      design('private network'),
    ],
  },
  {
    id: 'preflight.before-auth',
    name: 'MUST answer a preflight to /private before the auth check (no 401)',
    level: 'MUST',
    options: listed,
    request: preflight(APP, 'PUT', 'authorization', '/private'),
    expect: {
      status: 204,
      handlerRan: false,
      headersEqual: {
        'access-control-allow-origin': APP,
        'access-control-allow-headers': 'authorization',
      },
    },
    browser: {
      request: { method: 'PUT', headers: { Authorization: 'Bearer t' } },
      verdict: 'allowed',
    },
    source: [
      design('preflight'),
      fetchSpec('cors-preflight-fetch'),
      'https://github.com/fastify/fastify-cors/pull/103',
    ],
  },
  {
    id: 'preflight.refused-before-auth',
    name: "MUST answer a refused preflight to /private 403, not with the auth check's 401",
    level: 'MUST',
    options: listed,
    request: preflight(EVIL, 'PUT', 'authorization', '/private'),
    expect: refused,
    source: [design('preflight')],
  },
  {
    id: 'preflight.before-404',
    name: 'MUST answer a preflight to a path without an OPTIONS route (no 404)',
    level: 'MUST',
    options: listed,
    request: preflight(APP, 'PUT', undefined, '/nowhere'),
    expect: answered,
    browser: { request: { method: 'PUT' }, verdict: 'allowed' },
    source: [design('preflight'), 'https://github.com/koajs/cors/issues/65'],
  },
  {
    id: 'preflight.before-handler-error',
    name: 'MUST answer a preflight to /error without running its throwing handler',
    level: 'MUST',
    options: listed,
    request: preflight(APP, 'POST', 'content-type', '/error'),
    expect: { status: 204, headersEqual: { 'access-control-allow-origin': APP } },
    source: [design('preflight')],
  },
  {
    id: 'preflight.options-success-status',
    name: 'MUST answer an allowed preflight with optionsSuccessStatus and an empty body',
    level: 'MUST',
    options: status200,
    request: preflight(APP, 'PUT'),
    expect: { ...answered, status: 200 },
    browser: { request: { method: 'PUT' }, verdict: 'allowed' },
    source: [design('options compatible with cors'), design('preflight')],
  },
  {
    id: 'preflight.options-success-status.refused',
    name: 'MUST still answer 403 to a refused preflight when optionsSuccessStatus is set',
    level: 'MUST',
    options: status200,
    request: preflight(EVIL, 'PUT'),
    expect: refused,
    source: [design('preflight')],
  },
  {
    id: 'preflight.continue.handed-on',
    name: 'MUST hand a preflight on to the application with preflightContinue, which answers it with its own route',
    level: 'MUST',
    options: handOn,
    request: preflight(APP, 'PUT'),
    expect: {
      status: 200,
      handlerRan: true,
      body: 'ok',
      headersEqual: { 'access-control-allow-origin': APP },
    },
    source: [design('preflight'), design('options compatible with cors')],
  },
  {
    id: 'preflight.continue.auth',
    name: "MUST let the application's auth answer a handed-on preflight to /private",
    level: 'MUST',
    options: handOn,
    request: preflight(APP, 'PUT', undefined, '/private'),
    expect: { status: 401, handlerRan: false },
    source: [design('preflight')],
  },
  {
    id: 'preflight.continue.unknown-route',
    name: "MUST let the framework's 404 answer a handed-on preflight to an unknown path",
    level: 'MUST',
    options: handOn,
    request: preflight(APP, 'PUT', undefined, '/nowhere'),
    expect: { status: 404, handlerRan: false },
    source: [design('preflight')],
  },
  {
    id: 'preflight.method-refused',
    name: 'MUST answer a preflight for a method not allowed with the success status, Access-Control-Allow-Origin and the configured methods',
    level: 'MUST',
    options: fewMethods,
    request: preflight(APP, 'DELETE'),
    expect: {
      status: 204,
      handlerRan: false,
      headersEqual: {
        'access-control-allow-origin': APP,
        'access-control-allow-methods': 'GET,POST',
      },
      decision: { kind: 'preflight', allowed: false, reason: 'method-not-allowed' },
    },
    browser: {
      request: { method: 'DELETE' },
      verdict: 'blocked',
      code: 'MethodDisallowedByPreflightResponse',
    },
    source: [design('preflight'), fetchSpec('cors-preflight-fetch')],
  },
  {
    id: 'preflight.header-refused',
    name: 'MUST answer a preflight for a header not allowed with the success status, Access-Control-Allow-Origin and the configured headers',
    level: 'MUST',
    options: fewHeaders,
    request: preflight(APP, 'POST', 'x-other'),
    expect: {
      status: 204,
      handlerRan: false,
      headersEqual: {
        'access-control-allow-origin': APP,
        'access-control-allow-headers': 'Content-Type,X-Custom',
      },
      decision: { kind: 'preflight', allowed: false, reason: 'header-not-allowed' },
    },
    browser: {
      request: { method: 'POST', headers: { 'X-Other': '1' } },
      verdict: 'blocked',
      code: 'HeaderDisallowedByPreflightResponse',
    },
    source: [design('preflight'), design('allowed headers')],
  },
  {
    id: 'preflight.header-refused.credentials',
    name: 'MUST keep Access-Control-Allow-Credentials on a preflight whose header is refused, so the browser names the header',
    level: 'MUST',
    options: fewHeadersCredentials,
    request: preflight(APP, 'POST', 'x-other'),
    expect: {
      status: 204,
      headersEqual: {
        'access-control-allow-origin': APP,
        'access-control-allow-credentials': 'true',
        'access-control-allow-headers': 'Content-Type,X-Custom',
      },
    },
    browser: {
      request: { method: 'POST', headers: { 'X-Other': '1' }, credentials: 'include' },
      verdict: 'blocked',
      code: 'HeaderDisallowedByPreflightResponse',
    },
    source: [design('preflight'), design('Access-Control-Allow-Credentials')],
  },
  {
    id: 'preflight.invalid-request-method',
    name: 'MUST refuse a preflight whose Access-Control-Request-Method is not a method token, without a 5xx',
    level: 'MUST',
    options: listed,
    request: preflight(APP, 'P@T'),
    expect: {
      status: 204,
      handlerRan: false,
      headersEqual: { 'access-control-allow-origin': APP },
      decision: { kind: 'preflight', allowed: false, reason: 'invalid-request-method' },
    },
    source: [design('preflight'), fetchSpec('http-access-control-request-method')],
  },
  {
    id: 'preflight.invalid-request-headers',
    name: 'MUST refuse a preflight whose Access-Control-Request-Headers is not a list of header names',
    level: 'MUST',
    options: listed,
    request: preflight(APP, 'POST', 'x-ok,b@d'),
    expect: {
      status: 204,
      handlerRan: false,
      headersEqual: { 'access-control-allow-origin': APP },
      decision: { kind: 'preflight', allowed: false, reason: 'invalid-request-headers' },
    },
    source: [design('allowed headers'), fetchSpec('http-access-control-request-headers')],
  },
];
