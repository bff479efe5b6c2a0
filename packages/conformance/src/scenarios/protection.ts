import type { CorsOptions } from '@cors/core';
import type { ConfigErrorScenario, RequestScenario, ScenarioRequest } from '../types.js';
import { ALLOW_HEADERS, APP, EVIL, fetchSpec } from './support.js';

// The rows of DESIGN.md's decided-semantics table these scenarios prove.
const PROTECTION = 'DESIGN.md: cross-origin request protection';
const HOSTS = 'DESIGN.md: host allowlist';
const FORBIDDEN = 'DESIGN.md: allowed request headers that a page cannot set';
const GO_CSRF = 'https://pkg.go.dev/net/http#CrossOriginProtection';
const FETCH_METADATA = 'https://www.w3.org/TR/fetch-metadata/#sec-fetch-site-header';
const REBINDING = 'https://nvd.nist.gov/vuln/detail/CVE-2025-66414';

/** The request's own host, as the page of a same-origin request would be served from. */
const OWN_HOST = 'api.example.com';
const OWN = `https://${OWN_HOST}`;

const protect: CorsOptions = { origin: [APP], crossOriginProtection: true };
const unprotected: CorsOptions = { origin: [APP] };
const localHosts: CorsOptions = {
  origin: [APP],
  allowedHosts: ['localhost', '127.0.0.1', '[::1]', '*.example.com'],
};

/** An unsafe request as a browser sends it: `site` is its Sec-Fetch-Site (omitted when undefined). */
function send(
  method: string,
  origin: string | undefined,
  site: string | undefined,
  extra: Record<string, string> = {},
  body?: string,
): ScenarioRequest {
  const headers: Record<string, string> = { host: OWN_HOST, ...extra };
  if (origin !== undefined) headers.origin = origin;
  if (site !== undefined) headers['sec-fetch-site'] = site;
  return { method, path: '/resource', headers, ...(body === undefined ? {} : { body }) };
}
const form = (origin: string, site: string | undefined) =>
  send('POST', origin, site, { 'content-type': 'application/x-www-form-urlencoded' }, 'to=evil');
/** A `fetch()` POST with a simple content type that every framework parses (Fastify: no forms). */
const text = (origin: string, site: string | undefined) =>
  send('POST', origin, site, { 'content-type': 'text/plain' }, 'hello');

const refusedCrossOrigin = {
  status: 403,
  handlerRan: false,
  headersAbsent: [...ALLOW_HEADERS],
  varyIncludes: ['Origin', 'Sec-Fetch-Site'],
  decision: { allowed: false, reason: 'cross-origin-request-refused' },
} as const;
const reachesHandler = { status: 200, handlerRan: true } as const;

function scenario(
  id: string,
  name: string,
  options: CorsOptions,
  request: ScenarioRequest,
  expect: RequestScenario['expect'],
  source: readonly string[],
): RequestScenario {
  return { id, name, level: 'MUST', options, request, expect, source };
}

