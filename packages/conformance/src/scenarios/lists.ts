import type { CorsOptions } from '@cors/core';
import type { RequestScenario } from '../types.js';
import { APP, DEFAULT_METHODS, design, EVIL, fetchSpec, preflight, simple } from './support.js';

const listed: CorsOptions = { origin: [APP] };
const methodString: CorsOptions = { origin: [APP], methods: 'GET,POST' };
const customMethod: CorsOptions = { origin: [APP], methods: ['GET', 'PURGE'] };
const postOnly: CorsOptions = { origin: [APP], methods: ['POST'] };
const headerList: CorsOptions = { origin: [APP], allowedHeaders: ['Content-Type', 'X-Custom'] };
const headerString: CorsOptions = { origin: [APP], allowedHeaders: 'Content-Type,Authorization' };
const headerStar: CorsOptions = { origin: [APP], credentials: true, allowedHeaders: '*' };
const exposed: CorsOptions = { origin: [APP], exposedHeaders: ['X-Request-Id', 'X-Total-Count'] };
const exposedString: CorsOptions = { origin: [APP], exposedHeaders: 'X-Request-Id,X-Total-Count' };
const exposedStar: CorsOptions = { origin: '*', exposedHeaders: '*' };

const answeredWith = (headers: Record<string, string>) => ({
  status: 204,
  handlerRan: false,
  headersEqual: { 'access-control-allow-origin': APP, ...headers },
});

