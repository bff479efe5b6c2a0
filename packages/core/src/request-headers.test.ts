import { describe, expect, it } from 'vitest';
import { MAX_REQUEST_HEADERS_LENGTH, parseRequestHeaders } from './request-headers.js';

describe('parseRequestHeaders', () => {
  it.each([
    ['content-type,x-a', ['content-type', 'x-a']],
    ['Content-Type , X-A', ['content-type', 'x-a']],
    ['\tx-a\t,x-b', ['x-a', 'x-b']],
    ['', []],
    [',,x-a,,', ['x-a']],
  ])('parses %j', (value, names) => expect(parseRequestHeaders(value)).toEqual(names));
  it.each(['x a', 'x-a;', 'x-a\r\nset-cookie', 'x-\u00e9', 'x-a,"b"', 'x-a\0'])(
    'refuses %j',
    (value) => {
      expect(parseRequestHeaders(value)).toBeNull();
    },
  );
  it('refuses a value over the bound without reading it', () => {
    expect(parseRequestHeaders('a'.repeat(MAX_REQUEST_HEADERS_LENGTH + 1))).toBeNull();
    expect(parseRequestHeaders(','.repeat(100_000))).toBeNull();
    expect(parseRequestHeaders(','.repeat(MAX_REQUEST_HEADERS_LENGTH))).toEqual([]);
  });
});