const protectionScenarios: RequestScenario[] = [
  scenario(
    'protection.off-by-default',
    'MUST let a cross-site POST reach the handler when crossOriginProtection is off (as cors does)',
    unprotected,
    text(EVIL, 'cross-site'),
    reachesHandler,
    [PROTECTION],
  ),
  scenario(
    'protection.cross-site-form-refused',
    'MUST refuse with 403, before the handler, a cross-site form POST from an origin the policy does not allow',
    protect,
    form(EVIL, 'cross-site'),
    { ...refusedCrossOrigin, decision: { kind: 'actual', ...refusedCrossOrigin.decision } },
    [PROTECTION, GO_CSRF, FETCH_METADATA],
  ),
  scenario(
    'protection.cross-site-text-plain-refused',
    'MUST refuse a cross-site text/plain fetch POST (no preflight) from an origin not allowed',
    protect,
    send('POST', EVIL, 'cross-site', { 'content-type': 'text/plain' }, '{"amount":100}'),
    refusedCrossOrigin,
    [PROTECTION, fetchSpec('cors-safelisted-request-header')],
  ),
  ...(['PUT', 'PATCH', 'DELETE'] as const).map((method) =>
    scenario(
      `protection.cross-site-${method.toLowerCase()}-refused`,
      `MUST refuse a cross-site ${method} from an origin not allowed`,
      protect,
      send(method, EVIL, 'cross-site'),
      refusedCrossOrigin,
      [PROTECTION],
    ),
  ),
  scenario(
    'protection.same-site-refused',
    'MUST refuse a same-site POST (a sibling subdomain) whose origin the policy does not allow',
    protect,
    form('https://blog.example.com', 'same-site'),
    refusedCrossOrigin,
    [PROTECTION, FETCH_METADATA],
  ),
  scenario(
    'protection.forged-sec-fetch-site-refused',
    'MUST treat a Sec-Fetch-Site value no browser sends (Same-Origin) as another origin',
    protect,
    form(EVIL, 'Same-Origin'),
    refusedCrossOrigin,
    [PROTECTION, GO_CSRF],
  ),
  scenario(
    'protection.repeated-sec-fetch-site-refused',
    'MUST refuse a POST carrying Sec-Fetch-Site twice (same-origin, same-origin)',
    protect,
    {
      method: 'POST',
      path: '/resource',
      headers: [
        ['host', OWN_HOST],
        ['origin', EVIL],
        ['sec-fetch-site', 'same-origin'],
        ['sec-fetch-site', 'same-origin'],
      ],
      body: 'x',
    },
    refusedCrossOrigin,
    [PROTECTION],
  ),
  scenario(
    'protection.null-origin-refused',
    "MUST refuse a POST from Origin: null (sandboxed iframe) unless 'null' is listed",
    protect,
    form('null', 'cross-site'),
    refusedCrossOrigin,
    [PROTECTION, "DESIGN.md: 'null' origin"],
  ),
  scenario(
    'protection.origin-host-mismatch-refused',
    'MUST refuse, without Sec-Fetch-Site (older browsers), a POST whose Origin is not the request Host',
    protect,
    form(EVIL, undefined),
    refusedCrossOrigin,
    [PROTECTION, GO_CSRF],
  ),
  scenario(
    'protection.origin-other-port-refused',
    'MUST refuse, without Sec-Fetch-Site, an Origin on the same host but another port',
    protect,
    form(`${OWN}:8443`, undefined),
    refusedCrossOrigin,
    [PROTECTION],
  ),
  scenario(
    'protection.allowed-origin-passes',
    'MUST let a cross-site POST from an allowed origin reach the handler, with its CORS headers',
    protect,
    text(APP, 'cross-site'),
    { ...reachesHandler, headersEqual: { 'access-control-allow-origin': APP } },
    [PROTECTION],
  ),
  scenario(
    'protection.same-origin-passes',
    'MUST let a same-origin POST (Sec-Fetch-Site: same-origin) reach the handler',
    protect,
    text(OWN, 'same-origin'),
    reachesHandler,
    [PROTECTION, FETCH_METADATA],
  ),
  scenario(
    'protection.user-initiated-passes',
    'MUST let a POST with Sec-Fetch-Site: none (user-initiated) reach the handler',
    protect,
    text(EVIL, 'none'),
    reachesHandler,
    [PROTECTION, GO_CSRF],
  ),
  scenario(
    'protection.origin-host-match-passes',
    'MUST let a POST without Sec-Fetch-Site whose Origin is the request Host reach the handler',
    protect,
    text(OWN, undefined),
    reachesHandler,
    [PROTECTION, GO_CSRF],
  ),
  scenario(
    'protection.no-browser-headers-passes',
    'MUST let a POST with neither Origin nor Sec-Fetch-Site (curl, webhooks) reach the handler',
    protect,
    send('POST', undefined, undefined, { 'content-type': 'application/json' }, '{}'),
    { ...reachesHandler, decision: { kind: 'not-cors', allowed: true } },
    [PROTECTION],
  ),
  scenario(
    'protection.safe-method-passes',
    'MUST let a cross-site GET from an origin not allowed reach the handler (GET must have no side effects)',
    protect,
    send('GET', EVIL, 'cross-site'),
    { ...reachesHandler, headersAbsent: [...ALLOW_HEADERS] },
    [PROTECTION, GO_CSRF],
  ),
  scenario(
    'protection.preflight-unchanged',
    'MUST answer a preflight from an origin not allowed as without protection (403, no CORS headers)',
    protect,
    {
      method: 'OPTIONS',
      path: '/resource',
      headers: {
        host: OWN_HOST,
        origin: EVIL,
        'sec-fetch-site': 'cross-site',
        'access-control-request-method': 'PUT',
      },
    },
    {
      status: 403,
      handlerRan: false,
      headersAbsent: [...ALLOW_HEADERS],
      decision: { reason: 'origin-not-allowed' },
    },
    [PROTECTION, 'DESIGN.md: preflight'],
  ),
  scenario(
    'protection.before-auth',
    "MUST refuse a cross-site POST to an authenticated route with 403 before the auth check's 401",
    protect,
    { ...form(EVIL, 'cross-site'), path: '/private' },
    { status: 403, handlerRan: false },
    [PROTECTION],
  ),
];

