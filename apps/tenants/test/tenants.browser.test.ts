// The documented command (src/main.ts: a throwaway database and two API instances as processes),
// judged by real Chromium: an origin added through the admin endpoint is allowed by both instances
// within a second; removed, it is refused by both within a second.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumPath,
  fetchFromPage,
  launchChromium,
  withoutChromium,
} from '../../example/test/browser/chromium.js';

const app = fileURLToPath(new URL('..', import.meta.url));

interface Started {
  urls: string[];
  adminToken: string;
}

/** Runs `node --import tsx src/main.ts` and reads its ready line. */
function startTenants(): Promise<{ child: ChildProcess; started: Started; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: app,
    env: { ...process.env, DATABASE_URL: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = /tenants ready (.+)/.exec(output);
      if (line) resolve({ child, started: JSON.parse(line[1]!) as Started, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`tenants exited (${code}):\n${output}`)));
  });
}

if (chromiumPath === undefined) {
  withoutChromium('the tenants example (origins added and removed through the admin endpoint)');
} else {
  const executablePath = chromiumPath;
  describe('apps/tenants in Chromium', () => {
    let tenants: Awaited<ReturnType<typeof startTenants>>;
    let pages: Server;
    let browser: Browser;
    let page: Page;
    let shop: string;

    beforeAll(async () => {
      tenants = await startTenants();
      // The tenant's front end: a blank page on http://shop.test:PORT (Chromium maps *.test to 127.0.0.1).
      pages = createServer((_req, res) => {
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><title>shop</title>');
      });
      await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
      shop = `http://shop.test:${(pages.address() as AddressInfo).port}`;
      browser = await launchChromium(executablePath, { hostRules: 'MAP *.test 127.0.0.1' });
      page = await browser.newPage();
      await page.goto(`${shop}/`);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      pages?.close();
      if (tenants?.child.exitCode === null) {
        const exited = new Promise((resolve) => tenants.child.once('exit', resolve));
        tenants.child.kill('SIGTERM');
        await exited;
      }
    });

    /** Whether a credentialed fetch from the shop's page can read each instance's answer. */
    const readable = () =>
      Promise.all(
        tenants.started.urls.map(async (url) => {
          const outcome = await fetchFromPage(page, `${url}/api/hello`, {
            method: 'GET',
            credentials: 'include',
          });
          return outcome.resolved && outcome.status === 200;
        }),
      );

    const admin = (method: 'POST' | 'DELETE') =>
      fetch(`${tenants.started.urls[0]}/admin/tenants/acme/origins`, {
        method,
        headers: {
          authorization: `Bearer ${tenants.started.adminToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ origin: shop }),
      });

    /** Polls until both instances answer `expected`; returns the ms it took from `since`. */
    async function until(expected: boolean, since: number): Promise<number> {
      for (;;) {
        const answers = await readable();
        if (answers.every((a) => a === expected)) return Date.now() - since;
        if (Date.now() - since > 5000)
          throw new Error(`still ${JSON.stringify(answers)} after 5 s`);
      }
    }

    it('refuses the shop on both instances before it is added', async () => {
      expect(await readable()).toEqual([false, false]);
      expect(await readable()).toEqual([false, false]);
    });

    it('allows it on both instances within a second of the admin adding it', async () => {
      const since = Date.now();
      expect((await admin('POST')).status).toBe(201);
      const ms = await until(true, since);
      console.log(`added: allowed by both instances after ${ms} ms`);
      expect(ms).toBeLessThan(1000);
    });

    it('refuses it on both instances within a second of the admin removing it', async () => {
      expect(await readable()).toEqual([true, true]); // cached on both
      const since = Date.now();
      expect((await admin('DELETE')).status).toBe(204);
      const ms = await until(false, since);
      console.log(`removed: refused by both instances after ${ms} ms`);
      expect(ms).toBeLessThan(1000);
    });

    it('refuses the admin endpoint without its token', async () => {
      const res = await fetch(`${tenants.started.urls[1]}/admin/tenants/acme/origins`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ origin: shop }),
      });
      expect(res.status).toBe(401);
    });
  });
}
