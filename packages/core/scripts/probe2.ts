import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';

const server = createServer((req, res) => {
  const host = req.headers.host ?? '';
  if (host.startsWith('app.')) {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><script>
      fetch('http://${host.replace('app.', 'api.')}/missing').catch(() => {});
      fetch('http://${host.replace('app.', 'api.')}/mismatch').catch(() => {});
      fetch('http://${host.replace('app.', 'api.')}/pf', {method: 'PUT'}).catch(() => {});
      const x = new XMLHttpRequest(); x.open('GET', 'http://${host.replace('app.', 'api.')}/xhr'); x.send();
    </script>`);
    return;
  }
  if (req.url === '/mismatch') res.setHeader('access-control-allow-origin', 'http://x.test');
  res.writeHead(200);
  res.end('x');
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP *.test 127.0.0.1'],
});
const page = await browser.newPage();
page.on('console', (m) => console.log(m.type(), m.text()));
await page.goto(`http://app.example.test:${port}/`);
await page.waitForTimeout(1000);
await browser.close();
server.close();
