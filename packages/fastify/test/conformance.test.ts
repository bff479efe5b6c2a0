import { describeConformance } from '@cors/conformance/vitest';
import { startFastify } from './server.js';

describeConformance('fastify', startFastify, { perRoute: true });
