// Temporary probe: prints what Chromium does for a list of scenarios.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';

interface Resp {
  status: number;
  headers: Record<string, string | string[]>;
}
interface Probe {
  name: string;
  method?: string;
  headers?: Record<string, string>;
  credentials?: 'omit' | 'same-origin' | 'include';
  preflight?: Resp;
  actual?: Resp;
}

const seen = new Map<string, { method: string; headers: Record<string, unknown> }[]>();
const probes = new Map<string, Probe>();

const server = createServer((req, res) => {
  const host = req.headers.host ?? '';
  const url = new URL(req.url ?? '/', `http://${host}`);
  if (url.pathname === '/page') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>page</title>');
    return;
  }
  const id = url.pathname.split('/')[2] ?? '';
  const probe = probes.get(id);
  const list = seen.get(id) ?? [];
  list.push({ method: req.method ?? '', headers: req.headers });
  seen.set(id, list);
  if (!probe) {
    res.writeHead(404);
    res.end();
    return;
  }
  const origin = String(req.headers.origin);
  const r =
    req.method === 'OPTIONS' && req.headers['access-control-request-method']
      ? (probe.preflight ?? {
          status: 204,
          headers: {
            'access-control-allow-origin': origin,
            'access-control-allow-credentials': 'true',
            'access-control-allow-methods': String(req.headers['access-control-request-method']),
            'access-control-allow-headers': String(
              req.headers['access-control-request-headers'] ?? '',
            ),
          },
        })
      : (probe.actual ?? {
          status: 200,
          headers: {
            'access-control-allow-origin': origin,
            'access-control-allow-credentials': 'true',
          },
        });
  const headers = Object.fromEntries(
    Object.entries(r.headers).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => x.replaceAll('{origin}', origin)) : v.replaceAll('{origin}', origin)]),
  );
  res.writeHead(r.status, headers);
  res.end('x');
});

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
const app = `http://app.example.test:${port}`;
const api = `http://api.example.test:${port}`;

const O = '{origin}';
const ok = (h: Record<string, string | string[]> = {}, status = 204): Resp => ({
  status,
  headers: { 'access-control-allow-origin': O, ...h },
});

