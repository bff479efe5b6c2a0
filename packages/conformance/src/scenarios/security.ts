import type { CorsOptions } from '@cors/core';
import type { RequestScenario } from '../types.js';
import { ALLOW_HEADERS, design, fetchSpec, preflight, simple } from './support.js';

// Origin-bypass probes: the origins attackers try against allow-lists that are checked with
// `startsWith`, `endsWith`, `includes` or an unescaped/unanchored RegExp. Generated from the tables
// below so that every probe runs against each kind of configuration with a stable id:
// `security.bypass.<config>.<probe>[.preflight]`.

/** The origin every configuration allows. */
const ALLOWED = 'https://www.example.com';

const PORTSWIGGER =
  'https://portswigger.net/research/exploiting-cors-misconfigurations-for-bitcoins-and-bounties';
const SPECIAL_CHARS = 'https://www.corben.io/advanced-cors-techniques/';

/** A probe: id suffix, the Origin sent, and what it imitates. */
interface Probe {
  id: string;
  origin: string;
  what: string;
  /**
   * The bytes are outside what some HTTP parsers accept in a header value: the framework may
   * answer 400 before CORS runs, so the status is not asserted (no Access-Control-Allow-* either way).
   */
  parserMayRefuse?: true;
}

const named: Probe[] = [
  { id: 'other-site', origin: 'https://evil.com', what: 'an unrelated site' },
  {
    id: 'appended-domain',
    origin: 'https://www.example.com.evil.com',
    what: 'the allowed origin followed by an attacker domain (startsWith)',
  },
  {
    id: 'prefixed-host',
    origin: 'https://evilexample.com',
    what: 'a host that ends with the allowed domain text (endsWith)',
  },
  {
    id: 'sub-subdomain',
    origin: 'https://evil.www.example.com',
    what: 'a subdomain of the allowed host',
  },
  { id: 'truncated', origin: 'https://xample.com', what: 'a truncated host (includes)' },
  {
    id: 'unescaped-dot',
    origin: 'https://www.exampleacom',
    what: 'any character in place of a dot (an unescaped `.` in a RegExp)',
  },
  { id: 'http-twin', origin: 'http://www.example.com', what: 'the http:// twin' },
  { id: 'null', origin: 'null', what: 'the opaque origin `null` (sandboxed iframes, file:)' },
  { id: 'upper-case', origin: 'HTTPS://WWW.EXAMPLE.COM', what: 'the upper-case spelling' },
  { id: 'mixed-case-host', origin: 'https://WWW.example.com', what: 'an upper-case label' },
  {
    id: 'inner-space',
    origin: 'https://www.example.com .evil.com',
    what: 'a space before an attacker suffix',
  },
  {
    id: 'trailing-dot',
    origin: 'https://www.example.com.',
    what: 'the fully-qualified spelling with a trailing dot',
  },
  {
    id: 'default-port',
    origin: 'https://www.example.com:443',
    what: 'the explicit default port',
  },
  {
    id: 'user-info',
    origin: 'https://www.example.com@evil.com',
    what: 'user-info that names the allowed host',
  },
  {
    id: 'path-suffix',
    origin: 'https://evil.com/www.example.com',
    what: 'a path that names the allowed host',
  },
  {
    id: 'percent-dot',
    origin: 'https://www%2eexample.com',
    what: 'a percent-encoded dot',
  },
];

// Characters some browsers (Safari, older Firefox) accept in a host, so that
// `https://www.example.com<c>.evil.com` reaches the server from a page of evil.com.
const specialChars: ReadonlyArray<readonly [id: string, char: string, parserMayRefuse?: true]> = [
  ['underscore', '_'],
  ['hyphen', '-'],
  ['double-quote', '"', true],
  ['open-brace', '{', true],
  ['close-brace', '}', true],
  ['plus', '+'],
  ['caret', '^', true],
  ['exclamation', '!'],
  ['tilde', '~'],
  ['semicolon', ';'],
  ['pipe', '|', true],
  ['ampersand', '&'],
  ['apostrophe', "'"],
  ['open-paren', '('],
  ['close-paren', ')'],
  ['asterisk', '*'],
  ['comma', ','],
  ['dollar', '$'],
  ['equals', '='],
  ['percent-60', '%60'],
  ['percent-0b', '%0b'],
  ['backtick', '`', true],
];

const specialProbes: Probe[] = specialChars.map(([id, char, parserMayRefuse]) => ({
  id: `char-${id}`,
  origin: `${ALLOWED}${char}.evil.com`,
  what: `the allowed host followed by ${JSON.stringify(char)} and an attacker domain`,
  ...(parserMayRefuse ? { parserMayRefuse } : {}),
}));

/** Extra probes for a subdomain pattern, whose allowed set is `*.example.com`. */
const patternProbes: Probe[] = [
  { id: 'apex', origin: 'https://example.com', what: 'the apex, which `*.` does not cover' },
  {
    id: 'apex-appended',
    origin: 'https://example.com.evil.com',
    what: 'the apex followed by an attacker domain',
  },
  {
    id: 'path-ends-with',
    origin: 'https://evil.com/.example.com',
    what: 'a path ending in the pattern suffix',
  },
  {
    id: 'query-ends-with',
    origin: 'https://evil.com?.example.com',
    what: 'a query ending in the pattern suffix',
  },
  {
    id: 'fragment-ends-with',
    origin: 'https://evil.com#.example.com',
    what: 'a fragment ending in the pattern suffix',
  },
  {
    id: 'backslash-ends-with',
    origin: 'https://evil.com\\.example.com',
    what: 'a backslash before the pattern suffix',
    parserMayRefuse: true,
  },
  {
    id: 'empty-label',
    origin: 'https://.example.com',
    what: 'an empty leftmost label',
  },
  {
    id: 'port-in-label',
    origin: 'https://evil.com:443.example.com',
    what: 'a port smuggled before the pattern suffix',
  },
];

