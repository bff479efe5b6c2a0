import type { CorsOptions } from '@cors/core';
import type { RequestScenario } from '../types.js';
import {
  ADMIN,
  ALLOW_HEADERS,
  APP,
  DEFAULT_METHODS,
  design,
  EVIL,
  fetchSpec,
  PARTNER,
  pairs,
  preflight,
  simple,
} from './support.js';

const exactList: CorsOptions = { origin: [APP, ADMIN] };
const normalisedEntry: CorsOptions = { origin: 'HTTPS://App.Example.COM:443' };
const idnEntry: CorsOptions = { origin: 'https://bücher.example' };
const localPort: CorsOptions = { origin: 'http://localhost:3000' };
const subdomains: CorsOptions = { origin: 'https://*.example.com' };
const anyPort: CorsOptions = { origin: 'http://localhost:*' };
const anchored: CorsOptions = { origin: /^https:\/\/(?:app|admin)\.example\.org$/ };
const mixed: CorsOptions = {
  origin: [APP, 'https://*.example.org', /^https:\/\/partner\.example\.net$/],
};
const syncFunction: CorsOptions = { origin: (origin) => origin.endsWith('.example.org') };
const asyncFunction: CorsOptions = {
  origin: async (origin) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return origin === PARTNER;
  },
};
const allowAll: CorsOptions = { origin: (origin) => origin.startsWith('https://') };
const throwingFunction: CorsOptions = {
  origin: () => {
    throw new Error('origin lookup failed');
  },
};
const rejectingFunction: CorsOptions = {
  origin: async () => {
    throw new Error('origin lookup failed');
  },
};
const hangingFunction: CorsOptions = { origin: () => new Promise<boolean>(() => {}), timeout: 50 };
const nullListed: CorsOptions = { origin: ['null', APP] };
const star: CorsOptions = { origin: '*' };

const allowed = (origin: string) => ({
  status: 200,
  handlerRan: true,
  headersEqual: { 'access-control-allow-origin': origin },
  varyIncludes: ['Origin'],
});
const refusedActual = {
  status: 200,
  handlerRan: true,
  headersAbsent: ALLOW_HEADERS,
  varyIncludes: ['Origin'],
};
const blockedGet = {
  request: { method: 'GET' },
  verdict: 'blocked',
  code: 'MissingAllowOriginHeader',
} as const;

