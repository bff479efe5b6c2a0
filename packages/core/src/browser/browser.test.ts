// The browser model's API, in examples. The exact behaviour against Chromium is held by
// chromium.test.ts (vectors recorded from headless Chromium 156.0.8078.79); the messages quoted
// here are the same texts.
import { describe, expect, it } from 'vitest';
import { checkPreflight, checkResponse, needsPreflight, preflightRequestHeaders } from './index.js';
import type { BrowserRequest } from './types.js';

const url = 'https://api.example.com/items';
const origin = 'https://app.example.com';
const blocked = `Access to fetch at '${url}' from origin '${origin}' has been blocked by CORS policy: `;
const get: BrowserRequest = { url, origin, method: 'GET' };

describe('needsPreflight', () => {
  it('sends no preflight for GET, HEAD and POST with safelisted headers', () => {
    expect(needsPreflight(get)).toBe(false);
    expect(needsPreflight({ ...get, method: 'head' })).toBe(false);
    expect(
      needsPreflight({ ...get, method: 'POST', headers: { 'Content-Type': 'text/plain' } }),
    ).toBe(false);
  });

  it('preflights any other method, lower-case patch included', () => {
    expect(needsPreflight({ ...get, method: 'PUT' })).toBe(true);
    expect(needsPreflight({ ...get, method: 'patch' })).toBe(true);
  });

  it('preflights a JSON body, Authorization and custom headers', () => {
    const post = { ...get, method: 'POST' };
    expect(needsPreflight({ ...post, headers: { 'Content-Type': 'application/json' } })).toBe(true);
    expect(needsPreflight({ ...get, headers: { Authorization: 'Bearer t' } })).toBe(true);
    expect(needsPreflight({ ...get, headers: { 'X-Request-Id': '7' } })).toBe(true);
  });

  it('preflights a safelisted header whose value is over 128 bytes', () => {
    expect(needsPreflight({ ...get, headers: { Accept: 'a'.repeat(128) } })).toBe(false);
    expect(needsPreflight({ ...get, headers: { Accept: 'a'.repeat(129) } })).toBe(true);
  });

  it('accepts a single range with a first position, compared as numbers', () => {
    const range = (value: string) => needsPreflight({ ...get, headers: { Range: value } });
    expect(range('bytes=0-0')).toBe(false);
    expect(range('bytes=009-10')).toBe(false);
    expect(range('bytes=10-009')).toBe(true);
    expect(range('bytes=19-20')).toBe(false);
    expect(range('bytes=21-20')).toBe(true);
  });

  it('ignores headers a script cannot set, as fetch drops them', () => {
    expect(needsPreflight({ ...get, headers: { Cookie: 'a=b', 'Sec-Foo': '1' } })).toBe(false);
  });

  it('is never needed for a same-origin request', () => {
    expect(needsPreflight({ url: `${origin}/x`, origin, method: 'DELETE' })).toBe(false);
  });

  it('treats an unparsable URL as cross-origin', () => {
    expect(needsPreflight({ url: 'not a url', origin, method: 'PUT' })).toBe(true);
  });
});

describe('preflightRequestHeaders', () => {
  it('lists the unsafe names lower-cased, sorted, deduplicated, without spaces', () => {
    const request = {
      ...get,
      method: 'patch',
      headers: { 'X-Trace': '1', Authorization: 'Bearer t', 'x-trace': '2', Accept: 'text/html' },
    };
    expect(preflightRequestHeaders(request)).toEqual({
      method: 'patch',
      requestHeaders: 'authorization,x-trace',
      headers: {
        origin,
        'access-control-request-method': 'patch',
        'access-control-request-headers': 'authorization,x-trace',
      },
    });
  });

  it('normalises the six standard methods and sends no header list when none is needed', () => {
    expect(preflightRequestHeaders({ ...get, method: 'delete' })).toEqual({
      method: 'DELETE',
      requestHeaders: undefined,
      headers: { origin, 'access-control-request-method': 'DELETE' },
    });
  });
});

