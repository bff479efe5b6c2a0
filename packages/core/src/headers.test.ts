import { describe, expect, it } from 'vitest';
import { mergeVary, readCorsRequest, writeDecisionHeaders } from './headers.js';

describe('mergeVary', () => {
  it.each([
    [undefined, 'Origin', 'Origin'],
    ['', 'Origin', 'Origin'],
    ['Accept-Encoding', 'Origin', 'Accept-Encoding, Origin'],
    ['origin', 'Origin', 'origin'],
    [
      'Accept-Encoding, Origin',
      'Origin, Access-Control-Request-Method',
      'Accept-Encoding, Origin, Access-Control-Request-Method',
    ],
    [['Accept-Encoding', 'Cookie'], 'Origin', 'Accept-Encoding, Cookie, Origin'],
    ['*', 'Origin', '*'],
    ['Accept, *', 'Origin', '*'],
    ['Accept', '*', '*'],
    [' , Accept ,', 'Origin', 'Accept, Origin'],
  ])('merges %o with %s into %s', (existing, add, expected) => {
    expect(mergeVary(existing, add)).toBe(expected);
  });
});

describe('readCorsRequest', () => {
  it('passes the raw values and the native request through', () => {
    const native = { id: 1 };
    expect(
      readCorsRequest(
        'OPTIONS',
        {
          origin: ' https://a.test',
          'access-control-request-method': 'put',
          'access-control-request-headers': 'X-A',
          'access-control-request-private-network': 'true',
        },
        native,
      ),
    ).toEqual({
      method: 'OPTIONS',
      origin: ' https://a.test',
      requestMethod: 'put',
      requestHeaders: 'X-A',
      requestPrivateNetwork: 'true',
      native,
    });
  });
  it('joins repeated values so that core refuses them', () => {
    expect(readCorsRequest('GET', { origin: ['https://a.test', 'https://b.test'] }).origin).toBe(
      'https://a.test, https://b.test',
    );
  });
  it('leaves absent headers undefined and a missing method empty', () => {
    expect(readCorsRequest(undefined, {})).toEqual({
      method: '',
      origin: undefined,
      requestMethod: undefined,
      requestHeaders: undefined,
      requestPrivateNetwork: undefined,
      native: undefined,
    });
  });
});

describe('writeDecisionHeaders', () => {
  type Target = Record<string, string | undefined>;
  const get = (target: Target, name: string) => target[name];
  const set = (target: Target, name: string, value: string) => {
    target[name] = value;
  };

  it('sets every header and merges vary into the one already there', () => {
    const target: Target = { vary: 'Accept-Encoding' };
    const headers = { 'access-control-allow-origin': 'https://a.example', vary: 'Origin' };
    writeDecisionHeaders(headers, target, get, set);
    expect(target).toEqual({
      vary: 'Accept-Encoding, Origin',
      'access-control-allow-origin': 'https://a.example',
    });
  });

  it('sets vary as is when the response has none', () => {
    const target: Target = {};
    writeDecisionHeaders({ vary: 'Origin' }, target, get, set);
    expect(target).toEqual({ vary: 'Origin' });
  });
});