/** Which origins are allowed: exact entries, patterns, RegExps, functions, 'null' and '*'. */
export const originScenarios: RequestScenario[] = [
  // Exact origins
  {
    id: 'origin.exact.reflects',
    name: 'MUST reflect an allowed exact origin and add Vary: Origin',
    level: 'MUST',
    options: exactList,
    request: simple('GET', '/resource', APP),
    expect: allowed(APP),
    browser: { request: { method: 'GET' }, verdict: 'allowed' },
    source: [design('exact origins'), fetchSpec('http-access-control-allow-origin')],
  },
  {
    id: 'origin.exact.second-entry',
    name: 'MUST reflect any entry of an origin list, not only the first',
    level: 'MUST',
    options: exactList,
    request: simple('GET', '/resource', ADMIN),
    expect: allowed(ADMIN),
    source: [design('exact origins')],
  },
  {
    id: 'origin.exact.refuses-other',
    name: 'MUST send no Access-Control-Allow-* header to an origin that is not listed',
    level: 'MUST',
    options: exactList,
    request: simple('GET', '/resource', EVIL),
    expect: refusedActual,
    browser: blockedGet,
    source: [design('disallowed origin, actual request'), fetchSpec('cors-check')],
  },
  {
    id: 'origin.exact.case-mismatch',
    name: 'MUST compare the request Origin byte for byte: a different case is another origin',
    level: 'MUST',
    options: exactList,
    request: simple('GET', '/resource', 'https://APP.example.com'),
    expect: refusedActual,
    source: [design('request Origin'), fetchSpec('origin-header')],
  },
  {
    id: 'origin.exact.trailing-slash',
    name: 'MUST NOT normalise a request Origin with a trailing slash into an allowed one',
    level: 'MUST',
    options: exactList,
    request: simple('GET', '/resource', 'https://app.example.com/'),
    expect: refusedActual,
    source: [design('request Origin')],
  },
  {
    id: 'origin.exact.default-port',
    name: 'MUST NOT treat a request Origin with an explicit default port as the listed origin',
    level: 'MUST',
    options: exactList,
    request: simple('GET', '/resource', 'https://app.example.com:443'),
    expect: refusedActual,
    source: [design('request Origin'), fetchSpec('origin-header')],
  },
  {
    id: 'origin.exact.scheme-mismatch',
    name: 'MUST NOT allow the http:// twin of an allowed https:// origin',
    level: 'MUST',
    options: exactList,
    request: simple('GET', '/resource', 'http://app.example.com'),
    expect: refusedActual,
    source: [design('exact origins')],
  },
  {
    id: 'origin.exact.suffix-attack',
    name: 'MUST NOT allow an origin that merely starts with an allowed one',
    level: 'MUST',
    options: exactList,
    request: simple('GET', '/resource', 'https://app.example.com.evil.net'),
    expect: refusedActual,
    source: [design('request Origin'), 'https://github.com/monsur/enable-cors.org/pull/75'],
  },
  {
    id: 'origin.exact.repeated-header',
    name: 'MUST NOT allow a request carrying two Origin headers',
    level: 'MUST',
    options: exactList,
    request: {
      method: 'GET',
      path: '/resource',
      headers: pairs(['Origin', APP], ['Origin', APP]),
    },
    expect: { status: 200, handlerRan: true, headersAbsent: ALLOW_HEADERS },
    source: [design('request Origin'), fetchSpec('origin-header')],
  },
  {
    id: 'origin.exact.empty',
    name: 'MUST NOT allow an empty Origin header',
    level: 'MUST',
    options: exactList,
    request: simple('GET', '/resource', ''),
    expect: { status: 200, handlerRan: true, headersAbsent: ALLOW_HEADERS },
    source: [design('request Origin')],
  },
  {
    id: 'origin.exact.normalised-entry',
    name: 'MUST normalise a configured origin at start-up (case, default port) and match the serialised Origin',
    level: 'MUST',
    options: normalisedEntry,
    request: simple('GET', '/resource', APP),
    expect: allowed(APP),
    source: [design('exact origins')],
  },
  {
    id: 'origin.exact.idn-entry',
    name: 'MUST convert an internationalised configured host to punycode, as browsers serialise it',
    level: 'MUST',
    options: idnEntry,
    request: simple('GET', '/resource', 'https://xn--bcher-kva.example'),
    expect: allowed('https://xn--bcher-kva.example'),
    source: [design('exact origins'), fetchSpec('origin-header')],
  },
  {
    id: 'origin.exact.port',
    name: 'MUST match an origin with a non-default port exactly',
    level: 'MUST',
    options: localPort,
    request: simple('GET', '/resource', 'http://localhost:3000'),
    expect: allowed('http://localhost:3000'),
    source: [design('exact origins')],
  },
  {
    id: 'origin.exact.other-port',
    name: 'MUST NOT allow the same host on another port',
    level: 'MUST',
    options: localPort,
    request: simple('GET', '/resource', 'http://localhost:3001'),
    expect: refusedActual,
    source: [design('exact origins')],
  },

  // Wildcard patterns
  {
    id: 'origin.pattern.subdomain',
    name: 'MUST allow a subdomain matched by https://*.example.com',
    level: 'MUST',
    options: subdomains,
    request: simple('GET', '/resource', APP),
    expect: allowed(APP),
    browser: { request: { method: 'GET' }, verdict: 'allowed' },
    source: [design('wildcard patterns')],
  },
  {
    id: 'origin.pattern.deep-subdomain',
    name: 'MUST allow a subdomain of any depth under https://*.example.com',
    level: 'MUST',
    options: subdomains,
    request: simple('GET', '/resource', 'https://a.b.example.com'),
    expect: allowed('https://a.b.example.com'),
    source: [design('wildcard patterns')],
  },
  {
    id: 'origin.pattern.not-apex',
    name: 'MUST NOT allow the apex https://example.com with https://*.example.com',
    level: 'MUST',
    options: subdomains,
    request: simple('GET', '/resource', 'https://example.com'),
    expect: refusedActual,
    source: [design('wildcard patterns')],
  },
  {
    id: 'origin.pattern.scheme',
    name: 'MUST NOT allow another scheme with https://*.example.com',
    level: 'MUST',
    options: subdomains,
    request: simple('GET', '/resource', 'http://app.example.com'),
    expect: refusedActual,
    source: [design('wildcard patterns')],
  },
  {
    id: 'origin.pattern.port',
    name: 'MUST NOT allow another port with https://*.example.com',
    level: 'MUST',
    options: subdomains,
    request: simple('GET', '/resource', 'https://app.example.com:8443'),
    expect: refusedActual,
    source: [design('wildcard patterns')],
  },
  {
    id: 'origin.pattern.suffix-attack',
    name: 'MUST NOT allow a host that only ends with the pattern text (https://evilexample.com)',
    level: 'MUST',
    options: subdomains,
    request: simple('GET', '/resource', 'https://evilexample.com'),
    expect: refusedActual,
    source: [design('wildcard patterns'), 'https://github.com/expressjs/cors/pull/427'],
  },
  {
    id: 'origin.pattern.appended-domain',
    name: 'MUST NOT allow a matching host followed by another domain',
    level: 'MUST',
    options: subdomains,
    request: simple('GET', '/resource', 'https://app.example.com.evil.net'),
    expect: refusedActual,
    source: [design('wildcard patterns')],
  },
  {
    id: 'origin.pattern.any-port',
    name: 'MUST allow any port with http://localhost:*',
    level: 'MUST',
    options: anyPort,
    request: simple('GET', '/resource', 'http://localhost:5173'),
    expect: allowed('http://localhost:5173'),
    source: [design('wildcard patterns')],
  },
  {
    id: 'origin.pattern.any-port-other-host',
    name: 'MUST NOT allow another host with http://localhost:*',
    level: 'MUST',
    options: anyPort,
    request: simple('GET', '/resource', 'http://localhost.evil.net:5173'),
    expect: refusedActual,
    source: [design('wildcard patterns')],
  },
  {
    id: 'origin.pattern.any-port-other-scheme',
    name: 'MUST NOT allow https://localhost with http://localhost:*',
    level: 'MUST',
    options: anyPort,
    request: simple('GET', '/resource', 'https://localhost:5173'),
    expect: refusedActual,
    source: [design('wildcard patterns')],
  },

  // RegExp
  {
    id: 'origin.regexp.match',
    name: 'MUST allow an origin matched by an anchored RegExp, on every request',
    level: 'MUST',
    options: anchored,
    request: simple('GET', '/resource', 'https://app.example.org'),
    repeat: 3,
    expect: allowed('https://app.example.org'),
    source: [design('RegExp'), 'https://github.com/fastify/fastify-cors/issues/151'],
  },
  {
    id: 'origin.regexp.no-match',
    name: 'MUST NOT allow an origin the anchored RegExp does not match',
    level: 'MUST',
    options: anchored,
    request: simple('GET', '/resource', 'https://other.example.org'),
    expect: refusedActual,
    source: [design('RegExp')],
  },
  {
    id: 'origin.mixed.exact',
    name: 'MUST allow an exact entry of a list mixing exact origins, patterns and RegExps',
    level: 'MUST',
    options: mixed,
    request: simple('GET', '/resource', APP),
    expect: allowed(APP),
    source: [design('exact origins')],
  },
  {
    id: 'origin.mixed.pattern',
    name: 'MUST allow a pattern entry of a mixed list',
    level: 'MUST',
    options: mixed,
    request: simple('GET', '/resource', 'https://shop.example.org'),
    expect: allowed('https://shop.example.org'),
    source: [design('wildcard patterns')],
  },
  {
    id: 'origin.mixed.regexp',
    name: 'MUST allow a RegExp entry of a mixed list',
    level: 'MUST',
    options: mixed,
    request: simple('GET', '/resource', 'https://partner.example.net'),
    expect: allowed('https://partner.example.net'),
    source: [design('RegExp')],
  },
  {
    id: 'origin.mixed.none',
    name: 'MUST refuse an origin no entry of a mixed list matches',
    level: 'MUST',
    options: mixed,
    request: simple('GET', '/resource', EVIL),
    expect: refusedActual,
    source: [design('disallowed origin, actual request')],
  },

  // Origin functions
  {
    id: 'origin.function.sync-allows',
    name: 'MUST reflect an origin a synchronous origin function allows',
    level: 'MUST',
    options: syncFunction,
    request: simple('GET', '/resource', 'https://shop.example.org'),
    expect: allowed('https://shop.example.org'),
    source: [design('origin function')],
  },
  {
    id: 'origin.function.sync-refuses',
    name: 'MUST refuse an origin a synchronous origin function refuses, with Vary: Origin',
    level: 'MUST',
    options: syncFunction,
    request: simple('GET', '/resource', EVIL),
    expect: refusedActual,
    source: [design('origin function'), design('Vary')],
  },
  {
    id: 'origin.function.async-allows',
    name: 'MUST reflect an origin an async origin function allows, on every request',
    level: 'MUST',
    options: asyncFunction,
    request: simple('GET', '/resource', PARTNER),
    repeat: 2,
    expect: allowed(PARTNER),
    source: [design('origin function')],
  },
  {
    id: 'origin.function.async-refuses',
    name: 'MUST refuse an origin an async origin function refuses',
    level: 'MUST',
    options: asyncFunction,
    request: simple('GET', '/resource', EVIL),
    expect: refusedActual,
    source: [design('origin function')],
  },
  {
    id: 'origin.function.async-preflight',
    name: 'MUST answer a preflight allowed by an async origin function',
    level: 'MUST',
    options: asyncFunction,
    request: preflight(PARTNER, 'PUT'),
    expect: {
      status: 204,
      handlerRan: false,
      headersEqual: {
        'access-control-allow-origin': PARTNER,
        'access-control-allow-methods': DEFAULT_METHODS,
      },
    },
    browser: { request: { method: 'PUT' }, verdict: 'allowed' },
    source: [design('origin function'), design('preflight')],
  },
  {
    id: 'origin.function.async-preflight-refused',
    name: 'MUST answer 403 to a preflight an async origin function refuses',
    level: 'MUST',
    options: asyncFunction,
    request: preflight(EVIL, 'PUT'),
    expect: { status: 403, handlerRan: false, headersAbsent: ALLOW_HEADERS },
    source: [design('origin function'), design('preflight')],
  },
  {
    id: 'origin.function.not-serialised',
    name: 'SHOULD NOT reflect an Origin that no browser sends (not a serialised origin), even when the origin function allows all',
    level: 'SHOULD',
    options: allowAll,
    request: simple('GET', '/resource', 'https://App.Example.org/'),
    expect: refusedActual,
    source: [design('request Origin'), fetchSpec('origin-header')],
  },
  {
    id: 'origin.function.port',
    name: 'MUST hand the origin function the Origin as sent and reflect it unchanged',
    level: 'MUST',
    options: allowAll,
    request: simple('GET', '/resource', 'https://shop.example.org:8443'),
    expect: allowed('https://shop.example.org:8443'),
    source: [design('request Origin'), design('origin function')],
  },
  {
    id: 'origin.function.throws',
    name: "MUST hand an origin function's exception to the framework's error handling (a 500), never allow",
    level: 'MUST',
    options: throwingFunction,
    request: simple('GET', '/resource', APP),
    expect: {
      status: 500,
      handlerRan: false,
      headersAbsent: ['access-control-allow-origin', 'access-control-allow-credentials'],
    },
    source: [design('origin function')],
  },
  {
    id: 'origin.function.rejects',
    name: "MUST hand an origin function's rejection to the framework's error handling, never hang",
    level: 'MUST',
    options: rejectingFunction,
    request: simple('GET', '/resource', APP),
    expect: {
      status: 500,
      handlerRan: false,
      headersAbsent: ['access-control-allow-origin', 'access-control-allow-credentials'],
    },
    source: [design('origin function')],
  },
  {
    id: 'origin.function.rejects-preflight',
    name: 'MUST fail a preflight whose origin function rejects with an error response, not an answer',
    level: 'MUST',
    options: rejectingFunction,
    request: preflight(APP, 'PUT'),
    expect: { status: 500, headersAbsent: ALLOW_HEADERS },
    source: [design('origin function')],
  },
  {
    id: 'origin.function.timeout',
    name: 'MUST fail a request whose async origin function outlives timeout, through the error handling',
    level: 'MUST',
    options: hangingFunction,
    request: simple('GET', '/resource', APP),
    expect: { status: 500, handlerRan: false, headersAbsent: ['access-control-allow-origin'] },
    source: [design('origin function')],
  },
  {
    id: 'origin.function.not-called-without-origin',
    name: 'MUST NOT call the origin function for a request without Origin',
    level: 'MUST',
    options: throwingFunction,
    request: simple('GET', '/resource'),
    expect: { status: 200, handlerRan: true, headersAbsent: ALLOW_HEADERS },
    source: [design('request without Origin'), design('origin function')],
  },

  // 'null'
  {
    id: 'origin.null.listed',
    name: "MUST allow the 'null' origin when listed explicitly, and warn at start-up",
    level: 'MUST',
    options: nullListed,
    request: simple('GET', '/resource', 'null'),
    expect: { ...allowed('null'), warnsAbout: 'origin' },
    browser: { request: { method: 'GET' }, verdict: 'allowed' },
    source: [design("'null' origin"), fetchSpec('origin-header')],
  },
  {
    id: 'origin.null.not-listed',
    name: "MUST NOT allow the 'null' origin unless listed",
    level: 'MUST',
    options: exactList,
    request: simple('GET', '/resource', 'null'),
    expect: refusedActual,
    source: [design("'null' origin")],
  },
  {
    id: 'origin.null.not-matched-by-pattern',
    name: "MUST NOT allow the 'null' origin through a wildcard pattern",
    level: 'MUST',
    options: subdomains,
    request: simple('GET', '/resource', 'null'),
    expect: refusedActual,
    source: [design("'null' origin")],
  },

  // '*'
  {
    id: 'origin.star.actual',
    name: "MUST answer Access-Control-Allow-Origin: * with origin '*', without credentials",
    level: 'MUST',
    options: star,
    request: simple('GET', '/resource', EVIL),
    expect: {
      status: 200,
      handlerRan: true,
      headersEqual: { 'access-control-allow-origin': '*' },
      headersAbsent: ['access-control-allow-credentials'],
    },
    browser: { request: { method: 'GET' }, verdict: 'allowed' },
    source: [fetchSpec('http-access-control-allow-origin'), 'fetch/api/cors/cors-basic.any.js'],
  },
  {
    id: 'origin.star.credentialed-fetch',
    name: "MUST leave a credentialed fetch blocked with origin '*' (the browser refuses * with credentials)",
    level: 'MUST',
    options: star,
    request: simple('GET', '/resource', EVIL),
    expect: {
      headersEqual: { 'access-control-allow-origin': '*' },
      headersAbsent: ['access-control-allow-credentials'],
    },
    browser: {
      request: { method: 'GET', credentials: 'include' },
      verdict: 'blocked',
      code: 'WildcardOriginNotAllowed',
    },
    source: [fetchSpec('cors-protocol-and-credentials'), 'fetch/api/cors/cors-cookies.any.js'],
  },
  {
    id: 'origin.star.preflight',
    name: "MUST answer a preflight with Access-Control-Allow-Origin: * and the default methods with origin '*'",
    level: 'MUST',
    options: star,
    request: preflight(EVIL, 'DELETE'),
    expect: {
      status: 204,
      handlerRan: false,
      headersEqual: {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': DEFAULT_METHODS,
      },
    },
    browser: { request: { method: 'DELETE' }, verdict: 'allowed' },
    source: [fetchSpec('cors-preflight-fetch'), 'fetch/api/cors/cors-preflight-star.any.js'],
  },
];
