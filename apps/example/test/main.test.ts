import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleOptions, sampleOrigin } from '../src/config.js';
import { servers } from '../src/servers.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

describe('example configuration', () => {
  it('defaults to development origins with credentials', () => {
    expect(exampleOptions({})).toMatchObject({
      origin: ['http://localhost:*', 'http://127.0.0.1:*'],
      credentials: true,
    });
    expect(sampleOrigin(exampleOptions({}))).toBe('http://localhost:5173');
  });
  it('takes origins from CORS_ORIGINS', () => {
    const options = exampleOptions({
      CORS_ORIGINS: 'https://app.example.com https://admin.example.com',
    });
    expect(options.origin).toEqual(['https://app.example.com', 'https://admin.example.com']);
    expect(sampleOrigin(options)).toBe('https://app.example.com');
  });
});

describe('the built example app', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGINT');
  });

  it('dist/servers.js exports a start factory for every adapter', async () => {
    expect(existsSync(`${dist}servers.js`)).toBe(true);
    const built = await import(`${dist}servers.js`);
    expect(Object.keys(built.servers).sort()).toEqual(Object.keys(servers).sort());
  });

  it('pnpm start serves every adapter on one configuration and prints their URLs', async () => {
    child = spawn(process.execPath, [`${dist}main.js`], {
      env: { ...process.env, CORS_ORIGINS: 'https://app.example.com' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr?.on('data', (chunk) => (output += chunk));
    await new Promise<void>((resolve, reject) => {
      child?.stdout?.on('data', (chunk) => {
        output += chunk;
        if (output.includes('example app ready')) resolve();
      });
      child?.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    const urls = [...output.matchAll(/^(\S+)\s+(http:\/\/127\.0\.0\.1:\d+)$/gm)].map(
      (m) => [m[1], m[2]] as const,
    );
    expect(urls.map(([name]) => name).sort()).toEqual(Object.keys(servers).sort());
    for (const [, url] of urls) {
      const allowed = await fetch(`${url}/resource`, {
        headers: { Origin: 'https://app.example.com' },
      });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      const refused = await fetch(`${url}/resource`, {
        headers: { Origin: 'http://localhost:5173' },
      });
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('refuses an invalid CORS_ORIGINS at start-up with the fix', async () => {
    child = spawn(process.execPath, [`${dist}main.js`], {
      env: { ...process.env, CORS_ORIGINS: 'https://app.example.com/' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child?.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('CORS_ORIGINS:');
    expect(stderr).toContain('fix: set CORS_ORIGINS=https://app.example.com');
  });
});
