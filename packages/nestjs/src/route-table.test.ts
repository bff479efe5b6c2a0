import { describe, expect, it } from 'vitest';
import { RouteTable } from './route-table.js';

const table = (routes: [string, string, string][]) =>
  new RouteTable(routes.map(([method, path, value]) => ({ method, path, value })));

describe('RouteTable', () => {
  it('finds a static route by method and path', () => {
    const routes = table([
      ['GET', '/items', 'list'],
      ['POST', '/items', 'create'],
    ]);
    expect(routes.find('GET', '/items')).toBe('list');
    expect(routes.find('POST', '/items')).toBe('create');
    expect(routes.find('DELETE', '/items')).toBeUndefined();
  });

  it('finds the parametric route a concrete path reaches', () => {
    const routes = table([
      ['PUT', '/items/:id', 'update'],
      ['GET', '/files/{*path}', 'files'],
      ['GET', '/users{/:id}', 'users'],
    ]);
    expect(routes.find('PUT', '/items/1')).toBe('update');
    expect(routes.find('PUT', '/items/1/extra')).toBeUndefined();
    expect(routes.find('GET', '/files/a/b/c.txt')).toBe('files');
    expect(routes.find('GET', '/users')).toBe('users');
    expect(routes.find('GET', '/users/7')).toBe('users');
  });

  it('prefers a static path over a pattern declared before it', () => {
    const routes = table([
      ['GET', '/items/:id', 'one'],
      ['GET', '/items/new', 'new'],
    ]);
    expect(routes.find('GET', '/items/new')).toBe('new');
    expect(routes.find('GET', '/items/42')).toBe('one');
  });

  it('tries patterns in declaration order', () => {
    const routes = table([
      ['GET', '/a/:x', 'first'],
      ['GET', '/:y/b', 'second'],
    ]);
    expect(routes.find('GET', '/a/b')).toBe('first');
    const reversed = table([
      ['GET', '/:y/b', 'first'],
      ['GET', '/a/:x', 'second'],
    ]);
    expect(reversed.find('GET', '/a/b')).toBe('first');
    expect(reversed.find('GET', '/a/c')).toBe('second');
  });

  it('fits ALL routes to any method, GET routes to HEAD', () => {
    const routes = table([
      ['ALL', '/any', 'any'],
      ['ALL', '/any/:id', 'any-id'],
      ['GET', '/read', 'read'],
      ['GET', '/read/:id', 'read-id'],
    ]);
    expect(routes.find('PROPFIND', '/any')).toBe('any');
    expect(routes.find('X-CUSTOM', '/any/1')).toBe('any-id');
    expect(routes.find('HEAD', '/read')).toBe('read');
    expect(routes.find('HEAD', '/read/1')).toBe('read-id');
    expect(routes.find('POST', '/read/1')).toBeUndefined();
  });

  it('ignores the case of the path and a trailing slash, as Express does', () => {
    const routes = table([
      ['GET', '/Items', 'list'],
      ['GET', '/items/:id', 'one'],
    ]);
    expect(routes.find('GET', '/ITEMS/')).toBe('list');
    expect(routes.find('GET', '/ITEMS/1/')).toBe('one');
  });

  it('compares methods case-sensitively, as a preflight states them', () => {
    const routes = table([['PATCH', '/items/:id', 'patch']]);
    expect(routes.find('patch', '/items/1')).toBeUndefined();
  });
});
