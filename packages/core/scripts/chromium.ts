// The one place that finds and launches the headless Chromium which judges the browser model:
// scripts/verify-browser-model.ts records the model's table with it, and apps/example's browser
// tests (test/browser/chromium.ts) import this file by relative path to check the model live. It
// lives here because the core's own script needs it and the core may depend on no app; it is a
// dev-time harness outside src, so it is neither built nor published.
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** The Chromium binary: `$CHROMIUM` when set, else Debian's `/usr/bin/chromium`; `undefined` when absent. */
export const chromiumPath: string | undefined = ((path) => (existsSync(path) ? path : undefined))(
  process.env.CHROMIUM || '/usr/bin/chromium',
);

/**
 * Headless Chromium with the flags every browser check uses: no sandbox and no GPU (containers,
 * CI), no QUIC, and none of the background traffic (updates, sync) that would race the test's
 * requests. `hostRules` maps test host names to 127.0.0.1 (`MAP *.test 127.0.0.1`), so pages and
 * servers get distinct, real-looking origins on one machine.
 */
export function launchChromium(
  executablePath: string,
  options: { hostRules?: string; ignoreCertificateErrors?: boolean } = {},
): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.ignoreCertificateErrors ? ['--ignore-certificate-errors'] : []),
      ...(options.hostRules ? [`--host-resolver-rules=${options.hostRules}`] : []),
    ],
  });
}

/** Chromium's "Access to fetch at '…' …" console lines of `page`, in arrival order. */
export function corsConsoleLines(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith('Access to ')) lines.push(message.text());
  });
  return lines;
}
