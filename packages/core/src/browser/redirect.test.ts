// followRedirect, rule by rule. Every outcome here was observed in headless Chromium 156 (the
// redirect servers of @cors/doctor's test/serve.ts replay the main ones against Chromium in
// apps/example/test/browser/doctor.browser.test.ts).
import { describe, expect, it } from 'vitest';
import {
  checkPreflight,
  checkResponse,
  followRedirect,
  needsPreflight,
  preflightCacheSeconds,
  preflightRequestHeaders,
} from './index.js';
import type { BrowserRedirect, BrowserRequest, BrowserResponse } from './types.js';

const api = 'https://api.example.com';
const url = `${api}/items`;
const origin = 'https://app.example.com';
const get: BrowserRequest = { url, origin, method: 'GET' };
const blocked = (at: string, from?: string) =>
  `Access to fetch at '${at}'${from ? ` (redirected from '${from}')` : ''} from origin '${origin}' has been blocked by CORS policy: `;

/** A redirect that passes the CORS check for `origin`. */
const redirect = (
  location: string | string[],
  status = 302,
  extra: Record<string, string> = {},
): BrowserResponse => ({
  status,
  headers: { location, 'access-control-allow-origin': origin, ...extra },
});

/** The request `followRedirect` goes on with; fails the test on any other outcome. */
function follow(request: BrowserRequest, response: BrowserResponse): BrowserRequest {
  const next: BrowserRedirect = followRedirect(request, response);
  if (next.kind !== 'follow') throw new Error(`expected a followed redirect, got ${next.kind}`);
  return next.request;
}

describe('followRedirect: what is a redirect', () => {
  it('follows 301, 302, 303, 307 and 308 with a Location', () => {
    for (const status of [301, 302, 303, 307, 308]) {
      expect(followRedirect(get, redirect('/next', status)).kind).toBe('follow');
    }
  });

  it('leaves any other 3xx, and one without a (non-blank) Location, as the final response', () => {
    for (const status of [300, 304, 305, 306, 309]) {
      expect(followRedirect(get, redirect('/next', status))).toEqual({ kind: 'final' });
    }
    expect(followRedirect(get, { status: 302, headers: {} })).toEqual({ kind: 'final' });
    expect(followRedirect(get, redirect('  '))).toEqual({ kind: 'final' });
    expect(followRedirect(get, { status: 200, headers: {} })).toEqual({ kind: 'final' });
  });

  it('resolves a relative Location against the current URL and counts the redirect', () => {
    const next = follow(get, redirect('/items/'));
    expect(next).toEqual({
      ...get,
      url: `${api}/items/`,
      redirect: { initialUrl: url, count: 1, taintedOrigin: false },
    });
    expect(follow(next, redirect('x')).redirect).toEqual({
      initialUrl: url,
      count: 2,
      taintedOrigin: false,
    });
  });
});

