import { describeConformance } from '@cors/conformance/vitest';
import Koa2 from 'koa2';
import { startKoa, startKoaWith } from './server.js';

describeConformance('koa', startKoa);
describeConformance('koa 2', startKoaWith(Koa2));
