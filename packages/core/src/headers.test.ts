import { describe, expect, it } from 'vitest';
import { mergeVary } from './headers.js';

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
