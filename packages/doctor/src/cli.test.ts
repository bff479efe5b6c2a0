// The CLI run in-process, with its output, terminal and environment injected: exit codes, human
// output, --json, --curl, colour and lint. test/bin.test.ts runs the built binary itself.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CorsDecision, createCorsPolicy, readCorsRequest } from '@cors/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Running, serve } from '../test/serve.js';
import { type CliIO, main } from './cli.js';
import type { DoctorErrorReport, DoctorReport } from './report.js';

const ORIGIN = 'https://app.example.com';
const ESC = '\x1b[';

async function run(argv: string[], io: Partial<CliIO> = {}) {
  let out = '';
  let err = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    isTTY: false,
    env: {},
    ...io,
  });
  return { code, out, err };
}

let server: Running | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(handler: RequestListener): Promise<string> {
  server = await serve(handler);
  return `${server.url}/items`;
}

const noCors: RequestListener = (_req, res) => res.end('ok');
const cors: RequestListener = (req, res) => {
  const policy = createCorsPolicy({ origin: ORIGIN });
  const decision = policy.evaluate(readCorsRequest(req.method, req.headers)) as CorsDecision;
  for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
  if (decision.status !== undefined) res.statusCode = decision.status;
  res.end();
};

describe('cors-doctor <url>', () => {
  it('exits 0 and says ALLOWED when the browser can read the response', async () => {
    const url = await start(cors);
    const { code, out } = await run([url, '--origin', ORIGIN, '-X', 'PUT']);
    expect(code).toBe(0);
    expect(out).toContain('Preflight needed: the method PUT is not CORS-safelisted.');
    expect(out).toContain('ALLOWED: the page can read the response.');
    expect(out).not.toContain('Cause:');
  });

  it('exits 1 and prints the exchange, Chrome message, cause and a fix per framework', async () => {
    const url = await start(noCors);
    const { code, out } = await run([url, '--origin', ORIGIN, '-H', 'X-Trace: 1']);
    expect(code).toBe(1);
    const expected = [
      'Preflight needed: the header x-trace is not CORS-safelisted.',
      '1. Preflight',
      `   > OPTIONS ${url}`,
      `   > origin: ${ORIGIN}`,
      '   > access-control-request-method: GET',
      '   > access-control-request-headers: x-trace',
      '   < 200 OK',
      '   < (no Access-Control-* headers)',
      '   ✗ fails the browser check: PreflightMissingAllowOriginHeader',
      'BLOCKED',
      'Chrome prints:',
      `  Access to fetch at '${url}' from origin '${ORIGIN}' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
      'Cause: No CORS headers at all [cors-middleware-missing]',
      `Fix: Add the CORS middleware, first in the chain, with origin ${ORIGIN}.`,
      '  Express (@cors/node)',
      '    // First: before authentication, routers and redirects.',
      `    app.use(cors({ origin: '${ORIGIN}' }));`,
      '  Koa (@cors/koa)',
      '  Fastify (@cors/fastify)',
      '  NestJS (@cors/nestjs)',
    ];
    for (const line of expected) expect(out).toContain(line);
    // The actual request is never sent after a failed preflight.
    expect(out).not.toContain('2. Actual request');
  });

  it('shows repeated response headers one line each', async () => {
    const url = await start((_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', [ORIGIN, '*']);
      res.end();
    });
    const { out } = await run([url, '--origin', ORIGIN]);
    expect(out).toContain(
      `   < access-control-allow-origin: ${ORIGIN}\n   < access-control-allow-origin: *\n`,
    );
  });

  it('prints the report as JSON with --json, with the same exit code', async () => {
    const url = await start(noCors);
    const { code, out } = await run([url, '--origin', ORIGIN, '--json', '--credentials']);
    expect(code).toBe(1);
    const report = JSON.parse(out) as DoctorReport;
    expect(Object.keys(report)).toEqual([
      'version',
      'verdict',
      'request',
      'preflight',
      'steps',
      'code',
      'message',
      'networkError',
      'cause',
      'fixes',
    ]);
    expect(report).toMatchObject({
      version: 1,
      verdict: 'blocked',
      request: { url, origin: ORIGIN, method: 'GET', headers: {}, credentials: true },
      preflight: false,
      code: 'MissingAllowOriginHeader',
      cause: { id: 'cors-middleware-missing' },
    });
    expect(report.steps[0]).toMatchObject({
      kind: 'actual',
      hop: 0,
      request: { method: 'GET', url, headers: { origin: ORIGIN } },
      response: { status: 200, statusText: 'OK' },
      check: { ok: false, code: 'MissingAllowOriginHeader' },
      redirectTo: null,
    });
    expect(report.networkError).toBeNull();
    expect(report.fixes.map((fix) => fix.framework)).toEqual([
      'express',
      'koa',
      'fastify',
      'nestjs',
    ]);
  });

  it('shows each redirect it follows, and a loop as its first and last exchange', async () => {
    const url = await start((req, res) => {
      res.writeHead(302, { 'Access-Control-Allow-Origin': ORIGIN, Location: req.url ?? '/' });
      res.end();
    });
    const { code, out } = await run([url, '--origin', ORIGIN]);
    expect(code).toBe(1);
    expect(out).toContain(`   ↪ the browser follows the redirect to ${url}\n`);
    expect(out).toContain('   … steps 2 to 19 are the same exchange again …\n\n20. Actual request');
    expect(out).toContain('\n21. Actual request, after 20 redirects\n');
    expect(out).not.toContain('\n2. Actual request');
    expect(out).toContain(
      '   ✗ the browser does not follow the redirect: ERR_TOO_MANY_REDIRECTS\n',
    );
    expect(out).toContain(
      'Chrome prints no CORS message, only:\n  Failed to load resource: net::ERR_TOO_MANY_REDIRECTS\n',
    );
    expect(out).toContain('[redirect-loop]');
  });

  it('quotes the mixed-content line for a redirect from an HTTPS page to plain http', async () => {
    const url = await start((_req, res) => {
      res.writeHead(301, {
        'Access-Control-Allow-Origin': ORIGIN,
        Location: 'http://api.example.com/items',
      });
      res.end();
    });
    const { out } = await run([url, '--origin', ORIGIN]);
    expect(out).toContain(
      "  Mixed Content: The page at '<your page>' was loaded over HTTPS, but requested an insecure resource 'http://api.example.com/items'.",
    );
  });

  it('exits 3 and says UNDETERMINED when it cannot judge where a redirect leads', async () => {
    const gone = await serve((_req, res) => res.end());
    await gone.close();
    const url = await start((_req, res) => {
      res.writeHead(307, { 'Access-Control-Allow-Origin': '*', Location: `${gone.url}/x` });
      res.end();
    });
    const { code, out } = await run([url, '--origin', ORIGIN]);
    expect(code).toBe(3);
    expect(out).toContain('UNDETERMINED: the doctor cannot tell what the browser gets.');
    expect(out).toContain('[redirect-unreachable]');
    const json = await run([url, '--origin', ORIGIN, '--json']);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.out)).toMatchObject({ verdict: 'undetermined', code: null });
  });

  it('prints each request as a curl command with --curl', async () => {
    const url = await start(cors);
    const { out } = await run([
      url,
      '--origin',
      ORIGIN,
      '--method',
      'DELETE',
      '-H',
      "X-Note: it's",
      '--curl',
    ]);
    expect(out).toContain(
      `   $ curl -i -X OPTIONS ${url} -H 'origin: ${ORIGIN}' -H 'access-control-request-method: DELETE' -H 'access-control-request-headers: x-note'`,
    );
    expect(out).toContain(
      `   $ curl -i -X DELETE ${url} -H 'origin: ${ORIGIN}' -H 'X-Note: it'\\''s'`,
    );
  });

  it('prints the planned curl commands even when the network fails', async () => {
    const url = await start(noCors);
    await server!.close();
    server = undefined;
    const { code, out, err } = await run([url, '--origin', ORIGIN, '-X', 'PUT', '--curl']);
    expect(code).toBe(2);
    expect(out).toBe(
      `curl -i -X OPTIONS ${url} -H 'origin: ${ORIGIN}' -H 'access-control-request-method: PUT'\n# then, if the preflight passes:\ncurl -i -X PUT ${url} -H 'origin: ${ORIGIN}'\n`,
    );
    expect(err).toContain('connection refused');
  });

  it('colours only on a terminal, and never with NO_COLOR', async () => {
    const url = await start(noCors);
    const args = [url, '--origin', ORIGIN];
    expect((await run(args, { isTTY: true })).out).toContain(ESC);
    expect((await run(args, { isTTY: false })).out).not.toContain(ESC);
    expect((await run(args, { isTTY: true, env: { NO_COLOR: '1' } })).out).not.toContain(ESC);
    expect((await run(args, { isTTY: true, env: { TERM: 'dumb' } })).out).not.toContain(ESC);
  });
});

