import { createServer, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { formatResult, runConformance, selectScenarios } from './runner.js';
import { scenarios } from './scenarios/index.js';
import type { ScenarioResult, StartServer } from './types.js';

/**
 * A deliberately wrong "adapter": node:http answering every request with the same status, headers
 * and body, whatever the options. It never consults @cors/core, so the runner must catch it.
 */
function fixedServer(status: number, headers: OutgoingHttpHeaders, body = 'ok') {
  const calls = { started: 0, closed: 0 };
  const start: StartServer = async () => {
    calls.started++;
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(status, headers).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () =>
        new Promise<void>((resolve) => {
          calls.closed++;
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  };
  return { start, calls };
}

const ids =
  (...list: string[]) =>
  (s: { id: string }) =>
    list.includes(s.id);
const byId = (results: ScenarioResult[], id: string) => results.find((r) => r.scenario.id === id)!;

const wildcard = fixedServer(200, {
  'Content-Type': 'text/plain',
  'X-Handler': 'resource',
  'Access-Control-Allow-Origin': '*',
  Vary: 'Origin, origin',
});

describe('runConformance', () => {
  it('reports each unmet expectation of a wrong server as a readable line', async () => {
    const results = await runConformance(wildcard.start, {
      filter: ids(
        'origin.exact.reflects',
        'origin.exact.refuses-other',
        'preflight.refused.403',
        'config.origin.required',
        'max-age.above-chromium-cap',
      ),
    });
    expect(results.map((r) => r.pass)).toEqual([false, false, false, false, false]);

    expect(byId(results, 'origin.exact.reflects').failures).toEqual([
      "expected header access-control-allow-origin to equal 'https://app.example.com' but it was '*'",
      "expected Vary to list each name once but it lists 'origin' twice: 'Origin, origin'",
    ]);
    expect(byId(results, 'origin.exact.refuses-other').failures).toEqual(
      expect.arrayContaining([
        "expected header access-control-allow-origin to be absent but it was '*'",
        'expected the browser to block the response but it accepted it',
      ]),
    );
    const preflight = byId(results, 'preflight.refused.403').failures;
    expect(preflight).toEqual(
      expect.arrayContaining([
        'expected status 403 but it was 200',
        "expected the route's handler not to run but it did (status 200, body 'ok')",
        'expected onDecision to be called for the request but it was not',
      ]),
    );
    expect(
      preflight.some((f) =>
        f.startsWith(
          'expected the browser to block the preflight answer with PreflightMissingAllowOriginHeader but',
        ),
      ),
    ).toBe(true);
    expect(byId(results, 'config.origin.required').failures).toEqual([
      'expected start() to reject with a CorsConfigError but the server started',
    ]);
    expect(byId(results, 'max-age.above-chromium-cap').failures).toEqual(
      expect.arrayContaining([
        'expected status 204 but it was 200',
        "expected header access-control-max-age to equal '7201' but it was absent",
        "expected a start-up warning about 'maxAge' but got none",
      ]),
    );
  });

  it('formats a failure with what was sent and received', async () => {
    const [result] = await runConformance(wildcard.start, { filter: 'origin.exact.refuses-other' });
    const text = formatResult(result!);
    expect(text).toContain(
      '✗ [MUST] origin.exact.refuses-other: MUST send no Access-Control-Allow-* header to an origin that is not listed',
    );
    expect(text).toContain('    request:  GET /resource  origin: https://evil.example.net');
    expect(text).toMatch(/ {4}response: 200 {2}.*Access-Control-Allow-Origin: \*/);
    expect(text).toContain("    body:     'ok'");
  });

  it('passes a scenario the fixed answer happens to satisfy, browser verdict included', async () => {
    const exact = fixedServer(200, {
      'Content-Type': 'text/plain',
      'X-Handler': 'resource',
      'Access-Control-Allow-Origin': 'https://app.example.com',
      Vary: 'Origin',
    });
    const [result] = await runConformance(exact.start, { filter: ids('origin.exact.reflects') });
    expect(result).toMatchObject({ pass: true, failures: [] });
    expect(formatResult(result!)).toBe(
      '✓ [MUST] origin.exact.reflects: MUST reflect an allowed exact origin and add Vary: Origin',
    );
  });

  it('reports each response of a repeated request', async () => {
    const [result] = await runConformance(wildcard.start, { filter: ids('origin.regexp.match') });
    expect(result!.failures.filter((f) => f.startsWith('request 3 of 3: '))).toHaveLength(2);
  });

  it('starts one server per distinct options and closes every one', async () => {
    const server = fixedServer(200, { 'X-Handler': 'resource' });
    const results = await runConformance(server.start, { filter: 'origin.exact.' });
    const distinct = new Set(results.map((r) => r.scenario.options));
    expect(results.length).toBeGreaterThan(distinct.size);
    expect(server.calls).toEqual({ started: distinct.size, closed: distinct.size });
  });

  it('accepts a CorsConfigError rejection and reports any other', async () => {
    const configError = Object.assign(new Error('@cors/core: invalid options'), {
      name: 'CorsConfigError',
    });
    const refusing: StartServer = async () => {
      throw configError;
    };
    const [ok] = await runConformance(refusing, { filter: ids('config.origin.required') });
    expect(ok).toMatchObject({ pass: true, failures: [] });

    const [request] = await runConformance(refusing, { filter: ids('origin.exact.reflects') });
    expect(request!.failures).toEqual([
      'expected the server to start but start() rejected with CorsConfigError: @cors/core: invalid options',
    ]);

    const crashing: StartServer = async () => {
      throw new TypeError('boom');
    };
    const [wrong] = await runConformance(crashing, { filter: ids('config.origin.required') });
    expect(wrong!.failures).toEqual([
      'expected start() to reject with a CorsConfigError but it rejected with TypeError: boom',
    ]);
  });

  it('reports a server that never answers instead of hanging', async () => {
    const silent: StartServer = async () => {
      const server = createServer(() => {});
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      };
    };
    const [result] = await runConformance(silent, {
      filter: ids('origin.exact.reflects'),
      timeout: 100,
    });
    expect(result!.failures).toEqual([
      '@cors/conformance: no complete response to GET /resource within 100 ms',
    ]);
  });
});

describe('selectScenarios', () => {
  it('leaves the per-route scenarios out unless asked', () => {
    expect(selectScenarios().some((s) => s.perRoute)).toBe(false);
    expect(selectScenarios({ perRoute: true })).toHaveLength(scenarios.length);
  });

  it('filters by id prefix, RegExp or predicate', () => {
    const prefix = selectScenarios({ filter: 'preflight.' });
    expect(prefix.length).toBeGreaterThan(5);
    expect(prefix.every((s) => s.id.startsWith('preflight.'))).toBe(true);
    const global = /^vary\./g;
    expect(selectScenarios({ filter: global })).toEqual(selectScenarios({ filter: global }));
    expect(selectScenarios({ filter: /^vary\./ }).map((s) => s.id)).toContain('vary.preflight');
    expect(
      selectScenarios({ filter: (s) => s.level === 'SHOULD' }).every((s) => s.level === 'SHOULD'),
    ).toBe(true);
  });
});
