import type { CorsOptions } from '@cors/core';
import type { RequestScenario } from '../types.js';
import { ALLOW_HEADERS, APP, design, EVIL, fetchSpec, preflight, simple } from './support.js';

const listed: CorsOptions = { origin: [APP] };
const tenMinutes: CorsOptions = { origin: [APP], maxAge: 600 };
const noCache: CorsOptions = { origin: [APP], maxAge: 0 };
const aboveChromium: CorsOptions = { origin: [APP], maxAge: 7201 };
const aboveFirefox: CorsOptions = { origin: [APP], maxAge: 86401 };
const pattern: CorsOptions = { origin: 'https://*.example.com' };
const star: CorsOptions = { origin: '*', exposedHeaders: ['X-Request-Id'] };
const credentialed: CorsOptions = { origin: [APP], credentials: true };
const privateNetwork: CorsOptions = { origin: [APP], allowPrivateNetwork: true };
const privateNetworkVary: CorsOptions = { origin: [APP], allowPrivateNetwork: true, maxAge: 60 };

const PNA_SOURCE = 'https://wicg.github.io/private-network-access/#cors-preflight';
const askPrivate = { 'access-control-request-private-network': 'true' };

/** maxAge, Vary, credentials and Private Network Access. */
export const cachingScenarios: RequestScenario[] = [
  // maxAge
  {
    id: 'max-age.sent',
    name: 'MUST send Access-Control-Max-Age on a preflight answer when maxAge is set',
    level: 'MUST',
    options: tenMinutes,
    request: preflight(APP, 'PUT'),
    expect: { status: 204, headersEqual: { 'access-control-max-age': '600' } },
    source: [design('maxAge'), fetchSpec('http-access-control-max-age')],
  },
  {
    id: 'max-age.zero',
    name: 'MUST send Access-Control-Max-Age: 0 for maxAge 0 (no caching), not drop it',
    level: 'MUST',
    options: noCache,
    request: preflight(APP, 'PUT'),
    expect: { status: 204, headersEqual: { 'access-control-max-age': '0' } },
    source: [
      design('maxAge'),
      'https://github.com/expressjs/cors/pull/158',
      'https://github.com/rs/cors/issues/152',
    ],
  },
  {
    id: 'max-age.absent-by-default',
    name: 'MUST NOT send Access-Control-Max-Age when maxAge is not set',
    level: 'MUST',
    options: listed,
    request: preflight(APP, 'PUT'),
    expect: { status: 204, headersAbsent: ['access-control-max-age'] },
    source: [design('maxAge')],
  },
  {
    id: 'max-age.not-on-actual',
    name: 'MUST NOT send Access-Control-Max-Age on an actual response',
    level: 'MUST',
    options: tenMinutes,
    request: simple('GET', '/resource', APP),
    expect: { status: 200, headersAbsent: ['access-control-max-age'] },
    source: [design('maxAge'), fetchSpec('http-responses')],
  },
  {
    id: 'max-age.above-chromium-cap',
    name: "SHOULD warn at start-up about a maxAge above Chromium's 7200 and still send it",
    level: 'SHOULD',
    options: aboveChromium,
    request: preflight(APP, 'PUT'),
    expect: {
      status: 204,
      headersEqual: { 'access-control-max-age': '7201' },
      warnsAbout: 'maxAge',
    },
    source: [design('maxAge')],
  },
  {
    id: 'max-age.above-firefox-cap',
    name: "SHOULD warn at start-up about a maxAge above Firefox's 86400 and still send it",
    level: 'SHOULD',
    options: aboveFirefox,
    request: preflight(APP, 'PUT'),
    expect: {
      status: 204,
      headersEqual: { 'access-control-max-age': '86401' },
      warnsAbout: 'maxAge',
    },
    source: [design('maxAge')],
  },

  // Vary
  {
    id: 'vary.allowed-actual',
    name: 'MUST add Vary: Origin to an allowed actual response',
    level: 'MUST',
    options: listed,
    request: simple('GET', '/resource', APP),
    expect: { varyIncludes: ['Origin'] },
    source: [design('Vary'), fetchSpec('cors-protocol-and-http-caches')],
  },
  {
    id: 'vary.refused-actual',
    name: 'MUST add Vary: Origin to a refused actual response too',
    level: 'MUST',
    options: listed,
    request: simple('GET', '/resource', EVIL),
    expect: { varyIncludes: ['Origin'], headersAbsent: ALLOW_HEADERS },
    source: [design('Vary'), 'https://github.com/expressjs/cors/issues/106'],
  },
  {
    id: 'vary.refused-preflight',
    name: 'MUST add Vary: Origin to a refused preflight answer',
    level: 'MUST',
    options: listed,
    request: preflight(EVIL, 'PUT'),
    expect: { status: 403, varyIncludes: ['Origin'] },
    source: [design('Vary')],
  },
  {
    id: 'vary.preflight',
    name: 'MUST vary a preflight answer on Origin, Access-Control-Request-Method and Access-Control-Request-Headers',
    level: 'MUST',
    options: listed,
    request: preflight(APP, 'POST', 'x-custom'),
    expect: {
      status: 204,
      varyIncludes: ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'],
    },
    source: [design('Vary'), fetchSpec('cors-protocol-and-http-caches')],
  },
  {
    id: 'vary.no-duplicates',
    name: 'MUST list each name once in Vary when a preflight varies on several request headers',
    level: 'MUST',
    options: privateNetworkVary,
    request: preflight(APP, 'PUT', 'x-custom', '/resource', askPrivate),
    expect: {
      status: 204,
      varyIncludes: [
        'Origin',
        'Access-Control-Request-Method',
        'Access-Control-Request-Headers',
        'Access-Control-Request-Private-Network',
      ],
    },
    source: [design('Vary'), PNA_SOURCE],
  },
  {
    id: 'vary.pattern',
    name: 'MUST add Vary: Origin when a pattern decides the origin',
    level: 'MUST',
    options: pattern,
    request: simple('GET', '/resource', EVIL),
    expect: { varyIncludes: ['Origin'] },
    source: [design('Vary')],
  },
  {
    id: 'vary.error-response',
    name: "MUST keep Vary: Origin on the framework's own 404",
    level: 'MUST',
    options: listed,
    request: simple('GET', '/nowhere', EVIL),
    expect: { status: 404, varyIncludes: ['Origin'], headersAbsent: ALLOW_HEADERS },
    source: [design('Vary'), design('error responses')],
  },
  {
    id: 'vary.single-origin',
    name: 'MUST add Vary: Origin even when a single exact origin is allowed (others get a different answer)',
    level: 'MUST',
    options: { origin: APP },
    request: simple('GET', '/resource', APP),
    expect: { varyIncludes: ['Origin'], headersEqual: { 'access-control-allow-origin': APP } },
    source: [design('Vary'), 'https://github.com/gorilla/handlers/issues/248'],
  },
  {
    id: 'vary.star-actual',
    name: "MUST NOT add Vary: Origin to an actual response with origin '*' (the same answer for every origin)",
    level: 'MUST',
    options: star,
    request: simple('GET', '/resource', EVIL),
    expect: {
      varyExcludes: ['Origin'],
      headersEqual: {
        'access-control-allow-origin': '*',
        'access-control-expose-headers': 'X-Request-Id',
      },
    },
    source: [design("origin: '*'"), fetchSpec('cors-protocol-and-http-caches')],
  },
  {
    id: 'vary.star-no-origin',
    name: "MUST send a request without Origin the same CORS headers as any origin with origin '*', so a cached copy serves CORS requests",
    level: 'MUST',
    options: star,
    request: simple('GET', '/resource'),
    expect: {
      varyExcludes: ['Origin'],
      headersEqual: {
        'access-control-allow-origin': '*',
        'access-control-expose-headers': 'X-Request-Id',
      },
    },
    source: [
      design("origin: '*'"),
      fetchSpec('cors-protocol-and-http-caches'),
      'https://github.com/koajs/cors/issues/47',
    ],
  },
  {
    id: 'vary.star-preflight',
    name: "MUST vary a preflight answer on the request method and headers, not on Origin, with origin '*'",
    level: 'MUST',
    options: star,
    request: preflight(EVIL, 'PUT', 'x-trace'),
    expect: {
      status: 204,
      varyIncludes: ['Access-Control-Request-Method', 'Access-Control-Request-Headers'],
      varyExcludes: ['Origin'],
    },
    source: [design("origin: '*'"), design('Vary')],
  },

  // Credentials
  {
    id: 'credentials.allowed-actual',
    name: 'MUST send Access-Control-Allow-Credentials: true with an allowed origin',
    level: 'MUST',
    options: credentialed,
    request: simple('GET', '/resource', APP, { cookie: 'session=1' }),
    expect: {
      status: 200,
      handlerRan: true,
      headersEqual: {
        'access-control-allow-origin': APP,
        'access-control-allow-credentials': 'true',
      },
    },
    browser: { request: { method: 'GET', credentials: 'include' }, verdict: 'allowed' },
    source: [
      design('Access-Control-Allow-Credentials'),
      fetchSpec('cors-protocol-and-credentials'),
    ],
  },
  {
    id: 'credentials.refused-actual',
    name: 'MUST NOT send Access-Control-Allow-Credentials to a refused origin',
    level: 'MUST',
    options: credentialed,
    request: simple('GET', '/resource', EVIL, { cookie: 'session=1' }),
    expect: { status: 200, handlerRan: true, headersAbsent: ALLOW_HEADERS },
    browser: {
      request: { method: 'GET', credentials: 'include' },
      verdict: 'blocked',
      code: 'MissingAllowOriginHeader',
    },
    source: [design('Access-Control-Allow-Credentials')],
  },
  {
    id: 'credentials.preflight',
    name: 'MUST send Access-Control-Allow-Credentials: true on an allowed preflight',
    level: 'MUST',
    options: credentialed,
    request: preflight(APP, 'PUT', 'content-type'),
    expect: {
      status: 204,
      headersEqual: {
        'access-control-allow-origin': APP,
        'access-control-allow-credentials': 'true',
      },
    },
    browser: {
      request: {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        credentials: 'include',
      },
      verdict: 'allowed',
    },
    source: [design('Access-Control-Allow-Credentials'), 'fetch/api/cors/cors-cookies.any.js'],
  },
  {
    id: 'credentials.no-origin',
    name: 'MUST NOT send Access-Control-Allow-Credentials to a request without Origin',
    level: 'MUST',
    options: credentialed,
    request: simple('GET', '/resource'),
    expect: { status: 200, headersAbsent: ['access-control-allow-credentials'] },
    source: [design('Access-Control-Allow-Credentials'), design('request without Origin')],
  },
  {
    id: 'credentials.not-configured',
    name: 'MUST NOT send Access-Control-Allow-Credentials unless configured (a credentialed fetch stays blocked)',
    level: 'MUST',
    options: listed,
    request: simple('GET', '/resource', APP),
    expect: {
      headersEqual: { 'access-control-allow-origin': APP },
      headersAbsent: ['access-control-allow-credentials'],
    },
    browser: {
      request: { method: 'GET', credentials: 'include' },
      verdict: 'blocked',
      code: 'InvalidAllowCredentials',
    },
    source: [design('Access-Control-Allow-Credentials'), fetchSpec('cors-check')],
  },

  // Private Network Access
  {
    id: 'private-network.allowed',
    name: 'MUST answer Access-Control-Request-Private-Network: true with Access-Control-Allow-Private-Network: true',
    level: 'MUST',
    options: privateNetwork,
    request: preflight(APP, 'GET', undefined, '/resource', askPrivate),
    expect: {
      status: 204,
      handlerRan: false,
      headersEqual: {
        'access-control-allow-origin': APP,
        'access-control-allow-private-network': 'true',
      },
    },
    source: [design('private network'), PNA_SOURCE],
  },
  {
    id: 'private-network.refused-origin',
    name: 'MUST NOT grant private-network access to a refused origin',
    level: 'MUST',
    options: privateNetwork,
    request: preflight(EVIL, 'GET', undefined, '/resource', askPrivate),
    expect: { status: 403, headersAbsent: ALLOW_HEADERS },
    source: [design('private network')],
  },
  {
    id: 'private-network.not-requested',
    name: 'MUST NOT send Access-Control-Allow-Private-Network to a preflight that does not ask for it',
    level: 'MUST',
    options: privateNetwork,
    request: preflight(APP, 'PUT'),
    expect: { status: 204, headersAbsent: ['access-control-allow-private-network'] },
    source: [design('private network'), PNA_SOURCE],
  },
  {
    id: 'private-network.not-enabled',
    name: 'MUST NOT grant private-network access unless allowPrivateNetwork is set',
    level: 'MUST',
    options: listed,
    request: preflight(APP, 'GET', undefined, '/resource', askPrivate),
    expect: {
      headersAbsent: ['access-control-allow-private-network'],
      decision: { kind: 'preflight', allowed: false, reason: 'private-network-not-allowed' },
    },
    source: [design('private network'), PNA_SOURCE],
  },
  {
    id: 'private-network.not-on-actual',
    name: 'MUST NOT send Access-Control-Allow-Private-Network on an actual response',
    level: 'MUST',
    options: privateNetwork,
    request: simple('GET', '/resource', APP, askPrivate),
    expect: { status: 200, headersAbsent: ['access-control-allow-private-network'] },
    source: [design('private network')],
  },
];
