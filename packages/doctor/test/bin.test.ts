// The built `cors-doctor` binary, run as a user runs it: a separate Node process on dist/cli.js.
// The behaviour itself is tested in-process (src/cli.test.ts); this proves the package ships it.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, serve } from './serve.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(PACKAGE, '../..');
const CLI = join(PACKAGE, 'dist/cli.js');
const ORIGIN = 'https://app.example.com';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return new Promise((resolve) => {
    // Run the file itself, as the bin link does: the shebang picks Node.
    execFile(
      CLI,
      args,
      { cwd: PACKAGE, env: { ...process.env, NO_COLOR: undefined, ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

let server: Running;
let dir: string;
beforeAll(async () => {
  // Turbo builds @cors/core first if needed, and replays its cache when nothing changed.
  execFileSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=@cors/doctor', '--output-logs=errors-only'],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
  server = await serve((req, res) => {
    if (req.url === '/open') res.setHeader('Access-Control-Allow-Origin', '*');
    res.end('ok');
  });
  dir = await mkdtemp(join(tmpdir(), 'cors-doctor-bin-'));
}, 120_000);
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the cors-doctor binary', () => {
  it('starts with a node shebang', async () => {
    expect((await readFile(CLI, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('exits 0 when allowed, 1 when blocked, 2 when nothing answers', async () => {
    const allowed = await cli([`${server.url}/open`, '--origin', ORIGIN]);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('ALLOWED');

    const blocked = await cli([`${server.url}/closed`, '--origin', ORIGIN]);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toContain("No 'Access-Control-Allow-Origin' header is present");
    expect(blocked.stdout).not.toContain('\x1b[');

    const refused = await cli(['http://127.0.0.1:1/', '--origin', ORIGIN]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('@cors/doctor: connection refused by 127.0.0.1:1');
  });

  it('prints the JSON report with --json', async () => {
    const { code, stdout } = await cli([`${server.url}/closed`, '--origin', ORIGIN, '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      version: 1,
      verdict: 'blocked',
      code: 'MissingAllowOriginHeader',
      cause: { id: 'cors-middleware-missing' },
    });
  });

  it('lints a JSON configuration and exits 1 on errors', async () => {
    const file = join(dir, 'cors.json');
    await writeFile(file, JSON.stringify({ origin: true }));
    const { code, stdout } = await cli(['lint', file]);
    expect(code).toBe(1);
    expect(stdout).toContain('error   origin');
  });

  it('explains how to lint TypeScript when Node cannot import it, and lints it under tsx', async () => {
    const file = join(dir, 'cors.config.ts');
    await writeFile(
      file,
      "const options: { origin: string } = { origin: 'https://app.example.com' };\nexport default options;\n",
    );
    const plain = await cli(['lint', file]);
    const stripsTypes = (process.features as { typescript?: unknown }).typescript !== undefined;
    if (stripsTypes) {
      expect(plain.code).toBe(0);
    } else {
      expect(plain.code).toBe(2);
      expect(plain.stderr).toContain('cannot import TypeScript');
      expect(plain.stderr).toContain("NODE_OPTIONS='--import tsx' cors-doctor lint");
    }
    const withTsx = await cli(['lint', file], { NODE_OPTIONS: '--import tsx' });
    expect(withTsx.stderr).toBe('');
    expect(withTsx.code).toBe(0);
    expect(withTsx.stdout).toContain('no problems');
  });
});
