// Verifies the browser model (src/browser) against real headless Chromium.
//
//   pnpm exec tsx scripts/verify-browser-model.ts            compare, print a summary, exit 1 on any mismatch
//   pnpm exec tsx scripts/verify-browser-model.ts --write    also record Chromium's answers in
//                                                            src/browser/chromium-vectors.json (the unit tests' table)
//
// Needs /usr/bin/chromium (or CHROMIUM=/path) and playwright-core (a root devDependency); Chromium
// is found and launched by scripts/chromium.ts, as for apps/example's browser tests. Not part of
// the test run. A node:http server on 127.0.0.1 serves a page from http://app.example.test:PORT
// and replays each vector's responses from http://api.example.test:PORT (both names mapped to
// 127.0.0.1 with --host-resolver-rules); the page calls fetch(), the console line Chromium prints is
// compared with the model's message, and the preflight the server received with
// needsPreflight() / preflightRequestHeaders(). Every vector has its own URL, so neither the HTTP
// cache nor the preflight cache carries over.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkPreflight,
  checkResponse,
  needsPreflight,
  preflightRequestHeaders,
} from '../src/browser/index.js';
import type { ModelledCorsErrorCode } from '../src/browser/messages.js';
import type { BrowserCheck, BrowserRequest, BrowserResponse } from '../src/browser/types.js';
import { chromiumPath, corsConsoleLines, launchChromium } from './chromium.js';

type Headers = Record<string, string | string[]>;
interface Vector {
  name: string;
  method?: string;
  headers?: Record<string, string>;
  credentials?: 'omit' | 'same-origin' | 'include';
  /** Fetch from the page's own origin instead of the API origin. */
  sameOrigin?: boolean;
  /** Appended to the vector's URL path (a fragment, say). */
  suffix?: string;
  /** Upper-case the API host in the URL. */
  upperHost?: boolean;
  /** The preflight answer; default: allow exactly what was asked. `{origin}` is the page's origin. */
  preflight?: { status: number; headers: Headers };
  /** The actual answer; default: 200 with the origin and credentials allowed. */
  actual?: { status: number; headers: Headers };
  /** Chromium names one of several refused headers, chosen by its hash-map order (see docs). */
  anyRefusedHeader?: boolean;
  /**
   * Node's HTTP parser refuses this method with a bare 400 before the handler runs; `actual` is
   * that answer.
   */
  refusedByNode?: boolean;
}

const O = '{origin}';
const NO_CORS = { status: 204, headers: {} };
const allow = (headers: Headers = {}, status = 204) => ({
  status,
  headers: { 'access-control-allow-origin': O, ...headers },
});
const withCreds = (headers: Headers = {}, status = 204) =>
  allow({ 'access-control-allow-credentials': 'true', ...headers }, status);
const acao = (value: string | string[]) => ({
  status: 200,
  headers: { 'access-control-allow-origin': value },
});
const n = (c: string, length: number) => c.repeat(length);

