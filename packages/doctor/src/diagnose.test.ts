// The analysis is a pure function of the request and the responses: no network here.
import { describe, expect, it } from 'vitest';
import { analyse, curlCommand, planRequests } from './diagnose.js';
import { fixesFor } from './snippets.js';

const page = { url: 'https://api.example.com/items', origin: 'https://app.example.com' };
const response = (status: number, headers: Record<string, string | string[]> = {}) => ({
  status,
  statusText: '',
  headers,
});

describe('planRequests', () => {
  it('sends no preflight for a simple GET', () => {
    const plan = planRequests(page);
    expect(plan.preflight).toBeNull();
    expect(plan.actual).toMatchObject({
      method: 'GET',
      headers: { origin: 'https://app.example.com' },
    });
  });

  it('builds the preflight as Chromium does: normalised method, sorted lower-case names', () => {
    const plan = planRequests({
      ...page,
      method: 'delete',
      headers: { 'X-B': '1', 'x-a': '2', Accept: 'text/html' },
    });
    expect(plan.preflight?.headers).toEqual({
      origin: 'https://app.example.com',
      'access-control-request-method': 'DELETE',
      'access-control-request-headers': 'x-a,x-b',
    });
    expect(plan.actual.method).toBe('DELETE');
  });
});

describe('curlCommand', () => {
  it('quotes for a POSIX shell and uses --head for HEAD', () => {
    expect(curlCommand('HEAD', 'https://a.example/x?q=1&r=2', { 'X-Q': "it's" })).toBe(
      "curl -i --head 'https://a.example/x?q=1&r=2' -H 'X-Q: it'\\''s'",
    );
  });
});

describe('analyse', () => {
  it('requires the preflight when the browser sends one', () => {
    const plan = planRequests({ ...page, method: 'PUT' });
    expect(() =>
      analyse(
        { ...page, method: 'PUT' },
        { actual: { request: plan.actual, response: response(200) } },
      ),
    ).toThrow('needs a preflight');
  });

  it('requires the actual request after a passing preflight', () => {
    const plan = planRequests({ ...page, method: 'PUT' });
    const ok = response(204, {
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': 'PUT',
    });
    expect(() =>
      analyse(
        { ...page, method: 'PUT' },
        { preflight: { request: plan.preflight!, response: ok } },
      ),
    ).toThrow('actual request is missing');
  });

  it('is the same report for the same input', () => {
    const plan = planRequests(page);
    const input = { actual: { request: plan.actual, response: response(500) } };
    const report = analyse(page, input);
    expect(analyse(page, input)).toEqual(report);
    expect(report.cause?.detail).toContain(
      'its error handler wrote the response without CORS headers',
    );
  });

  it('treats a same-origin request as allowed, with nothing to fix', () => {
    const same = { url: 'https://app.example.com/api', origin: 'https://app.example.com' };
    const plan = planRequests({ ...same, method: 'PUT' });
    expect(plan.preflight).toBeNull();
    const report = analyse(same, { actual: { request: plan.actual, response: response(200) } });
    expect(report).toMatchObject({ verdict: 'allowed', preflight: false, cause: null, fixes: [] });
  });

  it('does not flag a private or uncacheable response for Vary', () => {
    const plan = planRequests(page);
    for (const cacheControl of ['private, max-age=600', 'no-store', 'max-age=0']) {
      const report = analyse(page, {
        actual: {
          request: plan.actual,
          response: response(200, {
            'access-control-allow-origin': page.origin,
            'cache-control': cacheControl,
          }),
        },
      });
      expect(report.cause).toBeNull();
    }
  });
});

describe('fixesFor', () => {
  const ctx = { origin: 'https://app.example.com', credentials: true, method: 'GET', headers: [] };

  it('gives one snippet per framework, each from its own package', () => {
    expect(fixesFor('origin-mismatch', ctx).map((f) => [f.title, f.package])).toEqual([
      ['Express', '@cors/node'],
      ['Koa', '@cors/koa'],
      ['Fastify', '@cors/fastify'],
      ['NestJS', '@cors/nestjs'],
    ]);
  });

  it('writes multi-line options where they do not fit on one line', () => {
    const nest = fixesFor('wildcard-with-credentials', ctx).find((f) => f.framework === 'nestjs')!;
    expect(nest.code).toContain(
      [
        '@Module({',
        '  imports: [',
        '    CorsModule.forRoot({',
        "      origin: ['https://app.example.com'],",
        '      credentials: true,',
        '    }),',
        '  ],',
        '})',
      ].join('\n'),
    );
    const fastify = fixesFor('wildcard-with-credentials', ctx).find(
      (f) => f.framework === 'fastify',
    )!;
    expect(fastify.code).toContain(
      "await app.register(cors, {\n  origin: ['https://app.example.com'],\n  credentials: true,\n});",
    );
  });

  it('shows what comes after the middleware only when its place is the fix', () => {
    const koa = (id: Parameters<typeof fixesFor>[0]) =>
      fixesFor(id, ctx).find((f) => f.framework === 'koa')!.code;
    expect(koa('cors-after-auth')).toContain('app.use(authenticate);');
    expect(koa('origin-mismatch')).not.toContain('app.use(authenticate);');
  });
});
