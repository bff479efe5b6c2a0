import { describe, expect, it } from 'vitest';
import { splitOrigin } from './matcher.js';

describe('splitOrigin', () => {
  it.each([
    ['https://a.example.com', { scheme: 'https', host: 'a.example.com', port: '' }],
    ['http://localhost:3000', { scheme: 'http', host: 'localhost', port: '3000' }],
    ['http://[::1]:8080', { scheme: 'http', host: '[::1]', port: '8080' }],
    ['http://127.0.0.1', { scheme: 'http', host: '127.0.0.1', port: '' }],
    ['chrome-extension://abc', { scheme: 'chrome-extension', host: 'abc', port: '' }],
    ['https://xn--bcher-kva.example', { scheme: 'https', host: 'xn--bcher-kva.example', port: '' }],
  ])('splits %s', (origin, parts) => expect(splitOrigin(origin)).toEqual(parts));
  it.each([
    'null',
    '',
    'https://',
    '://a.test',
    'HTTPS://a.test',
    'https://A.test',
    'https://a.test/',
    'https://a.test:443',
    'http://a.test:80',
    'https://a.test:0443',
    'https://a.test:99999',
    'https://a.test:',
    'https://a.test:12a',
    'https://a..test',
    'https://a.test.',
    'https://a_b.test',
    'https://a.test{.evil.test',
    'https://a.test\r\n',
    'https://[::1',
    'https://[::g]',
    'https://[::1]x',
    `https://${'a'.repeat(300)}.test`,
    '1https://a.test',
  ])('refuses %j', (origin) => expect(splitOrigin(origin)).toBeNull());
});
