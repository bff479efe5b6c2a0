import { defineConfig } from 'tsup';
import base from '../../tsup.base';

export default defineConfig({
  ...base,
  entry: ['src/index.ts', 'src/vitest.ts'],
  external: ['vitest'],
});