describe('checkResponse', () => {
  it('passes the exact origin, and the wildcard without credentials', () => {
    const ok = { ok: true };
    const with_ = (value: string) => ({
      status: 200,
      headers: { 'Access-Control-Allow-Origin': value },
    });
    expect(checkResponse(get, with_(origin))).toEqual(ok);
    expect(checkResponse(get, with_('*'))).toEqual(ok);
  });

  it("names a missing Access-Control-Allow-Origin in Chromium's words", () => {
    expect(checkResponse(get, { status: 200, headers: {} })).toEqual({
      ok: false,
      code: 'MissingAllowOriginHeader',
      message: `${blocked}No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    });
  });

  it('requires Access-Control-Allow-Credentials: true, case-sensitively, with credentials', () => {
    const request: BrowserRequest = { ...get, credentials: 'include' };
    const check = checkResponse(request, {
      status: 200,
      headers: {
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'True',
      },
    });
    expect(check).toMatchObject({ ok: false, code: 'InvalidAllowCredentials' });
  });

  it('reads repeated fields, in any case, as one comma-joined value and skips undefined ones', () => {
    const check = checkResponse(get, {
      status: 200,
      headers: {
        'Access-Control-Allow-Origin': origin,
        'access-control-allow-origin': [origin],
        'x-unset': undefined,
      },
    });
    expect(check).toEqual({
      ok: false,
      code: 'MultipleAllowOriginValues',
      message: `${blocked}The 'Access-Control-Allow-Origin' header contains multiple values '${origin}, ${origin}', but only one is allowed. Have the server send the header with a valid value.`,
    });
  });

  it('skips the check for a same-origin request', () => {
    expect(checkResponse({ ...get, url: `${origin}/x` }, { status: 200, headers: {} })).toEqual({
      ok: true,
    });
  });

  it('prints the URL as given when it does not parse', () => {
    expect(checkResponse({ ...get, url: 'not a url' }, { status: 200, headers: {} })).toMatchObject(
      {
        ok: false,
        message: expect.stringMatching(/^Access to fetch at 'not a url' from /),
      },
    );
  });
});

describe('checkPreflight', () => {
  const put: BrowserRequest = { ...get, method: 'PUT', headers: { 'X-Trace': '1' } };
  const allowed = (headers: Record<string, string>, status = 204) => ({
    status,
    headers: { 'access-control-allow-origin': origin, ...headers },
  });

  it('passes when the method and every unsafe header are listed', () => {
    const response = allowed({
      'access-control-allow-methods': 'GET, PUT',
      'access-control-allow-headers': 'X-Trace',
    });
    expect(checkPreflight(put, response)).toEqual({ ok: true });
  });

  it('checks the origin before the status', () => {
    expect(checkPreflight(put, { status: 500, headers: {} })).toMatchObject({
      code: 'PreflightMissingAllowOriginHeader',
      message: `${blocked}Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    });
    expect(checkPreflight(put, allowed({}, 500))).toMatchObject({
      code: 'PreflightInvalidStatus',
      message: `${blocked}Response to preflight request doesn't pass access control check: It does not have HTTP ok status.`,
    });
  });

  it('refuses a followed redirect before anything else', () => {
    expect(checkPreflight(put, { status: 307, headers: { Location: '/x' } })).toMatchObject({
      code: 'PreflightDisallowedRedirect',
    });
  });

  it('names the refused method, then the refused header', () => {
    expect(checkPreflight(put, allowed({}))).toMatchObject({
      code: 'MethodDisallowedByPreflightResponse',
      message: `${blocked}Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.`,
    });
    expect(checkPreflight(put, allowed({ 'access-control-allow-methods': 'PUT' }))).toMatchObject({
      code: 'HeaderDisallowedByPreflightResponse',
      message: `${blocked}Request header field x-trace is not allowed by Access-Control-Allow-Headers in preflight response.`,
    });
  });

  it('lets * cover methods and every header, Authorization included, without credentials only', () => {
    const request = { ...put, headers: { Authorization: 'Bearer t' } };
    const stars = allowed({
      'access-control-allow-methods': '*',
      'access-control-allow-headers': '*',
      'access-control-allow-credentials': 'true',
    });
    expect(checkPreflight(request, stars)).toEqual({ ok: true });
    expect(checkPreflight({ ...request, credentials: 'include' }, stars)).toMatchObject({
      code: 'MethodDisallowedByPreflightResponse',
    });
  });

  it('refuses lists that are not comma-separated tokens', () => {
    expect(
      checkPreflight(put, allowed({ 'access-control-allow-methods': 'GET PUT' })),
    ).toMatchObject({ code: 'InvalidAllowMethodsPreflightResponse' });
    expect(
      checkPreflight(
        put,
        allowed({ 'access-control-allow-methods': 'PUT', 'access-control-allow-headers': 'x;' }),
      ),
    ).toMatchObject({ code: 'InvalidAllowHeadersPreflightResponse' });
  });
});
