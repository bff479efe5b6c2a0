import { bench, describe } from 'vitest';
import { RouteTable } from './route-table.js';

// What finding a request's route costs the CORS middleware, per request. A REST-shaped table:
// per resource, GET/POST on the collection (static) and GET/PUT/DELETE on `/:id` (patterns).
function restTable(routes: number) {
  const entries = [];
  for (let i = 0; entries.length < routes; i++) {
    entries.push({ method: 'GET', path: `/api/res${i}`, value: i });
    entries.push({ method: 'POST', path: `/api/res${i}`, value: i });
    entries.push({ method: 'GET', path: `/api/res${i}/:id`, value: i });
    entries.push({ method: 'PUT', path: `/api/res${i}/:id`, value: i });
    entries.push({ method: 'DELETE', path: `/api/res${i}/:id/items/:item`, value: i });
  }
  return { table: new RouteTable(entries.slice(0, routes)), last: Math.floor(routes / 5) - 1 };
}

for (const size of [10, 200]) {
  const { table, last } = restTable(size);
  describe(`${size} routes`, () => {
    bench('static path', () => {
      table.find('POST', `/api/res${last}`);
    });
    bench('pattern, first route', () => {
      table.find('PUT', '/api/res0/42');
    });
    bench('pattern, last route', () => {
      table.find('PUT', `/api/res${last}/42`);
    });
    bench('no route (404)', () => {
      table.find('PUT', '/api/nowhere/42');
    });
  });
}
