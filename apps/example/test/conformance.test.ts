// One report: the whole conformance suite against every adapter of the example app, so a
// contributor sees at a glance which adapter fails which scenario.
import { describeConformance } from '@cors/conformance/vitest';
import { perRoute, type ServerName, servers } from '../src/servers.js';

for (const [name, start] of Object.entries(servers) as [
  ServerName,
  (typeof servers)[ServerName],
][]) {
  describeConformance(name, start, { perRoute: perRoute.has(name) });
}