const list: Probe[] = [
  { name: 'ua', headers: { 'user-agent': 'x', dpr: '2', width: '3', 'viewport-width': '4', 'device-memory': '0.5', 'save-data': 'on', range: 'bytes=0-10' }, actual: { status: 200, headers: {} } },
  { name: 'dpr bad', headers: { dpr: 'x' }, preflight: { status: 204, headers: {} } },
  { name: 'intervention', headers: { intervention: 'x', lang: 'en', 'sec-ch-ua': 'x' }, preflight: { status: 204, headers: {} } },
  { name: 'big', headers: { accept: 'a'.repeat(128), 'accept-language': 'b'.repeat(128), 'content-language': 'c'.repeat(128), 'content-type': `text/plain;${'d'.repeat(100)}`, range: 'bytes=0-1', dpr: '1'.repeat(128), width: '2'.repeat(128), 'viewport-width': '3'.repeat(128), 'device-memory': '4'.repeat(128) }, preflight: { status: 204, headers: {} } },
  { name: 'ord1', headers: { 'x-b': '1', 'x-a': '1' }, preflight: ok() },
  { name: 'ord2', headers: { 'x-a': '1', 'x-b': '1' }, preflight: ok() },
  { name: 'ord3', headers: { 'x-a': '1', 'x-b': '1', 'x-c': '1' }, preflight: ok() },
  { name: 'ord4', headers: { 'x-c': '1', 'content-type': 'application/json' }, preflight: ok() },
  { name: 'ord5', headers: { 'authorization': '1', 'content-type': 'application/json' }, preflight: ok() },
  { name: 'ord6', headers: { 'x-api-key': '1', 'authorization': '1', 'x-requested-with': '1' }, preflight: ok() },
  { name: 'ord7', headers: { 'b': '1', 'a': '1' }, preflight: ok() },
  { name: 'ord8', headers: { 'x-c': '1', 'x-a': '1' }, preflight: ok() },
  { name: 'ord9', headers: { 'x-c': '1', 'x-b': '1' }, preflight: ok() },
  { name: 'acah star auth only', headers: { Authorization: 'x' }, preflight: ok({ 'access-control-allow-headers': '*' }) },
  { name: 'acah star + authorization incl', credentials: 'include', headers: { Authorization: 'x', 'x-a': '1' }, preflight: ok({ 'access-control-allow-headers': '*, authorization', 'access-control-allow-credentials': 'true' }) },
  { name: 'acah list mixed case', headers: { 'X-Foo': 'x' }, preflight: ok({ 'access-control-allow-headers': 'X-FOO' }) },
  { name: 'acam two headers', method: 'PUT', preflight: ok({ 'access-control-allow-methods': ['GET', 'PUT'] }) },
  { name: 'acao with space', actual: { status: 200, headers: { 'access-control-allow-origin': `${O} ` } } },
  { name: 'acao star omit two', actual: { status: 200, headers: { 'access-control-allow-origin': ['*', '*'] } } },
  { name: 'acao upper', actual: { status: 200, headers: { 'access-control-allow-origin': 'HTTP://APP.EXAMPLE.TEST' } } },
  { name: 'acao javascript', actual: { status: 200, headers: { 'access-control-allow-origin': 'javascript:x' } } },
  { name: 'acao port bad', actual: { status: 200, headers: { 'access-control-allow-origin': 'http://a.test:99999' } } },
  { name: 'acao a b', actual: { status: 200, headers: { 'access-control-allow-origin': 'http://a.test http://b.test' } } },
  { name: 'acao http:a', actual: { status: 200, headers: { 'access-control-allow-origin': 'http:a.test' } } },
  { name: 'acao //a', actual: { status: 200, headers: { 'access-control-allow-origin': '//a.test' } } },
  { name: 'acac two', credentials: 'include', actual: { status: 200, headers: { 'access-control-allow-origin': O, 'access-control-allow-credentials': ['true', 'true'] } } },
  { name: 'acac missing', credentials: 'include', actual: { status: 200, headers: { 'access-control-allow-origin': O } } },
  { name: 'acac ignored omit', credentials: 'omit', actual: { status: 200, headers: { 'access-control-allow-origin': O, 'access-control-allow-credentials': 'nope' } } },
  { name: 'actual 500 no acao', actual: { status: 500, headers: {} } },
  { name: 'actual 500 acao', actual: { status: 500, headers: { 'access-control-allow-origin': O } } },
  { name: 'pf 200 acao star omit, actual ok', method: 'DELETE', preflight: { status: 200, headers: { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'DELETE' } } },
  { name: 'pf ok, actual missing', method: 'DELETE', actual: { status: 200, headers: {} } },
  { name: 'pf 299', method: 'PUT', preflight: ok({ 'access-control-allow-methods': 'PUT' }, 299) },
  { name: 'pf 302 loc incl wildcard', method: 'PUT', credentials: 'include', preflight: { status: 302, headers: { location: '/x', 'access-control-allow-origin': '*' } } },
  { name: 'pf 302 noloc no acao', method: 'PUT', preflight: { status: 302, headers: {} } },
  { name: 'pf 307 loc', method: 'PUT', preflight: { status: 307, headers: { location: '/x' } } },
  { name: 'pf 300 loc', method: 'PUT', preflight: { status: 300, headers: { location: '/x' } } },
  { name: 'pf 201 acam star incl PUT listed', method: 'PUT', credentials: 'include', preflight: ok({ 'access-control-allow-methods': '*, PUT', 'access-control-allow-credentials': 'true' }) },
  { name: 'pf acam empty', method: 'PUT', preflight: ok({ 'access-control-allow-methods': '' }) },
  { name: 'pf acah empty', headers: { 'x-a': '1' }, preflight: ok({ 'access-control-allow-headers': '' }) },
  { name: 'pf acam tab', method: 'PUT', preflight: ok({ 'access-control-allow-methods': 'GET,\tPUT' }) },
  { name: 'pf safelisted acam missing', method: 'POST', headers: { 'x-a': '1' }, preflight: ok({ 'access-control-allow-headers': 'x-a' }) },
  { name: 'pf safelisted header big', headers: { 'content-type': 'text/plain', 'x-a': '1' }, preflight: ok({ 'access-control-allow-headers': 'x-a' }) },
  { name: 'pf ct json not allowed', method: 'POST', headers: { 'content-type': 'application/json' }, preflight: ok({ 'access-control-allow-headers': 'x-a' }) },
];

for (const [i, p] of list.entries()) probes.set(String(i), p);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--host-resolver-rules=MAP *.test 127.0.0.1',
  ],
});
console.log('version', browser.version());
const page = await browser.newPage();
const messages: string[] = [];
page.on('console', (m) => messages.push(`[${m.type()}] ${m.text()}`));
await page.goto(`${app}/page`);
for (const [i, p] of list.entries()) {
  messages.length = 0;
  const url = p.name === 'url no slash' ? `${api.replace(':' + port, ':' + port)}` : `${api}/v/${i}/r?q=1`;
  const result = await page.evaluate(
    async ({ url, init }) => {
      try {
        const r = await fetch(url, init);
        return `ok ${r.status}`;
      } catch (e) {
        return String(e);
      }
    },
    { url, init: { method: p.method ?? 'GET', headers: p.headers ?? {}, credentials: p.credentials ?? 'same-origin', ...(p.method === 'POST' ? { body: 'x' } : {}) } },
  );
  await page.waitForTimeout(80);
  const reqs = (seen.get(String(i)) ?? []).map((r) => `${r.method} acrm=${r.headers['access-control-request-method'] ?? ''} acrh=${r.headers['access-control-request-headers'] ?? ''} ${r.method !== 'OPTIONS' ? JSON.stringify(Object.fromEntries(Object.entries(r.headers).filter(([k]) => !['host','connection','accept-encoding','accept-language','referer','origin','sec-fetch-mode','sec-fetch-site','sec-fetch-dest'].includes(k)))) : ''}`);
  console.log(`\n## ${p.name}: ${result}\n  reqs: ${reqs.join(' | ')}`);
  for (const m of messages) if (m.includes('Access to') || !m.includes('Failed to load')) console.log('  ' + m);
}
await browser.close();
server.close();