const vectors: Vector[] = [
  // The CORS check on the actual response.
  { name: 'GET, no Access-Control-Allow-Origin', actual: { status: 200, headers: {} } },
  { name: 'GET, the exact origin', actual: acao(O) },
  { name: 'GET, wildcard without credentials', actual: acao('*') },
  { name: 'GET, wildcard, credentials omit', credentials: 'omit', actual: acao('*') },
  {
    name: 'GET, wildcard with credentials include',
    credentials: 'include',
    actual: {
      status: 200,
      headers: { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' },
    },
  },
  { name: 'GET, two Access-Control-Allow-Origin fields', actual: acao([O, O]) },
  { name: 'GET, two wildcard fields', actual: acao(['*', '*']) },
  { name: 'GET, two origins separated by a space', actual: acao('http://a.test http://b.test') },
  { name: 'GET, two origins separated by a comma', actual: acao('http://a.test,http://b.test') },
  { name: "GET, 'null'", actual: acao('null') },
  { name: "GET, 'foo'", actual: acao('foo') },
  { name: 'GET, empty value', actual: acao('') },
  { name: "GET, 'http://'", actual: acao('http://') },
  { name: "GET, '//a.test'", actual: acao('//a.test') },
  { name: 'GET, port out of range', actual: acao('http://a.test:99999') },
  { name: "GET, 'javascript:x'", actual: acao('javascript:x') },
  { name: "GET, 'http:a.test'", actual: acao('http:a.test') },
  { name: 'GET, origin with a trailing slash', actual: acao(`${O}/`) },
  { name: 'GET, origin in upper case', actual: acao('HTTP://APP.EXAMPLE.TEST') },
  { name: 'GET, another origin', actual: acao('https://other.test') },
  { name: 'GET, origin with a trailing space', actual: acao(`${O} `) },
  {
    name: "credentials include, Access-Control-Allow-Credentials 'True'",
    credentials: 'include',
    actual: {
      status: 200,
      headers: { 'access-control-allow-origin': O, 'access-control-allow-credentials': 'True' },
    },
  },
  {
    name: 'credentials include, no Access-Control-Allow-Credentials',
    credentials: 'include',
    actual: acao(O),
  },
  {
    name: 'credentials include, two Access-Control-Allow-Credentials fields',
    credentials: 'include',
    actual: {
      status: 200,
      headers: {
        'access-control-allow-origin': O,
        'access-control-allow-credentials': ['true', 'true'],
      },
    },
  },
  {
    name: 'credentials include, origin and true',
    credentials: 'include',
    actual: withCreds({}, 200),
  },
  {
    name: 'credentials omit ignores Access-Control-Allow-Credentials',
    credentials: 'omit',
    actual: {
      status: 200,
      headers: { 'access-control-allow-origin': O, 'access-control-allow-credentials': 'nope' },
    },
  },
  { name: 'actual 500 with the origin is readable', actual: allow({}, 500) },
  { name: 'actual 500 without the origin', actual: { status: 500, headers: {} } },
  { name: 'URL with a fragment', suffix: '#frag', actual: { status: 200, headers: {} } },
  { name: 'URL with an upper-case host', upperHost: true, actual: { status: 200, headers: {} } },
  {
    name: 'same-origin PUT with a custom header: no CORS',
    sameOrigin: true,
    method: 'PUT',
    headers: { 'x-a': '1' },
    actual: { status: 200, headers: {} },
  },
  {
    name: 'preflight passes, actual without the origin',
    method: 'DELETE',
    actual: { status: 200, headers: {} },
  },

  // The preflight's CORS check, then its status.
  { name: 'preflight without Access-Control-Allow-Origin', method: 'PUT', preflight: NO_CORS },
  { name: 'preflight, another origin', method: 'PUT', preflight: acao('http://b.test') },
  { name: 'preflight, two origins', method: 'PUT', preflight: acao([O, 'http://b.test']) },
  { name: "preflight, 'foo'", method: 'PUT', preflight: acao('foo') },
  { name: "preflight, 'null'", method: 'PUT', preflight: acao('null') },
  {
    name: 'preflight, wildcard with credentials include',
    method: 'PUT',
    credentials: 'include',
    preflight: {
      status: 204,
      headers: {
        'access-control-allow-origin': '*',
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'PUT',
      },
    },
  },
  {
    name: "preflight, Access-Control-Allow-Credentials 'True'",
    method: 'PUT',
    credentials: 'include',
    preflight: allow({
      'access-control-allow-credentials': 'True',
      'access-control-allow-methods': 'PUT',
    }),
  },
  {
    name: 'preflight, no Access-Control-Allow-Credentials',
    method: 'PUT',
    credentials: 'include',
    preflight: allow({ 'access-control-allow-methods': 'PUT' }),
  },
  {
    name: 'preflight 500 without the origin: the CORS check comes first',
    method: 'PUT',
    preflight: { status: 500, headers: {} },
  },
  {
    name: 'preflight 500 with the origin',
    method: 'PUT',
    preflight: allow({ 'access-control-allow-methods': 'PUT' }, 500),
  },
  {
    name: 'preflight 404 with the origin',
    method: 'PUT',
    preflight: allow({ 'access-control-allow-methods': 'PUT' }, 404),
  },
  {
    name: 'preflight 403 without the origin',
    method: 'PUT',
    preflight: { status: 403, headers: {} },
  },
  {
    name: 'preflight 200',
    method: 'PUT',
    preflight: allow({ 'access-control-allow-methods': 'PUT' }, 200),
  },
  {
    name: 'preflight 299',
    method: 'PUT',
    preflight: allow({ 'access-control-allow-methods': 'PUT' }, 299),
  },
  {
    name: 'preflight 302 with Location, no origin',
    method: 'PUT',
    preflight: { status: 302, headers: { location: '/elsewhere' } },
  },
  {
    name: 'preflight 301 with Location and the origin',
    method: 'PUT',
    preflight: allow({ location: '/elsewhere' }, 301),
  },
  {
    name: 'preflight 303 with Location',
    method: 'PUT',
    preflight: { status: 303, headers: { location: '/elsewhere' } },
  },
  {
    name: 'preflight 307 with Location',
    method: 'PUT',
    preflight: { status: 307, headers: { location: '/elsewhere' } },
  },
  {
    name: 'preflight 308 with Location, wildcard with credentials',
    method: 'PUT',
    credentials: 'include',
    preflight: {
      status: 308,
      headers: { location: '/elsewhere', 'access-control-allow-origin': '*' },
    },
  },
  {
    name: 'preflight 302 without Location, with the origin',
    method: 'PUT',
    preflight: allow({ 'access-control-allow-methods': 'PUT' }, 302),
  },
  {
    name: 'preflight 302 without Location or origin',
    method: 'PUT',
    preflight: { status: 302, headers: {} },
  },
  {
    name: 'preflight 302 with an empty Location',
    method: 'PUT',
    preflight: { status: 302, headers: { location: '' } },
  },
  {
    name: 'preflight 300 with Location',
    method: 'PUT',
    preflight: { status: 300, headers: { location: '/elsewhere' } },
  },
  {
    name: 'preflight 304 with the origin',
    method: 'PUT',
    preflight: allow({ 'access-control-allow-methods': 'PUT' }, 304),
  },

  // Access-Control-Allow-Methods.
  { name: 'PUT, no Access-Control-Allow-Methods', method: 'PUT', preflight: allow() },
  {
    name: 'PUT, empty Access-Control-Allow-Methods',
    method: 'PUT',
    preflight: allow({ 'access-control-allow-methods': '' }),
  },
  {
    name: 'PUT, methods wildcard',
    method: 'PUT',
    preflight: allow({ 'access-control-allow-methods': '*' }),
  },
  {
    name: 'PUT, methods wildcard with credentials',
    method: 'PUT',
    credentials: 'include',
    preflight: withCreds({ 'access-control-allow-methods': '*' }),
  },
  {
    name: 'PUT, wildcard and PUT with credentials',
    method: 'PUT',
    credentials: 'include',
    preflight: withCreds({ 'access-control-allow-methods': '*, PUT' }),
  },
  {
    name: "PUT, 'put' listed",
    method: 'PUT',
    preflight: allow({ 'access-control-allow-methods': 'put' }),
  },
  {
    name: "PUT, 'get' listed",
    method: 'PUT',
    preflight: allow({ 'access-control-allow-methods': 'get' }),
  },
  {
    name: "'put' is normalised to PUT",
    method: 'put',
    preflight: allow({ 'access-control-allow-methods': 'PUT' }),
  },
  {
    name: "'delete' is normalised to DELETE",
    method: 'delete',
    preflight: allow({ 'access-control-allow-methods': 'DELETE' }),
  },
  {
    name: "'patch' is not normalised: PATCH does not allow it",
    method: 'patch',
    preflight: allow({ 'access-control-allow-methods': 'PATCH' }),
  },
  {
    name: "'patch' allowed by 'patch'",
    method: 'patch',
    preflight: allow({ 'access-control-allow-methods': 'patch' }),
    actual: { status: 400, headers: {} },
    refusedByNode: true,
  },
  {
    name: 'PATCH allowed by PATCH',
    method: 'PATCH',
    preflight: allow({ 'access-control-allow-methods': 'GET, PATCH' }),
  },
  {
    name: "'Patch' keeps its case",
    method: 'Patch',
    preflight: allow({ 'access-control-allow-methods': 'PATCH' }),
  },
  {
    name: 'custom method PROPFIND',
    method: 'PROPFIND',
    preflight: allow({ 'access-control-allow-methods': 'PROPFIND' }),
  },
  {
    name: 'custom method FOO, refused by Node',
    method: 'FOO',
    preflight: allow({ 'access-control-allow-methods': 'FOO' }),
    actual: { status: 400, headers: {} },
    refusedByNode: true,
  },
  {
    name: "'options' is normalised to OPTIONS",
    method: 'options',
    preflight: allow({ 'access-control-allow-methods': 'OPTIONS' }),
  },
  { name: "'gEt' needs no preflight", method: 'gEt', actual: acao(O) },
  {
    name: "methods 'GET POST' do not parse",
    method: 'PUT',
    preflight: allow({ 'access-control-allow-methods': 'GET POST' }),
  },
  {
    name: "methods 'PUT;' do not parse",
    method: 'PUT',
    preflight: allow({ 'access-control-allow-methods': 'PUT;' }),
  },
  {
    name: 'quoted method does not parse',
    method: 'PUT',
    preflight: allow({ 'access-control-allow-methods': '"PUT"' }),
  },
  {
    name: 'empty list elements are ignored',
    method: 'PUT',
    preflight: allow({ 'access-control-allow-methods': ',,PUT, ' }),
  },
  {
    name: 'tab around a method',
    method: 'PUT',
    preflight: allow({ 'access-control-allow-methods': 'GET,\tPUT' }),
  },
  {
    name: 'two Access-Control-Allow-Methods fields',
    method: 'PUT',
    preflight: allow({ 'access-control-allow-methods': ['GET', 'PUT'] }),
  },
  {
    name: 'unparsable methods fail even for a safelisted method',
    headers: { 'x-a': '1' },
    preflight: allow({
      'access-control-allow-methods': 'G E T',
      'access-control-allow-headers': 'x-a',
    }),
  },
  {
    name: 'safelisted POST needs no Access-Control-Allow-Methods',
    method: 'POST',
    headers: { 'x-a': '1' },
    preflight: allow({ 'access-control-allow-headers': 'x-a' }),
  },
  {
    name: 'methods are parsed before headers',
    method: 'PUT',
    headers: { 'x-a': '1' },
    preflight: allow({
      'access-control-allow-methods': 'P U',
      'access-control-allow-headers': 'x y',
    }),
  },
  {
    name: 'headers are parsed before the method is checked',
    method: 'PUT',
    headers: { 'x-a': '1' },
    preflight: allow({ 'access-control-allow-headers': 'x y' }),
  },
  {
    name: 'the method is checked before the headers',
    method: 'PUT',
    headers: { 'x-a': '1' },
    preflight: allow(),
  },

  // Access-Control-Allow-Headers.
  { name: 'header not allowed', headers: { 'x-a': '1' }, preflight: allow() },
  {
    name: 'empty Access-Control-Allow-Headers',
    headers: { 'x-a': '1' },
    preflight: allow({ 'access-control-allow-headers': '' }),
  },
  {
    name: 'headers compared case-insensitively',
    headers: { 'X-Foo': 'x' },
    preflight: allow({ 'access-control-allow-headers': 'X-FOO' }),
  },
  {
    name: "headers 'x-a x-b' do not parse",
    headers: { 'x-a': '1' },
    preflight: allow({ 'access-control-allow-headers': 'x-a x-b' }),
  },
  {
    name: "headers 'x-a;' do not parse",
    headers: { 'x-a': '1' },
    preflight: allow({ 'access-control-allow-headers': 'x-a;' }),
  },
  {
    name: 'unparsable headers fail with no header to allow',
    method: 'PUT',
    preflight: allow({
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'x y',
    }),
  },
  {
    name: 'headers wildcard',
    headers: { 'x-a': '1' },
    preflight: allow({ 'access-control-allow-headers': '*' }),
  },
  {
    name: 'headers wildcard covers Authorization (Chromium)',
    headers: { Authorization: 'Bearer t' },
    preflight: allow({ 'access-control-allow-headers': '*' }),
  },
  {
    name: 'headers wildcard with credentials is a literal name',
    credentials: 'include',
    headers: { 'x-a': '1' },
    preflight: withCreds({ 'access-control-allow-headers': '*' }),
  },
  {
    name: 'wildcard and authorization with credentials',
    credentials: 'include',
    headers: { Authorization: 'x', 'x-a': '1' },
    preflight: withCreds({ 'access-control-allow-headers': '*, authorization' }),
  },
  {
    name: 'a header named *',
    headers: { '*': '1' },
    preflight: allow({ 'access-control-allow-headers': '*' }),
  },
  {
    name: 'JSON content type not allowed',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    preflight: allow({ 'access-control-allow-headers': 'x-a' }),
  },
  {
    name: 'safelisted header beside a custom one',
    headers: { 'content-type': 'text/plain', 'x-a': '1' },
    preflight: allow({ 'access-control-allow-headers': 'x-a' }),
  },
  {
    name: 'several headers refused',
    headers: { 'x-c': '1', 'x-a': '1', 'X-B': '1' },
    preflight: allow({ 'access-control-allow-headers': 'zzz' }),
    anyRefusedHeader: true,
  },

  // Which requests need a preflight, and its Access-Control-Request-Headers.
  { name: 'Authorization', headers: { Authorization: 'x' }, preflight: NO_CORS },
  { name: 'Accept of 128 bytes', headers: { accept: n('a', 128) }, preflight: NO_CORS },
  { name: 'Accept of 129 bytes', headers: { accept: n('a', 129) }, preflight: NO_CORS },
  {
    name: 'Accept stripped of surrounding spaces before the length check',
    headers: { accept: `  ${n('a', 128)}  ` },
    preflight: NO_CORS,
  },
  { name: 'Accept with a double quote', headers: { accept: 'a"b' }, preflight: NO_CORS },
  { name: 'Accept with DEL', headers: { accept: 'a\x7fb' }, preflight: NO_CORS },
  { name: 'Accept with a tab', headers: { accept: 'a\tb' }, preflight: NO_CORS },
  { name: 'Accept with a Latin-1 letter', headers: { accept: 'caf\u00e9' }, preflight: NO_CORS },
  { name: "Accept-Language 'en_US'", headers: { 'accept-language': 'en_US' }, preflight: NO_CORS },
  {
    name: 'Content-Language with q-values',
    headers: { 'content-language': 'en-US, de;q=0.5' },
    preflight: NO_CORS,
  },
  {
    name: 'Content-Language with a Latin-1 letter',
    headers: { 'content-language': 'caf\u00e9' },
    preflight: NO_CORS,
  },
  {
    name: 'Content-Type text/plain with charset',
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    preflight: NO_CORS,
  },
  {
    name: 'Content-Type application/json',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    preflight: NO_CORS,
  },
  {
    name: 'Content-Type multipart in mixed case',
    method: 'POST',
    headers: { 'content-type': 'Multipart/Form-Data; boundary=x' },
    preflight: NO_CORS,
  },
  {
    name: 'Content-Type form-urlencoded',
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    preflight: NO_CORS,
  },
  {
    name: 'Content-Type with a space before ;',
    method: 'POST',
    headers: { 'content-type': 'text/plain ; charset=x' },
    preflight: NO_CORS,
  },
  {
    name: 'Content-Type text/plain;',
    method: 'POST',
    headers: { 'content-type': 'text/plain;' },
    preflight: NO_CORS,
  },
  {
    name: 'Content-Type TEXT/PLAIN',
    method: 'POST',
    headers: { 'content-type': 'TEXT/PLAIN' },
    preflight: NO_CORS,
  },
  {
    name: 'Content-Type with two types',
    method: 'POST',
    headers: { 'content-type': 'text/plain, application/json' },
    preflight: NO_CORS,
  },
  {
    name: 'Content-Type empty',
    method: 'POST',
    headers: { 'content-type': '' },
    preflight: NO_CORS,
  },
  {
    name: "Content-Type 'text / plain'",
    method: 'POST',
    headers: { 'content-type': 'text / plain' },
    preflight: NO_CORS,
  },
  {
    name: "Content-Type 'text/plain/x'",
    method: 'POST',
    headers: { 'content-type': 'text/plain/x' },
    preflight: NO_CORS,
  },
  {
    name: 'Content-Type with a quoted parameter',
    method: 'POST',
    headers: { 'content-type': 'text/plain; a="b"' },
    preflight: NO_CORS,
  },
  {
    name: 'Content-Type over 128 bytes',
    method: 'POST',
    headers: { 'content-type': `text/plain; x=${n('a', 120)}` },
    preflight: NO_CORS,
  },
  { name: 'Range bytes=0-10', headers: { range: 'bytes=0-10' }, preflight: NO_CORS },
  { name: 'Range bytes=5-', headers: { range: 'bytes=5-' }, preflight: NO_CORS },
  { name: 'Range bytes=1-1', headers: { range: 'bytes=1-1' }, preflight: NO_CORS },
  { name: 'Range with two ranges', headers: { range: 'bytes=0-1,3-4' }, preflight: NO_CORS },
  { name: 'Range suffix bytes=-5', headers: { range: 'bytes=-5' }, preflight: NO_CORS },
  { name: 'Range with a space', headers: { range: 'bytes= 0-1' }, preflight: NO_CORS },
  { name: 'Range bytes=5-1', headers: { range: 'bytes=5-1' }, preflight: NO_CORS },
  { name: 'Range BYTES=0-1', headers: { range: 'BYTES=0-1' }, preflight: NO_CORS },
  { name: 'Range items=0-1', headers: { range: 'items=0-1' }, preflight: NO_CORS },
  {
    name: 'client hints: DPR, Width, Viewport-Width, Device-Memory, Save-Data',
    headers: {
      dpr: '2',
      width: '3',
      'viewport-width': '4',
      'device-memory': '0.5',
      'save-data': 'on',
    },
    preflight: NO_CORS,
  },
  { name: 'DPR 1.5', headers: { dpr: '1.5' }, preflight: NO_CORS },
  { name: "DPR '1.'", headers: { dpr: '1.' }, preflight: NO_CORS },
  { name: "DPR 'x'", headers: { dpr: 'x' }, preflight: NO_CORS },
  { name: 'Width 1.5', headers: { width: '1.5' }, preflight: NO_CORS },
  { name: 'Save-Data ON', headers: { 'save-data': 'ON' }, preflight: NO_CORS },
  { name: 'Save-Data off', headers: { 'save-data': 'off' }, preflight: NO_CORS },
  { name: 'Intervention', headers: { intervention: 'x' }, preflight: NO_CORS },
  { name: 'Lang', headers: { lang: 'en' }, preflight: NO_CORS },
  {
    name: 'forbidden headers are dropped',
    headers: {
      'user-agent': 'x',
      cookie: 'a=b',
      dnt: '1',
      date: 'x',
      'accept-charset': 'x',
      'set-cookie': 'a',
      'keep-alive': 'x',
      'proxy-foo': '1',
      'sec-foo': '1',
      referer: 'http://x.test/',
    },
    preflight: NO_CORS,
  },
  {
    name: 'X-HTTP-Method-Override: TRACE is dropped',
    headers: { 'x-http-method-override': 'TRACE' },
    preflight: NO_CORS,
  },
  {
    name: 'X-HTTP-Method: PUT, trace is dropped',
    headers: { 'x-http-method': 'PUT, trace', 'x-a': '1' },
    preflight: NO_CORS,
  },
  {
    name: 'X-HTTP-Method-Override: PUT',
    headers: { 'x-http-method-override': 'PUT' },
    preflight: NO_CORS,
  },
  {
    name: 'Access-Control-Request-Private-Network is not forbidden',
    headers: { 'access-control-request-private-network': 'true' },
    preflight: NO_CORS,
  },
  {
    name: 'names differing in case are one header',
    headers: { 'X-A': '1', 'x-a': '2' },
    preflight: NO_CORS,
  },
  { name: 'an empty custom header', headers: { 'x-a': '' }, preflight: NO_CORS },
  {
    name: 'names sorted and lower-cased',
    headers: {
      'X-Zeta': '1',
      'x-alpha': '1',
      'Content-Type': 'application/json',
      Authorization: 'x',
    },
    preflight: NO_CORS,
  },
  {
    name: 'safelisted values of exactly 1024 bytes',
    headers: {
      accept: n('a', 128),
      'accept-language': n('b', 128),
      'content-language': n('c', 128),
      dpr: n('1', 128),
      width: n('2', 128),
      'viewport-width': n('3', 128),
      'device-memory': n('4', 128),
      intervention: n('i', 128),
    },
    preflight: NO_CORS,
  },
  {
    name: 'safelisted values of 1025 bytes',
    headers: {
      accept: n('a', 128),
      'accept-language': n('b', 128),
      'content-language': n('c', 128),
      dpr: n('1', 128),
      width: n('2', 128),
      'viewport-width': n('3', 128),
      'device-memory': n('4', 128),
      intervention: n('i', 127),
      'save-data': 'on',
    },
    preflight: NO_CORS,
  },
  {
    name: "1022 bytes plus fetch's default Accept",
    headers: {
      'accept-language': n('b', 128),
      'content-language': n('c', 128),
      dpr: n('1', 128),
      width: n('2', 128),
      'viewport-width': n('3', 128),
      'device-memory': n('4', 128),
      intervention: n('i', 128),
      'content-type': `text/plain;${n('x', 115)}`,
    },
    preflight: NO_CORS,
  },
];

// ---------------------------------------------------------------------------------------------

interface Received {
  method: string;
  requestMethod: string | undefined;
  requestHeaders: string | undefined;
}
interface Served {
  preflight?: BrowserResponse;
  actual?: BrowserResponse;
}
const received = new Map<number, Received[]>();
const served = new Map<number, Served>();

const fill = (headers: Headers, origin: string): Headers =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [
      k,
      Array.isArray(v) ? v.map((x) => x.replaceAll(O, origin)) : v.replaceAll(O, origin),
    ]),
  );