interface Target {
  id: string;
  options: CorsOptions;
  label: string;
  sources: readonly string[];
  probes: readonly Probe[];
}

// One options object per configuration, shared by its probes, so a run starts one server for each.
const targets: Target[] = [
  {
    id: 'exact',
    options: { origin: [ALLOWED] },
    label: `the exact list [${ALLOWED}]`,
    sources: [design('exact origins'), design('request Origin')],
    probes: [...named, ...specialProbes],
  },
  {
    id: 'pattern',
    options: { origin: 'https://*.example.com' },
    label: 'the pattern https://*.example.com',
    sources: [design('wildcard patterns'), design('request Origin')],
    // Any subdomain depth is allowed by design.
    probes: [...named, ...specialProbes, ...patternProbes].filter((p) => p.id !== 'sub-subdomain'),
  },
  {
    id: 'regexp',
    options: { origin: /^https:\/\/(?:www\.)?example\.com$/ },
    label: 'the RegExp /^https:\\/\\/(?:www\\.)?example\\.com$/',
    sources: [design('RegExp'), design('request Origin')],
    // The apex is allowed by this RegExp.
    probes: [...named, ...specialProbes, ...patternProbes.filter((p) => p.id !== 'apex')],
  },
];

const refusedActual = (probe: Probe) => ({
  ...(probe.parserMayRefuse ? {} : { status: 200, handlerRan: true }),
  headersAbsent: ALLOW_HEADERS,
  ...(probe.parserMayRefuse ? {} : { varyIncludes: ['Origin'] }),
});

const refusedPreflight = (probe: Probe) => ({
  ...(probe.parserMayRefuse ? {} : { status: 403, handlerRan: false, varyIncludes: ['Origin'] }),
  headersAbsent: [...ALLOW_HEADERS, 'access-control-max-age'],
});

const parserNote = (probe: Probe) =>
  probe.parserMayRefuse
    ? ' (the HTTP parser may refuse these bytes first: status not asserted)'
    : '';

function probeScenarios(target: Target): RequestScenario[] {
  return target.probes.flatMap((probe): RequestScenario[] => {
    const sources = [...target.sources, fetchSpec('cors-check'), PORTSWIGGER];
    if (probe.id.startsWith('char-')) sources.push(SPECIAL_CHARS);
    const actual: RequestScenario = {
      id: `security.bypass.${target.id}.${probe.id}`,
      name: `MUST NOT allow ${probe.what}, ${JSON.stringify(probe.origin)}, with ${target.label}${parserNote(probe)}`,
      level: 'MUST',
      options: target.options,
      request: simple('GET', '/resource', probe.origin),
      expect: refusedActual(probe),
      source: sources,
    };
    // The named probes also as preflights: a refused preflight is a 403 without Allow-* headers.
    if (probe.id.startsWith('char-')) return [actual];
    return [
      actual,
      {
        id: `security.bypass.${target.id}.${probe.id}.preflight`,
        name: `MUST refuse a preflight from ${probe.what}, ${JSON.stringify(probe.origin)}, with ${target.label}${parserNote(probe)}`,
        level: 'MUST',
        options: target.options,
        request: preflight(probe.origin, 'PUT', 'x-token'),
        expect: refusedPreflight(probe),
        source: [...sources, design('preflight'), fetchSpec('cors-preflight-fetch')],
      },
    ];
  });
}

/** Controls: the allowed origin itself passes every configuration (so the probes prove something). */
const controls: RequestScenario[] = targets.map((target) => ({
  id: `security.bypass.${target.id}.control`,
  name: `MUST allow ${ALLOWED} itself with ${target.label}, so that the probes of this configuration are meaningful`,
  level: 'MUST',
  options: target.options,
  request: simple('GET', '/resource', ALLOWED),
  expect: {
    status: 200,
    handlerRan: true,
    headersEqual: { 'access-control-allow-origin': ALLOWED },
    varyIncludes: ['Origin'],
  },
  source: [...target.sources],
}));

// Whitespace around a header value is HTTP framing, not part of the value (RFC 9110, 5.5): every
// parser strips it before CORS runs, so the Origin *is* the allowed one. What must hold is that the
// whitespace is never echoed. (Core itself never trims: see apps/example/test/security.)
const RFC9110_VALUES = 'https://www.rfc-editor.org/rfc/rfc9110#section-5.5';
const whitespace: RequestScenario[] = [
  ['trailing-space', `${ALLOWED} `],
  ['leading-space', ` ${ALLOWED}`],
  ['trailing-tab', `${ALLOWED}\t`],
].map(([id, origin]) => ({
  id: `security.whitespace.${id}`,
  name: `MUST reflect only the field value of ${JSON.stringify(origin)} (the parser strips the whitespace), never the whitespace itself`,
  level: 'MUST',
  options: targets[0]!.options,
  request: simple('GET', '/resource', origin),
  expect: {
    status: 200,
    handlerRan: true,
    headersEqual: { 'access-control-allow-origin': ALLOWED },
    varyIncludes: ['Origin'],
  },
  source: [design('request Origin'), RFC9110_VALUES],
}));

/** Origins crafted to slip past a naive allow-list: none of them may be allowed. */
export const securityScenarios: RequestScenario[] = [
  ...controls,
  ...whitespace,
  ...targets.flatMap(probeScenarios),
];