describe('followRedirect: the CORS check of the redirect itself', () => {
  it('refuses a 3xx without Access-Control-Allow-Origin, at the URL that answered it', () => {
    const next = followRedirect(get, { status: 301, headers: { location: '/items/' } });
    expect(next).toEqual({
      kind: 'blocked',
      check: {
        ok: false,
        code: 'MissingAllowOriginHeader',
        message: `${blocked(url)}No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
      },
    });
  });

  it('names the first URL once the request was redirected', () => {
    const second = follow(get, redirect('/b'));
    const next = followRedirect(second, { status: 302, headers: { location: '/c' } });
    expect(next).toMatchObject({
      kind: 'blocked',
      check: { message: expect.stringContaining(blocked(`${api}/b`, url)) },
    });
  });

  it('requires Access-Control-Allow-Credentials on a redirect of a request with credentials', () => {
    const next = followRedirect({ ...get, credentials: 'include' }, redirect('/b'));
    expect(next).toMatchObject({ kind: 'blocked', check: { code: 'InvalidAllowCredentials' } });
  });

  it('does no CORS check for a same-origin request', () => {
    const same = { ...get, origin: api };
    expect(follow(same, { status: 302, headers: { location: '/b' } }).url).toBe(`${api}/b`);
  });
});

describe('followRedirect: the method and the body', () => {
  const post: BrowserRequest = {
    ...get,
    method: 'post',
    headers: {
      'Content-Type': 'text/plain',
      'Content-Language': 'en',
      'content-encoding': 'gzip',
      'Content-Location': '/x',
      'X-Trace': '1',
    },
  };
  const withoutBody = { 'X-Trace': '1' };

  it('turns a POST into a GET without body headers after 301, 302 and 303', () => {
    for (const status of [301, 302, 303]) {
      const next = follow(post, redirect('/b', status));
      expect(next.method).toBe('GET');
      expect(next.headers).toEqual(withoutBody);
    }
  });

  it('keeps the method and the headers after 307 and 308', () => {
    for (const status of [307, 308]) {
      expect(follow(post, redirect('/b', status))).toMatchObject({
        method: 'post',
        headers: post.headers,
      });
    }
  });

  it('turns any method but GET and HEAD into a GET after 303, and keeps PUT after 301', () => {
    expect(follow({ ...get, method: 'DELETE' }, redirect('/b', 303)).method).toBe('GET');
    expect(follow({ ...get, method: 'patch' }, redirect('/b', 303)).method).toBe('GET');
    expect(follow({ ...get, method: 'HEAD' }, redirect('/b', 303)).method).toBe('HEAD');
    expect(follow({ ...get, method: 'PUT' }, redirect('/b', 301)).method).toBe('PUT');
  });

  it('preflights the new URL again when the request is still not simple', () => {
    const put = follow({ ...get, method: 'PUT' }, redirect('/b', 307));
    expect(needsPreflight(put)).toBe(true);
    const json = { ...post, headers: { 'Content-Type': 'application/json' } };
    expect(needsPreflight(follow(json, redirect('/b', 303)))).toBe(false);
    expect(needsPreflight(follow(post, redirect('/b', 303)))).toBe(true);
  });
});

describe('followRedirect: the tainted origin', () => {
  const other = 'https://cdn.example.net';

  it('sends Origin: null after a redirect from a cross-origin URL to another origin', () => {
    const next = follow(get, redirect(`${other}/items`));
    expect(next.redirect?.taintedOrigin).toBe(true);
    expect(preflightRequestHeaders({ ...next, method: 'PUT' }).headers.origin).toBe('null');
  });

  it('keeps the page origin on a redirect within the same origin', () => {
    expect(follow(get, redirect('/b')).redirect?.taintedOrigin).toBe(false);
  });

  it('taints for good: a later redirect back to the first origin keeps Origin: null', () => {
    const there = follow(get, redirect(`${other}/x`));
    const back = follow(there, {
      status: 302,
      headers: { location: url, 'access-control-allow-origin': '*' },
    });
    expect(back.redirect).toEqual({ initialUrl: url, count: 2, taintedOrigin: true });
  });

  it('then accepts only * or null, and names the page origin in the message', () => {
    const next = follow(get, redirect(`${other}/items`));
    const answer = (value: string) => ({
      status: 200,
      headers: { 'access-control-allow-origin': value },
    });
    expect(checkResponse(next, answer('*'))).toEqual({ ok: true });
    expect(checkResponse(next, answer('null'))).toEqual({ ok: true });
    expect(checkResponse(next, answer(origin))).toEqual({
      ok: false,
      code: 'AllowOriginMismatch',
      message: `${blocked(`${other}/items`, url)}The 'Access-Control-Allow-Origin' header has a value '${origin}' that is not equal to the supplied origin. Have the server send the header with a valid value.`,
    });
  });

  it('refuses * with credentials, so only null with Access-Control-Allow-Credentials passes', () => {
    const withCredentials = { ...get, credentials: 'include' as const };
    const next = follow(
      withCredentials,
      redirect(`${other}/items`, 302, { 'access-control-allow-credentials': 'true' }),
    );
    expect(
      checkResponse(next, { status: 200, headers: { 'access-control-allow-origin': '*' } }),
    ).toMatchObject({ code: 'WildcardOriginNotAllowed' });
    expect(
      checkResponse(next, {
        status: 200,
        headers: {
          'access-control-allow-origin': 'null',
          'access-control-allow-credentials': 'true',
        },
      }),
    ).toEqual({ ok: true });
  });

  it('does not taint a same-origin request redirected elsewhere, which becomes a CORS request', () => {
    const same = { ...get, origin: api };
    const next = follow(same, { status: 302, headers: { location: `${other}/x` } });
    expect(next.redirect?.taintedOrigin).toBe(false);
    expect(needsPreflight({ ...next, method: 'PUT' })).toBe(true);
    expect(preflightRequestHeaders(next).headers.origin).toBe(api);
  });

  it('checks the preflight of a tainted request against null', () => {
    const next = follow({ ...get, method: 'PUT' }, redirect(`${other}/items`, 307));
    const preflight = {
      status: 204,
      headers: { 'access-control-allow-origin': origin, 'access-control-allow-methods': 'PUT' },
    };
    expect(checkPreflight(next, preflight)).toMatchObject({
      code: 'PreflightAllowOriginMismatch',
      message: expect.stringContaining(blocked(`${other}/items`, url)),
    });
  });
});

describe('followRedirect: network errors and refused locations', () => {
  it('fails the 21st redirect with net::ERR_TOO_MANY_REDIRECTS, before its CORS check', () => {
    let request = get;
    for (let i = 0; i < 20; i++) request = follow(request, redirect(url));
    expect(request.redirect?.count).toBe(20);
    expect(followRedirect(request, { status: 302, headers: { location: url } })).toEqual({
      kind: 'failed',
      error: 'ERR_TOO_MANY_REDIRECTS',
      url,
    });
  });

  it('fails a Location that is not a URL, and two different Locations, before the CORS check', () => {
    expect(followRedirect(get, { status: 302, headers: { location: 'http://[x' } })).toEqual({
      kind: 'failed',
      error: 'ERR_INVALID_REDIRECT',
      url,
    });
    expect(followRedirect(get, redirect(['/a', '/b']))).toMatchObject({
      error: 'ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION',
    });
    expect(followRedirect(get, redirect(['/a', '/a'])).kind).toBe('follow');
  });

  it("refuses a Location with a user name or password in Chromium's words (quoting '')", () => {
    const next = followRedirect(get, redirect(`https://user:secret@cdn.example.net/x`));
    expect(next).toEqual({
      kind: 'blocked',
      check: {
        ok: false,
        code: 'RedirectContainsCredentials',
        message: `${blocked(url)}Redirect location '' contains a username and password, which is disallowed for cross-origin requests.`,
      },
    });
    expect(followRedirect(get, redirect(`${api.replace('//', '//user@')}/x`)).kind).toBe('blocked');
    // Same-origin, and staying there: allowed (Fetch's rule, which Chromium follows).
    const same = { ...get, origin: api };
    expect(followRedirect(same, redirect(`${api.replace('//', '//u:p@')}/x`)).kind).toBe('follow');
  });

  it('fails a scheme Chromium knows as it does, and any other with CorsDisabledScheme', () => {
    const to = (location: string) => followRedirect(get, redirect(location));
    expect(to('data:text/plain,hi')).toEqual({ kind: 'failed', error: 'ERR_UNSAFE_REDIRECT', url });
    expect(to('file:///etc/passwd')).toMatchObject({ error: 'ERR_UNSAFE_REDIRECT' });
    expect(to('wss://api.example.com/x')).toEqual({
      kind: 'failed',
      error: 'ERR_UNKNOWN_URL_SCHEME',
      url: 'wss://api.example.com/x',
    });
    expect(to('view-source:https://a.example/')).toMatchObject({ error: 'LocalResource' });
    expect(to('ftp://files.example.com/x')).toEqual({
      kind: 'blocked',
      check: {
        ok: false,
        code: 'CorsDisabledScheme',
        message: `${blocked('ftp://files.example.com/x', url)}Cross origin requests are only supported for protocol schemes: chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app.`,
      },
    });
  });

  it('fails a bad port, and plain http from a secure page unless it is loopback', () => {
    expect(followRedirect(get, redirect('https://api.example.com:6000/x'))).toEqual({
      kind: 'failed',
      error: 'ERR_UNSAFE_PORT',
      url: 'https://api.example.com:6000/x',
    });
    expect(followRedirect(get, redirect('http://api.example.com/items'))).toEqual({
      kind: 'failed',
      error: 'MixedContent',
      url: 'http://api.example.com/items',
    });
    for (const host of ['localhost:3000', 'api.localhost', '127.0.0.1:8080', '[::1]']) {
      expect(followRedirect(get, redirect(`http://${host}/x`)).kind).toBe('follow');
    }
    const insecurePage = { ...get, origin: 'http://app.example.com' };
    expect(
      followRedirect(insecurePage, {
        status: 302,
        headers: { location: 'http://api.example.com/x', 'access-control-allow-origin': '*' },
      }).kind,
    ).toBe('follow');
  });

  it('checks the redirect itself before the location it points to', () => {
    expect(followRedirect(get, { status: 302, headers: { location: 'data:,x' } })).toMatchObject({
      kind: 'blocked',
      check: { code: 'MissingAllowOriginHeader' },
    });
  });
});

describe('preflightCacheSeconds', () => {
  const maxAge = (value?: string) =>
    preflightCacheSeconds({
      status: 204,
      headers: value === undefined ? {} : { 'Access-Control-Max-Age': value },
    });

  it('is 5 seconds without a valid Access-Control-Max-Age, 0 when negative, at most 2 hours', () => {
    expect(maxAge()).toBe(5);
    expect(maxAge('ten')).toBe(5);
    expect(maxAge('0')).toBe(0);
    expect(maxAge('-1')).toBe(0);
    expect(maxAge('600')).toBe(600);
    expect(maxAge('86400')).toBe(7200);
  });
});