const server = createServer((req, res) => {
  const match = /^\/v\/(\d+)\//.exec(req.url ?? '');
  const index = match ? Number(match[1]) : -1;
  const vector = vectors[index];
  if (!vector) {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>browser model</title>');
    return;
  }
  const origin = String(req.headers.origin ?? '');
  const requestMethod = req.headers['access-control-request-method'] as string | undefined;
  const requestHeaders = req.headers['access-control-request-headers'] as string | undefined;
  const log = received.get(index) ?? [];
  log.push({ method: req.method ?? '', requestMethod, requestHeaders });
  received.set(index, log);
  const record = served.get(index) ?? {};
  served.set(index, record);
  let answer: { status: number; headers: Headers };
  if (req.method === 'OPTIONS' && requestMethod !== undefined) {
    answer = vector.preflight ?? {
      status: 204,
      headers: {
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': requestMethod,
        ...(requestHeaders ? { 'access-control-allow-headers': requestHeaders } : {}),
      },
    };
    record.preflight = { status: answer.status, headers: fill(answer.headers, origin) };
  } else {
    answer = vector.actual ?? withCreds({}, 200);
    record.actual = { status: answer.status, headers: fill(answer.headers, origin) };
  }
  res.writeHead(answer.status, fill(answer.headers, origin));
  res.end('ok');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
const app = `http://app.example.test:${port}`;
const api = `http://api.example.test:${port}`;

if (chromiumPath === undefined) {
  server.close();
  throw new Error(
    'Chromium not found: apt-get install chromium, or set CHROMIUM=/path/to/chromium',
  );
}
const browser = await launchChromium(chromiumPath, { hostRules: 'MAP *.test 127.0.0.1' });
const version = browser.version();
const page = await browser.newPage();
const consoleLines = corsConsoleLines(page);
await page.goto(`${app}/`);

interface Outcome {
  vector: Vector;
  request: BrowserRequest;
  expected: BrowserCheck;
  chromium: {
    preflightSent: boolean;
    requestMethod?: string;
    requestHeaders?: string;
    message: string | null;
  };
  problems: string[];
}
const outcomes: Outcome[] = [];

for (const [index, vector] of vectors.entries()) {
  const base = vector.sameOrigin
    ? app
    : vector.upperHost
      ? api.replace('api.example.test', 'API.EXAMPLE.TEST')
      : api;
  const url = `${base}/v/${index}/r${vector.suffix ?? ''}`;
  const request: BrowserRequest = {
    url,
    origin: app,
    method: vector.method ?? 'GET',
    ...(vector.headers ? { headers: vector.headers } : {}),
    ...(vector.credentials ? { credentials: vector.credentials } : {}),
  };
  const fetched = await page.evaluate(
    async ({ url, init }) => {
      try {
        await fetch(url, init);
        return true;
      } catch {
        return false;
      }
    },
    {
      url,
      init: {
        method: request.method,
        headers: request.headers ?? {},
        credentials: request.credentials ?? 'same-origin',
      },
    },
  );
  const marker = `/v/${index}/`;
  const deadline = Date.now() + (fetched ? 150 : 3000);
  let line: string | undefined;
  while (Date.now() < deadline && !line) {
    line = consoleLines.find((l) => l.includes(marker));
    if (!line) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const log = received.get(index) ?? [];
  const options = log.find((r) => r.method === 'OPTIONS' && r.requestMethod !== undefined);
  const chromiumResult = {
    preflightSent: options !== undefined,
    ...(options?.requestMethod !== undefined ? { requestMethod: options.requestMethod } : {}),
    ...(options?.requestHeaders !== undefined ? { requestHeaders: options.requestHeaders } : {}),
    message: line ?? null,
  };

  // The model's verdict on the same exchange.
  const problems: string[] = [];
  const record = served.get(index) ?? {};
  if (vector.refusedByNode && vector.actual && chromiumResult.preflightSent) {
    record.actual = vector.actual as BrowserResponse;
    served.set(index, record);
  }
  const expectPreflight = needsPreflight(request);
  const asked = preflightRequestHeaders(request);
  let expected: BrowserCheck = { ok: true };
  if (expectPreflight && record.preflight) expected = checkPreflight(request, record.preflight);
  if (expected.ok && record.actual) expected = checkResponse(request, record.actual);
  if (expectPreflight !== chromiumResult.preflightSent) {
    problems.push(
      `needsPreflight ${expectPreflight}, Chromium ${chromiumResult.preflightSent ? 'sent' : 'sent no'} preflight`,
    );
  }
  if (options && options.requestMethod !== asked.method) {
    problems.push(
      `Access-Control-Request-Method: model ${asked.method}, Chromium ${options.requestMethod}`,
    );
  }
  if (options && options.requestHeaders !== asked.requestHeaders) {
    problems.push(
      `Access-Control-Request-Headers: model ${asked.requestHeaders}, Chromium ${options.requestHeaders}`,
    );
  }
  const modelMessage = expected.ok ? null : expected.message;
  const sameText = vector.anyRefusedHeader
    ? modelMessage?.replace(/field \S+ is/, 'field _ is') ===
      line?.replace(/field \S+ is/, 'field _ is')
    : modelMessage === chromiumResult.message;
  if (!sameText)
    problems.push(
      `message:\n      model:    ${modelMessage}\n      chromium: ${chromiumResult.message}`,
    );
  if (fetched !== (chromiumResult.message === null))
    problems.push(
      `fetch ${fetched ? 'resolved' : 'rejected'} with console line ${chromiumResult.message}`,
    );
  outcomes.push({ vector, request, expected, chromium: chromiumResult, problems });
}
await browser.close();
server.close();

// ---------------------------------------------------------------------------------------------

const matched = outcomes.filter((o) => o.problems.length === 0);
const covered = new Set(
  outcomes.flatMap((o) => (o.expected.ok || o.problems.length > 0 ? [] : [o.expected.code])),
);
const modelled: ModelledCorsErrorCode[] = [
  'WildcardOriginNotAllowed',
  'MissingAllowOriginHeader',
  'MultipleAllowOriginValues',
  'InvalidAllowOriginValue',
  'AllowOriginMismatch',
  'InvalidAllowCredentials',
  'PreflightWildcardOriginNotAllowed',
  'PreflightMissingAllowOriginHeader',
  'PreflightMultipleAllowOriginValues',
  'PreflightInvalidAllowOriginValue',
  'PreflightAllowOriginMismatch',
  'PreflightInvalidAllowCredentials',
  'PreflightInvalidStatus',
  'PreflightDisallowedRedirect',
  'InvalidAllowMethodsPreflightResponse',
  'InvalidAllowHeadersPreflightResponse',
  'MethodDisallowedByPreflightResponse',
  'HeaderDisallowedByPreflightResponse',
];
for (const o of outcomes.filter((o) => o.problems.length > 0)) {
  console.log(`MISMATCH  ${o.vector.name}\n    ${o.problems.join('\n    ')}`);
}
const uncovered = modelled.filter((code) => !covered.has(code));
console.log(`Chromium ${version}`);
console.log(`${matched.length}/${outcomes.length} vectors matched the model`);
console.log(
  `  preflights sent: ${outcomes.filter((o) => o.chromium.preflightSent).length}, blocked: ${outcomes.filter((o) => o.chromium.message).length}`,
);
console.log(
  `  codes confirmed (${covered.size}/${modelled.length}): ${[...covered].sort().join(', ')}`,
);
if (uncovered.length > 0) console.log(`  codes NOT confirmed: ${uncovered.join(', ')}`);

if (process.argv.includes('--write')) {
  // Record Chromium's answers, with the random port replaced by 8080, as the unit tests' table.
  const table = {
    chromium: version,
    note: 'Generated by scripts/verify-browser-model.ts --write: what headless Chromium did for each request and response. Do not edit by hand.',
    vectors: outcomes.map((o) => ({
      name: o.vector.name,
      request: o.request,
      ...served.get(outcomes.indexOf(o)),
      ...(o.vector.anyRefusedHeader ? { anyRefusedHeader: true } : {}),
      chromium: o.chromium,
    })),
  };
  const json = JSON.stringify(table, null, 2).replaceAll(`:${port}`, ':8080');
  writeFileSync(new URL('../src/browser/chromium-vectors.json', import.meta.url), `${json}\n`);
  console.log('wrote src/browser/chromium-vectors.json');
}
process.exitCode = matched.length === outcomes.length && uncovered.length === 0 ? 0 : 1;
