import { defineConfig } from 'tsup';
import base from '../../tsup.base';

// The library as every package ships it; the CLI as one ESM file that runs with `node`. The two
// builds run in parallel, so the library's clean must spare the CLI's output.
export default defineConfig([
  { ...base, clean: ['!cli.js', '!cli.js.map'] },
  {
    entry: ['src/cli.ts'],
    format: ['esm'],
    clean: false,
    sourcemap: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
