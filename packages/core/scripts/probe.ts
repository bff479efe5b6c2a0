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
    Object.entries(r.headers).map(([k, v]) => [
      k,
      Array.isArray(v)
        ? v.map((x) => x.replaceAll('{origin}', origin))
        : v.replaceAll('{origin}', origin),
    ]),
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
  { name: 'intervention', headers: { intervention: 'x' }, actual: { status: 200, headers: {} } },
  {
    name: 'big',
    headers: {
      accept: 'a'.repeat(128),
      'accept-language': 'b'.repeat(128),
      'content-language': 'c'.repeat(128),
      'content-type': `text/plain;${'d'.repeat(100)}`,
      range: 'bytes=1000000000-2000000000',
      dpr: '1'.repeat(128),
      width: '2'.repeat(128),
      'viewport-width': '3'.repeat(128),
      'device-memory': '4'.repeat(128),
    },
    preflight: { status: 204, headers: {} },
  },
  { name: 'range -5', headers: { range: 'bytes=-5' }, preflight: { status: 204, headers: {} } },
  {
    name: 'range space',
    headers: { range: 'bytes= 0-1' },
    preflight: { status: 204, headers: {} },
  },
  { name: 'range 5-1', headers: { range: 'bytes=5-1' }, preflight: { status: 204, headers: {} } },
  { name: 'range BYTES', headers: { range: 'BYTES=0-1' }, preflight: { status: 204, headers: {} } },
  { name: 'range items', headers: { range: 'items=0-1' }, preflight: { status: 204, headers: {} } },
  { name: 'range 1-1', headers: { range: 'bytes=1-1' }, preflight: { status: 204, headers: {} } },
  { name: 'dpr 1.5', headers: { dpr: '1.5' }, preflight: { status: 204, headers: {} } },
  { name: 'dpr 1.', headers: { dpr: '1.' }, preflight: { status: 204, headers: {} } },
  { name: 'width 1.5', headers: { width: '1.5' }, preflight: { status: 204, headers: {} } },
  { name: 'save-data ON', headers: { 'save-data': 'ON' }, preflight: { status: 204, headers: {} } },
  {
    name: 'save-data off',
    headers: { 'save-data': 'off' },
    preflight: { status: 204, headers: {} },
  },
  {
    name: 'device-memory 8',
    headers: { 'device-memory': '8' },
    preflight: { status: 204, headers: {} },
  },
  {
    name: 'xhmo PUT',
    headers: { 'x-http-method-override': 'PUT' },
    preflight: { status: 204, headers: {} },
  },
  {
    name: 'xhmo trace list',
    headers: { 'x-http-method': 'PUT, trace', 'x-a': '1' },
    preflight: { status: 204, headers: {} },
  },
  {
    name: 'proxy/sec',
    headers: {
      'proxy-foo': '1',
      'sec-foo': '1',
      'x-a': '1',
      dnt: '1',
      date: 'x',
      'content-length': '5',
      'accept-charset': 'x',
      'set-cookie': 'a',
      'access-control-request-private-network': 'true',
      'keep-alive': 'x',
      'x-z': 'q',
    },
    preflight: { status: 204, headers: {} },
  },
  {
    name: 'dup case',
    headers: { 'X-A': '1', 'x-a': '2' },
    preflight: { status: 204, headers: {} },
  },
  { name: 'accept latin1', headers: { accept: 'caf\u00e9' }, actual: { status: 200, headers: {} } },
  {
    name: 'accept trim',
    headers: { accept: '  ' + 'a'.repeat(128) + '  ' },
    actual: { status: 200, headers: {} },
  },
  { name: 'accept 0x7f', headers: { accept: 'a\u007fb' }, preflight: { status: 204, headers: {} } },
  { name: 'accept tab', headers: { accept: 'a\tb' }, actual: { status: 200, headers: {} } },
  {
    name: 'cl latin1',
    headers: { 'content-language': 'caf\u00e9' },
    preflight: { status: 204, headers: {} },
  },
  {
    name: 'ct unsafe byte',
    method: 'POST',
    headers: { 'content-type': 'text/plain; a="b"' },
    preflight: { status: 204, headers: {} },
  },
  {
    name: 'ct text/plain;',
    method: 'POST',
    headers: { 'content-type': 'text/plain;' },
    actual: { status: 200, headers: {} },
  },
  {
    name: 'ct text / plain',
    method: 'POST',
    headers: { 'content-type': 'text / plain' },
    preflight: { status: 204, headers: {} },
  },
  {
    name: 'ct text/plain/x',
    method: 'POST',
    headers: { 'content-type': 'text/plain/x' },
    preflight: { status: 204, headers: {} },
  },
  {
    name: 'ct TEXT/PLAIN',
    method: 'POST',
    headers: { 'content-type': 'TEXT/PLAIN' },
    actual: { status: 200, headers: {} },
  },
  {
    name: 'ct x-www',
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    actual: { status: 200, headers: {} },
  },
  { name: 'pf 303 loc', method: 'PUT', preflight: { status: 303, headers: { location: '/x' } } },
  { name: 'pf 308 loc', method: 'PUT', preflight: { status: 308, headers: { location: '/x' } } },
  {
    name: 'pf 302 loc empty',
    method: 'PUT',
    preflight: { status: 302, headers: { location: '' } },
  },
  {
    name: 'pf 200 acah star, acam missing, method put',
    method: 'PUT',
    headers: { 'x-a': '1' },
    preflight: ok({ 'access-control-allow-headers': '*' }),
  },
  {
    name: 'pf acam lower get',
    method: 'PUT',
    preflight: ok({ 'access-control-allow-methods': 'get' }),
  },
  {
    name: 'pf custom header with star name',
    headers: { '*': '1' },
    preflight: ok({ 'access-control-allow-headers': '*' }),
  },
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
  const url =
    p.name === 'url no slash' ? `${api.replace(':' + port, ':' + port)}` : `${api}/v/${i}/r?q=1`;
  const result = await page.evaluate(
    async ({ url, init }) => {
      try {
        const r = await fetch(url, init);
        return `ok ${r.status}`;
      } catch (e) {
        return String(e);
      }
    },
    {
      url,
      init: {
        method: p.method ?? 'GET',
        headers: p.headers ?? {},
        credentials: p.credentials ?? 'same-origin',
        ...(p.method === 'POST' ? { body: 'x' } : {}),
      },
    },
  );
  await page.waitForTimeout(80);
  const reqs = (seen.get(String(i)) ?? []).map(
    (r) =>
      `${r.method} acrm=${r.headers['access-control-request-method'] ?? ''} acrh=${r.headers['access-control-request-headers'] ?? ''} ${r.method !== 'OPTIONS' ? JSON.stringify(Object.fromEntries(Object.entries(r.headers).filter(([k]) => !['host', 'connection', 'accept-encoding', 'accept-language', 'referer', 'origin', 'sec-fetch-mode', 'sec-fetch-site', 'sec-fetch-dest'].includes(k)))) : ''}`,
  );
  console.log(`\n## ${p.name}: ${result}\n  reqs: ${reqs.join(' | ')}`);
  for (const m of messages)
    if (m.includes('Access to') || !m.includes('Failed to load')) console.log('  ' + m);
}
await browser.close();
server.close();
