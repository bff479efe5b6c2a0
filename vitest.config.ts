import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One root config runs every package's colocated tests from source: `@cors/*` imports are aliased
// to each package's `src/index.ts`, so tests need no build and always see the current code.
const root = fileURLToPath(new URL('.', import.meta.url));
const dirs = ['packages', 'apps'].flatMap((group) =>
  readdirSync(`${root}${group}`, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${root}${group}/${d.name}/package.json`))
    .map((d) => `${group}/${d.name}`),
);

const alias = dirs
  .filter((dir) => dir.startsWith('packages/') && existsSync(`${root}${dir}/src/index.ts`))
  .flatMap((dir) => {
    const name = `@cors/${dir.slice('packages/'.length)}`;
    const extra = existsSync(`${root}${dir}/src/vitest.ts`)
      ? [{ find: `${name}/vitest`, replacement: `${root}${dir}/src/vitest.ts` }]
      : [];
    return [...extra, { find: new RegExp(`^${name}$`), replacement: `${root}${dir}/src/index.ts` }];
  });

export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/*.bench.ts', '**/test-utils/**'],
      reporter: ['text-summary', 'json-summary'],
      // The core decides everything; it must stay fully exercised.
      thresholds: { 'packages/core/src/**/*.ts': { lines: 95 } },
    },
    projects: dirs.map((dir) => ({
      extends: true,
      test: {
        name: dir.split('/')[1],
        root: `${root}${dir}`,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      },
    })),
  },
});
