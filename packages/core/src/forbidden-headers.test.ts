import { describe, expect, it } from 'vitest';
import type { CorsOptions } from './options.js';
import { createCorsPolicy } from './policy.js';
import type { CorsConfigError } from './validate.js';

const APP = 'https://app.example.com';

function issuesOf(options: Partial<CorsOptions>) {
  try {
    createCorsPolicy({ origin: APP, onWarning: () => {}, ...options });
  } catch (error) {
    return (error as CorsConfigError).issues;
  }
  return [];
}

describe('DESIGN: allowed request headers that a page cannot set', () => {
  it.each([
    'Cookie',
    'cookie',
    'Host',
    'Origin',
    'Content-Length',
    'Referer',
    'Connection',
    'Accept-Encoding',
    'Accept-Charset',
    'Date',
    'DNT',
    'Expect',
    'Keep-Alive',
    'Set-Cookie',
    'TE',
    'Trailer',
    'Transfer-Encoding',
    'Upgrade',
    'Via',
    'Sec-Fetch-Site',
    'Sec-WebSocket-Key',
    'Proxy-Authorization',
    'Proxy-Anything',
  ])('refuses the forbidden request header %s in allowedHeaders, with the fix', (name) => {
    expect(issuesOf({ allowedHeaders: ['Content-Type', name] })).toEqual([
      {
        option: 'allowedHeaders',
        message: expect.stringMatching(/forbidden request header/),
        fix: `remove '${name}'`,
      },
    ]);
  });
  it.each([
    'Access-Control-Allow-Origin',
    'access-control-request-method',
    'Access-Control-Request-Headers',
  ])('refuses the CORS protocol header %s in allowedHeaders', (name) => {
    expect(issuesOf({ allowedHeaders: name })[0]?.message).toMatch(/CORS protocol header/);
  });
  it('says where cookies belong', () => {
    expect(issuesOf({ allowedHeaders: ['Cookie'] })[0]?.message).toMatch(/credentials: true/);
  });
  it.each(['Access-Control-Allow-Origin', 'Access-Control-Max-Age'])(
    'refuses %s in exposedHeaders',
    (name) => {
      expect(issuesOf({ exposedHeaders: ['X-Request-Id', name] })).toEqual([
        {
          option: 'exposedHeaders',
          message: expect.stringMatching(/CORS protocol header/),
          fix: `remove '${name}'`,
        },
      ]);
    },
  );
  it('reports every such name at once', () => {
    expect(
      issuesOf({
        allowedHeaders: ['Cookie', 'Host'],
        exposedHeaders: ['Access-Control-Allow-Origin'],
      }),
    ).toHaveLength(3);
  });
  it.each([
    'Content-Type',
    'Authorization',
    'X-HTTP-Method-Override',
    'User-Agent',
    'Mcp-Session-Id',
    'Last-Event-ID',
    'X-Sec-Token',
  ])('accepts %s, which a page may set', (name) => {
    expect(issuesOf({ allowedHeaders: [name] })).toEqual([]);
  });
  it('accepts exposing response headers that only look alike (X-Access-Control-Id, Content-Length)', () => {
    expect(issuesOf({ exposedHeaders: ['X-Access-Control-Id', 'Content-Length'] })).toEqual([]);
  });
});