const hostScenarios: RequestScenario[] = [
  scenario(
    'hosts.unchecked-by-default',
    'MUST serve any Host when allowedHosts is not set',
    unprotected,
    { method: 'GET', path: '/resource', headers: { host: 'rebound.evil.net:3000' } },
    reachesHandler,
    [HOSTS],
  ),
  scenario(
    'hosts.unlisted-refused',
    'MUST refuse with 403, before the handler, a Host not in allowedHosts, naming the host to add',
    localHosts,
    { method: 'GET', path: '/resource', headers: { host: 'rebound.evil.net:3000' } },
    {
      status: 403,
      handlerRan: false,
      body: "@cors: the host 'rebound.evil.net' is not allowed. If this server should answer to it, add 'rebound.evil.net' to allowedHosts.\n",
      headersEqual: { 'x-content-type-options': 'nosniff' },
      decision: { kind: 'not-cors', allowed: false, reason: 'host-not-allowed' },
    },
    [HOSTS, REBINDING],
  ),
  scenario(
    'hosts.unlisted-allowed-origin-refused',
    'MUST refuse an unlisted Host even for an allowed origin, with no CORS headers',
    localHosts,
    {
      method: 'POST',
      path: '/resource',
      headers: { host: 'rebound.evil.net', origin: APP },
      body: '{}',
    },
    { status: 403, handlerRan: false, headersAbsent: [...ALLOW_HEADERS] },
    [HOSTS],
  ),
  scenario(
    'hosts.preflight-refused',
    'MUST refuse a preflight to an unlisted Host with 403 and no CORS headers',
    localHosts,
    {
      method: 'OPTIONS',
      path: '/resource',
      headers: { host: 'rebound.evil.net', origin: APP, 'access-control-request-method': 'PUT' },
    },
    {
      status: 403,
      headersAbsent: [...ALLOW_HEADERS],
      decision: { kind: 'preflight', reason: 'host-not-allowed' },
    },
    [HOSTS],
  ),
  scenario(
    'hosts.before-auth',
    "MUST refuse an unlisted Host with 403 before the auth check's 401",
    localHosts,
    { method: 'GET', path: '/private', headers: { host: 'rebound.evil.net' } },
    { status: 403, handlerRan: false },
    [HOSTS],
  ),
  scenario(
    'hosts.before-not-found',
    "MUST refuse an unlisted Host with 403 before the framework's 404",
    localHosts,
    { method: 'GET', path: '/nowhere', headers: { host: 'rebound.evil.net' } },
    { status: 403 },
    [HOSTS],
  ),
  ...(
    [
      ['listed', 'localhost:5173'],
      ['case-and-trailing-dot', 'LocalHost.:5173'],
      ['ipv4', '127.0.0.1:8080'],
      ['ipv6-brackets', '[::1]:3000'],
      ['pattern', 'api.eu.example.com'],
    ] as const
  ).map(([id, host]) =>
    scenario(
      `hosts.${id}-passes`,
      `MUST serve a listed Host (${host})`,
      localHosts,
      { method: 'GET', path: '/resource', headers: { host } },
      reachesHandler,
      [HOSTS],
    ),
  ),
  ...(
    [
      ['pattern-apex', 'example.com'],
      ['look-alike', 'localhost.evil.net'],
      ['ipv6-without-brackets', '::1'],
      ['empty-port', 'localhost:'],
      ['user-info', 'evil.net@localhost'],
      ['two-trailing-dots', 'localhost..'],
    ] as const
  ).map(([id, host]) =>
    scenario(
      `hosts.${id}-refused`,
      `MUST refuse the Host ${host}`,
      localHosts,
      { method: 'GET', path: '/resource', headers: { host } },
      { status: 403, handlerRan: false },
      [HOSTS],
    ),
  ),
];

const refusedConfig = (
  id: string,
  name: string,
  options: CorsOptions,
  source: string,
): ConfigErrorScenario => ({
  id: `config.${id}`,
  name,
  level: 'MUST',
  options,
  source: [source],
  expect: { configError: true },
});

const configScenarios: ConfigErrorScenario[] = [
  refusedConfig(
    'allowed-headers.cookie',
    'MUST refuse Cookie in allowedHeaders (a page never sets it; cookies go with credentials)',
    { origin: APP, allowedHeaders: ['Content-Type', 'Cookie'] },
    FORBIDDEN,
  ),
  refusedConfig(
    'allowed-headers.sec-prefix',
    'MUST refuse a Sec-* name in allowedHeaders',
    { origin: APP, allowedHeaders: ['Sec-Fetch-Site'] },
    FORBIDDEN,
  ),
  refusedConfig(
    'allowed-headers.access-control',
    'MUST refuse an Access-Control-* name in allowedHeaders',
    { origin: APP, allowedHeaders: ['Access-Control-Allow-Origin'] },
    FORBIDDEN,
  ),
  refusedConfig(
    'exposed-headers.access-control',
    'MUST refuse an Access-Control-* name in exposedHeaders',
    { origin: APP, exposedHeaders: ['Access-Control-Allow-Origin'] },
    FORBIDDEN,
  ),
  refusedConfig(
    'allowed-hosts.url',
    'MUST refuse a URL in allowedHosts (Host carries host[:port] only)',
    { origin: APP, allowedHosts: ['http://localhost:3000'] },
    HOSTS,
  ),
  refusedConfig(
    'allowed-hosts.public-suffix',
    'MUST refuse a wildcard host on a public suffix (*.com)',
    { origin: APP, allowedHosts: ['*.com'] },
    HOSTS,
  ),
];

/** crossOriginProtection, allowedHosts and the header names a page cannot set. */
export const protectionScenarioTable: Array<RequestScenario | ConfigErrorScenario> = [
  ...configScenarios,
  ...protectionScenarios,
  ...hostScenarios,
];
