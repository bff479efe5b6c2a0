// Drives the playground page in Chromium: a configuration that leaves the page's origin out is
// blocked, with the very console line Chromium printed; the fixed configuration is allowed; an
// invalid one shows the CorsConfigError with its fixes. Saves the screenshot the root README shows
// when UPDATE_SCREENSHOT=1 (ports change on every run, so the file is not rewritten otherwise).
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleOptions } from '../../src/config.js';
import { type Playground, startPlayground } from '../../src/playground/server.js';
import { servers } from '../../src/servers.js';
import { chromiumPath, corsConsoleLines, launchChromium, withoutChromium } from './chromium.js';

const screenshot =
  process.env.UPDATE_SCREENSHOT === '1'
    ? fileURLToPath(new URL('../../../../docs/playground.png', import.meta.url))
    : `${tmpdir()}/cors-playground-${process.pid}.png`;

if (chromiumPath === undefined) {
  withoutChromium('the playground page');
} else {
  const executable = chromiumPath;
  let playground: Playground;
  let browser: Browser;
  let page: Page;
  let lines: string[];
  let pageOrigin: string;

  beforeAll(async () => {
    playground = await startPlayground({ servers, initial: exampleOptions({}), adapter: 'koa' });
    pageOrigin = new URL(playground.url).origin;
    browser = await launchChromium(executable);
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    lines = corsConsoleLines(page);
    await page.goto(playground.url);
  });

  afterAll(async () => {
    await browser?.close();
    await playground?.close();
  });

  const send = async (config: unknown) => {
    await page.fill('#config', JSON.stringify(config, null, 2));
    await page.click('#send');
    await page.waitForFunction("!document.querySelector('#send').disabled");
  };

  describe('the playground in Chromium', () => {
    it('shows blocked, with the console line Chromium printed, for an origin the options leave out', async () => {
      await page.selectOption('#adapter', 'express');
      await page.fill('#method', 'PUT');
      await page.fill('#headers', 'Content-Type: application/json\nX-Request-Id: 7');
      await page.selectOption('#credentials', 'include');
      await send({ origin: ['https://app.example.com'], credentials: true });

      expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('blocked');
      const shown = await page.textContent('#message');
      expect(lines).toHaveLength(1);
      expect(shown).toBe(lines[0]);
      expect(shown).toContain(
        "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
      );
      expect(await page.textContent('#fix')).toContain(pageOrigin);
      expect(await page.textContent('#result')).toContain('403 Forbidden');

      await page.screenshot({ path: screenshot });
      expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe('PNG');
    });

    it('shows allowed once the options list the page origin', async () => {
      await send({
        origin: ['https://app.example.com', pageOrigin],
        credentials: true,
        exposedHeaders: ['X-Request-Id'],
      });
      expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('allowed');
      expect(await page.$('#message')).toBeNull();
      const result = await page.textContent('#result');
      expect(result).toContain('x-request-id');
      expect(result).toContain('Hidden from the script: x-powered-by, x-handler, x-total-count');
      expect(lines).toHaveLength(1);
    });

    it('shows each CorsConfigError problem with its fix', async () => {
      await send({ origin: '*', credentials: true });
      expect(await page.isVisible('#config-error')).toBe(true);
      const error = await page.textContent('#config-error');
      expect(error).toContain('CorsConfigError: 1 problem');
      expect(error).toContain('fix: ');
    });
  });
}
