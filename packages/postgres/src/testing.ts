// A throwaway PostgreSQL cluster for tests and examples: initdb in a temporary folder, listening on
// 127.0.0.1 on a free port, removed when stopped. Never relies on a system service being up.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  connectionString: string;
  port: number;
  /** The cluster's folder (data, socket, log). */
  dir: string;
  /** Stops the server, keeping its data (`fast` rolls back open transactions, `immediate` crashes it). */
  stop(mode?: 'fast' | 'immediate'): void;
  /** Starts it again on the same port, after `stop`. */
  start(): void;
  /** Stops the server and removes its folder. */
  destroy(): void;
}

/** Where Debian (and most distributions) put the server binaries, newest first. */
export function findPostgresBin(): string | undefined {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, 'initdb')))
    return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts a new cluster. As root (PostgreSQL refuses to run as root) the server runs as the
 * `postgres` system user, which the Debian package creates.
 */
export async function startPostgres(): Promise<ThrowawayPostgres> {
  const bin = findPostgresBin();
  if (bin === undefined) {
    throw new Error(
      '@cors/postgres: no PostgreSQL server binaries (initdb, pg_ctl) found under /usr/lib/postgresql; ' +
        'install them (Debian: apt-get install postgresql) or set PG_BIN to their folder',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'cors-pg-'));
  const data = join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]]
      : [join(bin, command), args];
    const result = spawnSync(file, argv, { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(
        `@cors/postgres: ${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`,
      );
    }
  };
  const owner = asRoot
    ? (['-u', '-g'] as const).map((flag) =>
        Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim()),
      )
    : undefined;
  if (owner) chownSync(dir, owner[0]!, owner[1]!);
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  writeFileSync(
    join(data, 'postgresql.auto.conf'),
    [
      "listen_addresses = '127.0.0.1'",
      `port = ${port}`,
      `unix_socket_directories = '${dir}'`,
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'max_connections = 200',
      "shared_buffers = '32MB'",
      '',
    ].join('\n'),
  );
  if (owner) chownSync(join(data, 'postgresql.auto.conf'), owner[0]!, owner[1]!);
  const log = join(dir, 'server.log');
  let running = false;
  const start = () => {
    run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', 'start']);
    running = true;
  };
  const stop = (mode: 'fast' | 'immediate' = 'fast') => {
    if (!running) return;
    run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    running = false;
  };
  // A test that fails or is interrupted must not leave a server behind.
  const onExit = () => {
    try {
      stop('immediate');
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  start();
  return {
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop,
    start,
    destroy() {
      process.removeListener('exit', onExit);
      onExit();
    },
  };
}
