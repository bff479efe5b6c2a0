import { createServer } from 'node:http';
import type { StartServer } from '@cors/conformance';
import { describeConformance } from '@cors/conformance/vitest';
import connect from 'connect';
import express4 from 'express4';
import { cors } from '../src/index.js';
import {
  answer,
  listen,
  requireAuth,
  startExpress,
  startExpressWith,
  startNodeHttp,
} from './server.js';

/** Connect: routes in plain node:http, Connect's own final handler for 404 and 500. */
const startConnect: StartServer = async (options) => {
  const app = connect();
  app.use(cors(options));
  app.use('/private', requireAuth);
  app.use((req, res, next) => {
    if (!answer(req, res)) next();
  });
  return listen(createServer(app));
};

describeConformance('node-http', startNodeHttp);
describeConformance('express', startExpress);
describeConformance('express 4', startExpressWith(express4));
describeConformance('connect', startConnect);
