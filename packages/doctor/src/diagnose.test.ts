// The analysis is a pure function of the request and the responses: no network here.
import { describe, expect, it } from 'vitest';
import { analyse, curlCommand, planRequests } from './diagnose.js';
import { type FixContext, fixesFor } from './snippets.js';

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

  it('follows the redirects given in `redirected`, preflighting the new URL again', () => {
    const put = { ...page, method: 'PUT' };
    const plan = planRequests(put);
    const allowed = { 'access-control-allow-origin': page.origin };
    const preflightOk = response(204, { ...allowed, 'access-control-allow-methods': 'PUT' });
    const moved = response(307, { ...allowed, location: '/v2/items' });
    const report = analyse(put, {
      preflight: { request: plan.preflight!, response: preflightOk },
      actual: { request: plan.actual, response: moved },
      redirected: [
        { request: plan.preflight!, response: preflightOk },
        { request: plan.actual, response: response(200) },
      ],
    });
    expect(report.steps.map((step) => [step.kind, step.hop, step.redirectTo])).toEqual([
      ['preflight', 0, null],
      ['actual', 0, 'https://api.example.com/v2/items'],
      ['preflight', 1, null],
      ['actual', 1, null],
    ]);
    expect(report.message).toBe(
      "Access to fetch at 'https://api.example.com/v2/items' (redirected from 'https://api.example.com/items') from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    );
  });

  it('requires an exchange for every redirect it follows', () => {
    const plan = planRequests(page);
    const moved = response(302, {
      'access-control-allow-origin': page.origin,
      location: 'https://api.example.com/v2',
    });
    expect(() => analyse(page, { actual: { request: plan.actual, response: moved } })).toThrow(
      'the GET to https://api.example.com/v2 after redirect 1 is missing',
    );
    expect(() =>
      analyse(
        { ...page, method: 'PUT' },
        {
          preflight: {
            request: plan.actual,
            response: response(204, {
              'access-control-allow-origin': page.origin,
              'access-control-allow-methods': 'PUT',
              'access-control-max-age': '0',
            }),
          },
          actual: { request: plan.actual, response: moved },
        },
      ),
    ).toThrow('the preflight to https://api.example.com/v2 after redirect 1 is missing');
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

  it('adds a refused origin to the list the server allows, known or not', () => {
    const express = (extra: Partial<FixContext>) =>
      fixesFor('origin-not-allowed', { ...ctx, credentials: false, ...extra }).find(
        (f) => f.framework === 'express',
      )!.code;
    expect(express({})).toContain(
      "app.use(cors({ origin: [...allowedOrigins, 'https://app.example.com'] }));",
    );
    const known = express({
      allowedOrigins: ['https://admin.example.com', 'https://app.example.com'],
    });
    expect(known).toContain("origin: ['https://admin.example.com', 'https://app.example.com']");
    expect(known).not.toContain('...allowedOrigins');
    // The other causes keep the origin alone: there the list is not what is wrong.
    expect(
      fixesFor('origin-mismatch', { ...ctx, credentials: false }).find(
        (f) => f.framework === 'express',
      )!.code,
    ).toContain("app.use(cors({ origin: 'https://app.example.com' }));");
  });

  it('gives no snippet when no CORS option is the fix', () => {
    expect(fixesFor('redirect-loop', ctx)).toEqual([]);
    expect(fixesFor('redirect-origin-null', ctx)).toEqual([]);
    expect(fixesFor('redirect-before-cors', ctx)).toHaveLength(4);
  });

  it('shows what comes after the middleware only when its place is the fix', () => {
    const koa = (id: Parameters<typeof fixesFor>[0]) =>
      fixesFor(id, ctx).find((f) => f.framework === 'koa')!.code;
    expect(koa('cors-after-auth')).toContain('app.use(authenticate);');
    expect(koa('origin-mismatch')).not.toContain('app.use(authenticate);');
  });
});
