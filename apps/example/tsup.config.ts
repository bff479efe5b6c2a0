import { defineConfig } from 'tsup';

// Bundles the adapters' contract servers (imported by relative path) into dist/servers.js; the
// packages and frameworks stay external and resolve from this app's dependencies.
export default defineConfig({
  entry: ['src/main.ts', 'src/servers.ts'],
  format: ['esm'],
  dts: false,
  clean: true,
  target: 'node20',
  external: [
    /^@cors\//,
    /^@nestjs\//,
    'express',
    'koa',
    'fastify',
    'fastify-plugin',
    'reflect-metadata',
    'rxjs',
  ],
});
