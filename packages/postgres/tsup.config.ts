import { defineConfig } from 'tsup';
import base from '../../tsup.base';

// Two entries: the package, and the throwaway-cluster helper its tests and the examples share.
export default defineConfig({ ...base, entry: ['src/index.ts', 'src/testing.ts'] });