/** Methods, allowed request headers and exposed response headers. */
export const listScenarios: RequestScenario[] = [
  // Methods
  {
    id: 'methods.default-list',
    name: 'MUST allow GET, HEAD, PUT, PATCH, POST and DELETE by default and list them',
    level: 'MUST',
    options: listed,
    request: preflight(APP, 'PATCH'),
    expect: answeredWith({ 'access-control-allow-methods': DEFAULT_METHODS }),
    browser: { request: { method: 'PATCH' }, verdict: 'allowed' },
    source: [design('methods'), fetchSpec('http-access-control-allow-methods')],
  },
  {
    id: 'methods.lowercase-patch',
    name: "MUST compare methods case-sensitively: a preflight for 'patch' is not allowed by PATCH",
    level: 'MUST',
    options: listed,
    request: preflight(APP, 'patch'),
    expect: {
      ...answeredWith({ 'access-control-allow-methods': DEFAULT_METHODS }),
      decision: { kind: 'preflight', allowed: false, reason: 'method-not-allowed' },
    },
    browser: {
      request: { method: 'patch' },
      verdict: 'blocked',
      code: 'MethodDisallowedByPreflightResponse',
    },
    source: [design('methods'), fetchSpec('concept-method-normalize')],
  },
  {
    id: 'methods.normalised-by-browser',
    name: "MUST allow fetch's lower-case 'put', which the browser normalises to PUT before the preflight",
    level: 'MUST',
    options: listed,
    request: preflight(APP, 'PUT'),
    expect: answeredWith({ 'access-control-allow-methods': DEFAULT_METHODS }),
    browser: { request: { method: 'put' }, verdict: 'allowed' },
    source: [fetchSpec('concept-method-normalize'), design('methods')],
  },
  {
    id: 'methods.comma-string',
    name: 'MUST accept methods as a comma-separated string, as cors does',
    level: 'MUST',
    options: methodString,
    request: preflight(APP, 'POST', 'content-type'),
    expect: answeredWith({ 'access-control-allow-methods': 'GET,POST' }),
    browser: {
      request: { method: 'POST', headers: { 'Content-Type': 'application/json' } },
      verdict: 'allowed',
    },
    source: [design('options compatible with cors'), design('methods')],
  },
  {
    id: 'methods.custom',
    name: 'MUST allow a configured non-standard method',
    level: 'MUST',
    options: customMethod,
    request: preflight(APP, 'PURGE'),
    expect: {
      ...answeredWith({ 'access-control-allow-methods': 'GET,PURGE' }),
      decision: { kind: 'preflight', allowed: true },
    },
    browser: { request: { method: 'PURGE' }, verdict: 'allowed' },
    source: [design('methods'), fetchSpec('http-access-control-allow-methods')],
  },
  {
    id: 'methods.custom-case',
    name: "MUST NOT allow 'purge' when only PURGE is configured",
    level: 'MUST',
    options: customMethod,
    request: preflight(APP, 'purge'),
    expect: {
      ...answeredWith({ 'access-control-allow-methods': 'GET,PURGE' }),
      decision: { kind: 'preflight', allowed: false, reason: 'method-not-allowed' },
    },
    browser: {
      request: { method: 'purge' },
      verdict: 'blocked',
      code: 'MethodDisallowedByPreflightResponse',
    },
    source: [design('methods')],
  },
  {
    id: 'methods.safelisted-not-listed',
    name: 'MUST answer a preflight for GET (sent for its headers) so the browser allows it, even when only POST is listed',
    level: 'MUST',
    options: postOnly,
    request: preflight(APP, 'GET', 'x-custom'),
    expect: answeredWith({
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'x-custom',
    }),
    browser: { request: { method: 'GET', headers: { 'X-Custom': '1' } }, verdict: 'allowed' },
    source: [fetchSpec('cors-safelisted-method'), fetchSpec('cors-preflight-fetch')],
  },

  // Allowed request headers
  {
    id: 'headers.default-reflects',
    name: 'MUST allow the requested headers by default, listing them and adding Vary: Access-Control-Request-Headers',
    level: 'MUST',
    options: listed,
    request: preflight(APP, 'POST', 'content-type,x-custom'),
    expect: {
      ...answeredWith({ 'access-control-allow-headers': 'content-type,x-custom' }),
      varyIncludes: ['Access-Control-Request-Headers'],
    },
    browser: {
      request: { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Custom': '1' } },
      verdict: 'allowed',
    },
    source: [design('allowed headers'), 'fetch/api/cors/cors-preflight-not-cors-safelisted.any.js'],
  },
  {
    id: 'headers.default-authorization',
    name: 'MUST allow a requested Authorization header by default by naming it',
    level: 'MUST',
    options: listed,
    request: preflight(APP, 'GET', 'authorization'),
    expect: answeredWith({ 'access-control-allow-headers': 'authorization' }),
    browser: {
      request: { method: 'GET', headers: { Authorization: 'Bearer t' } },
      verdict: 'allowed',
    },
    source: [design('allowed headers'), fetchSpec('cors-non-wildcard-request-header-name')],
  },
  {
    id: 'headers.default-none-requested',
    name: 'MUST send no Access-Control-Allow-Headers by default when no header is requested',
    level: 'MUST',
    options: listed,
    request: preflight(APP, 'PUT'),
    expect: { status: 204, headersAbsent: ['access-control-allow-headers'] },
    source: [design('allowed headers')],
  },
  {
    id: 'headers.list',
    name: 'MUST answer a preflight with the configured header list when the requested headers are in it',
    level: 'MUST',
    options: headerList,
    request: preflight(APP, 'POST', 'content-type,x-custom'),
    expect: {
      ...answeredWith({ 'access-control-allow-headers': 'Content-Type,X-Custom' }),
      decision: { kind: 'preflight', allowed: true },
    },
    browser: {
      request: { method: 'POST', headers: { 'content-type': 'application/json', 'x-custom': '1' } },
      verdict: 'allowed',
    },
    source: [design('allowed headers'), fetchSpec('http-access-control-allow-headers')],
  },
  {
    id: 'headers.list-case-insensitive',
    name: 'MUST compare requested header names case-insensitively with the list',
    level: 'MUST',
    options: headerList,
    request: preflight(APP, 'POST', 'X-CUSTOM'),
    expect: {
      ...answeredWith({ 'access-control-allow-headers': 'Content-Type,X-Custom' }),
      decision: { kind: 'preflight', allowed: true },
    },
    source: [design('allowed headers')],
  },
  {
    id: 'headers.list-without-request',
    name: 'SHOULD send the configured header list even when the preflight requests no header, as cors does',
    level: 'SHOULD',
    options: headerList,
    request: preflight(APP, 'PUT'),
    expect: answeredWith({ 'access-control-allow-headers': 'Content-Type,X-Custom' }),
    source: [design('options compatible with cors')],
  },
  {
    id: 'headers.comma-string',
    name: 'MUST accept allowedHeaders as a comma-separated string, as cors does',
    level: 'MUST',
    options: headerString,
    request: preflight(APP, 'GET', 'authorization'),
    expect: answeredWith({ 'access-control-allow-headers': 'Content-Type,Authorization' }),
    browser: {
      request: { method: 'GET', headers: { Authorization: 'Bearer t' } },
      verdict: 'allowed',
    },
    source: [design('options compatible with cors')],
  },
  {
    id: 'headers.star-reflects',
    name: "MUST answer allowedHeaders '*' by naming the requested headers (Authorization included), never a literal *",
    level: 'MUST',
    options: headerStar,
    request: preflight(APP, 'POST', 'authorization,x-custom'),
    expect: {
      ...answeredWith({
        'access-control-allow-headers': 'authorization,x-custom',
        'access-control-allow-credentials': 'true',
      }),
      varyIncludes: ['Access-Control-Request-Headers'],
    },
    browser: {
      request: {
        method: 'POST',
        headers: { Authorization: 'Bearer t', 'X-Custom': '1' },
        credentials: 'include',
      },
      verdict: 'allowed',
    },
    source: [
      design('allowed headers'),
      fetchSpec('cors-non-wildcard-request-header-name'),
      'fetch/api/cors/cors-preflight-star.any.js',
    ],
  },

  // Exposed headers
  {
    id: 'exposed.actual',
    name: 'MUST list the exposed headers on an actual response',
    level: 'MUST',
    options: exposed,
    request: simple('GET', '/resource', APP),
    expect: {
      status: 200,
      handlerRan: true,
      headersEqual: {
        'access-control-allow-origin': APP,
        'access-control-expose-headers': 'X-Request-Id,X-Total-Count',
      },
    },
    browser: { request: { method: 'GET' }, verdict: 'allowed' },
    source: [design('exposed headers'), fetchSpec('http-access-control-expose-headers')],
  },
  {
    id: 'exposed.not-on-preflight',
    name: 'MUST NOT send Access-Control-Expose-Headers on a preflight answer',
    level: 'MUST',
    options: exposed,
    request: preflight(APP, 'PUT'),
    expect: { status: 204, headersAbsent: ['access-control-expose-headers'] },
    source: [design('exposed headers')],
  },
  {
    id: 'exposed.comma-string',
    name: 'MUST accept exposedHeaders as a comma-separated string, as cors does',
    level: 'MUST',
    options: exposedString,
    request: simple('GET', '/resource', APP),
    expect: { headersEqual: { 'access-control-expose-headers': 'X-Request-Id,X-Total-Count' } },
    source: [design('options compatible with cors')],
  },
  {
    id: 'exposed.star',
    name: "MUST send Access-Control-Expose-Headers: * with exposedHeaders '*' and no credentials",
    level: 'MUST',
    options: exposedStar,
    request: simple('GET', '/resource', EVIL),
    expect: {
      headersEqual: { 'access-control-allow-origin': '*', 'access-control-expose-headers': '*' },
    },
    browser: { request: { method: 'GET' }, verdict: 'allowed' },
    source: [design('exposed headers'), fetchSpec('http-access-control-expose-headers')],
  },
  {
    id: 'exposed.none-by-default',
    name: 'MUST NOT send Access-Control-Expose-Headers when none is configured',
    level: 'MUST',
    options: listed,
    request: simple('GET', '/resource', APP),
    expect: { status: 200, headersAbsent: ['access-control-expose-headers'] },
    source: [design('exposed headers')],
  },
];