describe('exit code 2', () => {
  it.each([
    [['http://127.0.0.1:1/'], '--origin is required'],
    [[], 'give the URL to diagnose'],
    [
      ['http://127.0.0.1:1/', '--origin', 'https://app.example.com/'],
      'did you mean https://app.example.com?',
    ],
    [['http://127.0.0.1:1/', '--origin', 'app.example.com'], 'e.g. https://app.example.com'],
    [['ftp://example.com/', '--origin', ORIGIN], 'not an http or https URL'],
    [['http://127.0.0.1:1/', '--origin', ORIGIN, '-H', 'X-Trace'], "write -H 'Name: value'"],
    [
      ['http://127.0.0.1:1/', '--origin', ORIGIN, '-H', 'Origin: https://x.example'],
      'with --origin',
    ],
    [
      ['http://127.0.0.1:1/', '--origin', ORIGIN, '--timeout', 'soon'],
      'whole number of milliseconds',
    ],
    [
      ['http://127.0.0.1:1/', '--origin', ORIGIN, '--bogus'],
      'unknown option --bogus; the options are --origin, --method, --header, --credentials',
    ],
    // Did you mean, for every flag (as @cors/core does for options).
    [
      ['http://127.0.0.1:1/', '--origin', ORIGIN, '--credential'],
      'unknown option --credential: did you mean --credentials?',
    ],
    [['http://127.0.0.1:1/', '--orign', ORIGIN], 'unknown option --orign: did you mean --origin?'],
    [
      ['http://127.0.0.1:1/', '--origin', ORIGIN, '--metod=PUT'],
      'unknown option --metod: did you mean --method?',
    ],
    [
      ['http://127.0.0.1:1/', '--origin', ORIGIN, '--headers', 'X-A: 1'],
      'unknown option --headers: did you mean --header?',
    ],
    [
      ['http://127.0.0.1:1/', '--origin', ORIGIN, '--timout', '5'],
      'unknown option --timout: did you mean --timeout?',
    ],
    [['http://127.0.0.1:1/', '--origin', ORIGIN, '--jsn'], 'did you mean --json?'],
    [['http://127.0.0.1:1/', '--origin', ORIGIN, '--crul'], 'did you mean --curl?'],
    [['--hepl'], 'unknown option --hepl: did you mean --help?'],
    [['--verison'], 'unknown option --verison: did you mean --version?'],
    [
      ['http://127.0.0.1:1/', '--origin', ORIGIN, '-credentials'],
      'unknown option -credentials: did you mean --credentials?',
    ],
    [
      ['http://127.0.0.1:1/', '--origin', ORIGIN, '-x', 'PUT'],
      'unknown option -x: did you mean -X?',
    ],
    [['lint', 'cors.json', '--jsno'], 'unknown option --jsno: did you mean --json?'],
    [['lnit', 'cors.json'], "unknown command 'lnit': did you mean cors-doctor lint cors.json?"],
  ])('for a usage error: %j', async (argv, message) => {
    const { code, out, err } = await run(argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(message);
    expect(err).toContain('Run cors-doctor --help for usage.');
  });

  it('for a network error, with a JSON error report under --json', async () => {
    const url = await start(noCors);
    await server!.close();
    server = undefined;
    const { code, out } = await run([url, '--origin', ORIGIN, '--json']);
    expect(code).toBe(2);
    const report = JSON.parse(out) as DoctorErrorReport;
    expect(report).toMatchObject({ version: 1, verdict: 'error', error: { kind: 'refused' } });
    expect(report.error.message).toContain('connection refused by 127.0.0.1');
  });

  it('for a usage error under --json, as a JSON error report', async () => {
    const { code, out } = await run(['http://127.0.0.1:1/', '--json']);
    expect(code).toBe(2);
    expect(JSON.parse(out)).toMatchObject({ verdict: 'error', error: { kind: 'usage' } });
  });
});

describe('--help and --version', () => {
  it('prints every flag and the exit codes', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--origin',
      '--method',
      '--header',
      '--credentials',
      '--timeout',
      '--json',
      '--curl',
      'lint <file>',
    ]) {
      expect(out).toContain(flag);
    }
    expect(out).toContain('Exit codes: 0 allowed, 1 blocked');
  });

  it('prints the version', async () => {
    const { code, out } = await run(['--version']);
    expect(code).toBe(0);
    expect(out).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('cors-doctor lint <file>', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cors-doctor-lint-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const lint = async (name: string, content: string, ...flags: string[]) => {
    await writeFile(join(dir, name), content);
    return run(['lint', name, ...flags], { cwd: dir });
  };

  it('exits 1 and prints every error with its fix', async () => {
    const { code, out } = await lint(
      'bad.json',
      JSON.stringify({
        origin: ['*', 'https://app.example.com/'],
        credentials: true,
        maxAge: 100000,
      }),
    );
    expect(code).toBe(1);
    expect(out).toMatch(/^✗ bad\.json: \d+ errors, 1 warnings?\n/);
    expect(out).toContain("error   origin[1]: 'https://app.example.com/' has a trailing slash");
    expect(out).toContain("        fix: use 'https://app.example.com'");
  });

  it('exits 0 for warnings only, from a JavaScript module default export', async () => {
    const { code, out } = await lint(
      'cors.config.mjs',
      "export default { origin: ['https://app.example.com', 'null'], maxAge: 600 };\n",
    );
    expect(code).toBe(0);
    expect(out).toMatch(/^! cors\.config\.mjs: 0 errors, 1 warning\n/);
    expect(out).toContain('[null-origin-allowed]');
  });

  it('accepts a clean configuration from a TypeScript module', async () => {
    // In-process, vitest imports .ts; the built binary's Node 20 behaviour is in test/bin.test.ts.
    const { code, out } = await lint(
      'cors.config.ts',
      "const options: { origin: string } = { origin: 'https://app.example.com' };\nexport default options;\n",
    );
    expect(code).toBe(0);
    expect(out).toBe('✓ cors.config.ts: no problems; createCorsPolicy accepts it.\n');
  });

  it('prints errors and warnings as JSON with --json', async () => {
    const { code, out } = await lint('star.json', '{"origin":"*","credentials":true}', '--json');
    expect(code).toBe(1);
    const result = JSON.parse(out);
    expect(result).toMatchObject({ version: 1, file: 'star.json', warnings: [] });
    expect(result.errors[0]).toMatchObject({
      option: expect.any(String),
      message: expect.any(String),
      fix: expect.any(String),
    });
  });

  it('exits 2 when the file is missing, is not JSON or has no default export', async () => {
    expect((await run(['lint', 'missing.json'], { cwd: dir })).err).toContain(
      'cannot find missing.json',
    );
    const broken = await lint('broken.json', '{ origin: ');
    expect(broken.code).toBe(2);
    expect(broken.err).toContain('broken.json is not valid JSON');
    const named = await lint('named.mjs', "export const options = { origin: '*' };\n");
    expect(named.code).toBe(2);
    expect(named.err).toContain('has no default export');
  });

  it('exits 2 on a usage error', async () => {
    const { code, err } = await run(['lint']);
    expect(code).toBe(2);
    expect(err).toContain('usage: cors-doctor lint <file> [--json]');
  });
});
