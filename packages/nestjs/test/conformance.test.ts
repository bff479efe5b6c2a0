import { describeConformance } from '@cors/conformance/vitest';
import { startNestExpress, startNestFastify } from './server.js';

describeConformance('nestjs-express', startNestExpress, { perRoute: true });
describeConformance('nestjs-fastify', startNestFastify, { perRoute: true });
