import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servers } from '../servers.js';
import { type Playground, type PlaygroundReport, startPlayground } from './server.js';

let playground: Playground;
const PAGE = 'http://127.0.0.1:1';

beforeAll(async () => {
  playground = await startPlayground({
    servers,
    initial: { origin: ['http://localhost:*'], credentials: true },
    adapter: 'express',
  });
});
afterAll(() => playground.close());

const post = async (path: string, body: unknown) => {
  const response = await fetch(new URL(path, playground.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
};

/** The answer to POST /api/target. */
interface TargetAnswer {
  ok: boolean;
  url: string;
  warnings: Array<{ option: string }>;
  error: { kind: string; message: string; issues: Array<{ option: string; fix: string }> };
}
const target = async (config: unknown, adapter = 'express') => {
  const answer = await post('/api/target', {
    adapter,
    config: typeof config === 'string' ? config : JSON.stringify(config),
  });
  return { status: answer.status, body: answer.body as TargetAnswer };
};
const explain = async (request: Record<string, unknown>) =>
  (await post('/api/explain', { origin: PAGE, path: '/resource', method: 'GET', ...request }))
    .body as PlaygroundReport;

describe('the playground server', () => {
  it('refuses to explain a request before a target runs', async () => {
    const fresh = await startPlayground({ servers, initial: { origin: ['http://localhost:*'] } });
    try {
      const response = await fetch(new URL('/api/explain', fresh.url), {
        method: 'POST',
        body: '{}',
      });
      expect(response.status).toBe(409);
    } finally {
      await fresh.close();
    }
  });

  it('refuses API calls from another origin', async () => {
    const response = await fetch(new URL('/api/target', playground.url), {
      method: 'POST',
      headers: { origin: 'https://evil.example.net', 'content-type': 'text/plain' },
      body: JSON.stringify({ adapter: 'express', config: '{"origin": "*"}' }),
    });
    expect(response.status).toBe(403);
  });

  it('serves the page with every adapter and the initial options', async () => {
    const response = await fetch(playground.url);
    const html = await response.text();
    expect(response.headers.get('content-type')).toContain('text/html');
    const data = JSON.parse(
      /<script type="application\/json" id="data">(.*?)<\/script>/s.exec(html)![1]!,
    );
    expect(data.adapters).toEqual(Object.keys(servers));
    expect(data.adapter).toBe('express');
    expect(JSON.parse(data.config)).toEqual({ origin: ['http://localhost:*'], credentials: true });
  });

  it('reports options that are not JSON', async () => {
    const { body } = await target('{ origin: ');
    expect(body.ok).toBe(false);
    expect(body.error.kind).toBe('json');
    expect(body.error.message).toContain('not valid JSON');
  });

  it('reports every CorsConfigError issue with its fix, and starts nothing', async () => {
    const { body } = await target({ origin: '*', credentials: true, maxAge: -1 });
    expect(body.ok).toBe(false);
    expect(body.error.kind).toBe('config');
    expect(body.error.issues.map((i) => i.option).sort()).toEqual(['maxAge', 'origin']);
    for (const issue of body.error.issues) expect(issue.fix).not.toBe('');
    expect(
      (await post('/api/explain', { origin: PAGE, path: '/resource', method: 'GET' })).status,
    ).toBe(409);
  });

  it('explains a refused preflight with the console line Chromium prints and the fix', async () => {
    const { body } = await target({ origin: ['https://app.example.com'] });
    expect(body.ok).toBe(true);
    expect(body.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const report = await explain({ method: 'PUT', headers: { 'X-Custom': '1' } });
    expect(report.verdict).toBe('blocked');
    expect(report.code).toBe('PreflightMissingAllowOriginHeader');
    expect(report.message).toBe(
      `Access to fetch at '${body.url}/resource' from origin '${PAGE}' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    );
    expect(report.preflight?.sent.headers).toEqual([
      ['origin', PAGE],
      ['access-control-request-method', 'PUT'],
      ['access-control-request-headers', 'x-custom'],
    ]);
    expect(report.preflight?.received.status).toBe(403);
    expect(report.preflight?.reason).toContain('x-custom is not CORS-safelisted');
    expect(report.actual).toBeUndefined();
    expect(report.fix).toContain(`"origin": ["https://app.example.com", "${PAGE}"]`);
  });

  it('replays an allowed request with the headers the page cannot read', async () => {
    await target({ origin: [PAGE], credentials: true });
    const report = await explain({ credentials: 'include' });
    expect(report.verdict).toBe('allowed');
    expect(report.preflight).toBeUndefined();
    expect(report.actual?.received.status).toBe(200);
    expect(report.actual?.received.headers).toContainEqual(['X-Handler', 'resource']);
    const lower = report.actual?.received.headers.map(([n, v]) => [n.toLowerCase(), v]);
    expect(lower).toContainEqual(['access-control-allow-origin', PAGE]);
  });

  it('names the lower-case method a preflight refused', async () => {
    await target({ origin: [PAGE], methods: ['GET', 'PATCH'] });
    const report = await explain({ method: 'patch' });
    expect(report.code).toBe('MethodDisallowedByPreflightResponse');
    expect(report.message).toContain('Method patch is not allowed');
    expect(report.fix).toContain("'PATCH'");
  });

  it('keeps the target while the options stay the same, and replaces it when they change', async () => {
    const first = (await target({ origin: [PAGE] }, 'koa')).body.url;
    expect((await target({ origin: [PAGE] }, 'koa')).body.url).toBe(first);
    const second = (await target({ origin: [PAGE], maxAge: 60 }, 'koa')).body.url;
    expect(second).not.toBe(first);
    await expect(fetch(`${first}/resource`)).rejects.toThrow();
    expect((await fetch(`${second}/resource`)).status).toBe(200);
  });

  it('passes start-up warnings to the page instead of the console', async () => {
    const { body } = await target({ origin: ['null', PAGE] });
    expect(body.ok).toBe(true);
    expect(body.warnings.map((w) => w.option)).toContain('origin[0]');
  });
});
