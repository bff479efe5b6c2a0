// The servers under test: each peer on its framework, and our adapters on the same servers to
// check the harness itself. A target turns our CorsOptions into its own and starts the server.
import { readFileSync } from 'node:fs';
import type { StartedServer, StartServer } from '@cors/conformance';
import type { CorsOptions } from '@cors/core';
import { cors as oursFastify } from '@cors/fastify';
import { cors as oursKoa } from '@cors/koa';
import { CorsModule } from '@cors/nestjs';
import { cors as oursExpress } from '@cors/node';
import fastifyCors from '@fastify/cors';
import koaCors from '@koa/cors';
import peerCors from 'cors';
import { startExpress, startFastify, startKoa, startNest } from './servers.js';
import {
  NotExpressible,
  type PatternStyle,
  toExpressCors,
  toFastifyCors,
  toKoaCors,
} from './translate.js';

export interface Target {
  /** Short name for tables: `cors`, `@koa/cors`, `Nest (Express)`, ... */
  short: string;
  /** The CORS package and its framework, with versions: `cors 2.8.6 on Express 5.3.0`. */
  label: string;
  start: StartServer;
  /** Why `options` cannot be written for this target, or undefined when they can. */
  notExpressible(options: CorsOptions): string | undefined;
}

const version = (name: string): string =>
  JSON.parse(
    readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8'),
  ).version;

function target<O>(
  short: string,
  label: string,
  translate: (options: CorsOptions) => O,
  start: (options: O) => Promise<StartedServer>,
): Target {
  return {
    short,
    label,
    // Async, so that a translation error rejects instead of throwing.
    start: async (options) => start(translate(options)),
    notExpressible(options) {
      try {
        translate(options);
        return undefined;
      } catch (error) {
        if (error instanceof NotExpressible) return error.message;
        throw error;
      }
    },
  };
}

const on = (pkg: string, framework: string, frameworkPkg: string) =>
  `${pkg} ${version(pkg)} on ${framework} ${version(frameworkPkg)}`;
const nest = (platform: string, cors: string) =>
  `NestJS ${version('@nestjs/core')} ${cors}, platform-${platform}`;

export function peerTargets(style: PatternStyle): Target[] {
  const express = (o: CorsOptions) => toExpressCors(o, style);
  const fastify = (o: CorsOptions) => toFastifyCors(o, style);
  return [
    target('cors', on('cors', 'Express', 'express'), express, (o) => startExpress(peerCors(o))),
    target(
      '@koa/cors',
      on('@koa/cors', 'Koa', 'koa'),
      (o) => toKoaCors(o, style),
      (o) => startKoa(koaCors(o)),
    ),
    target('@fastify/cors', on('@fastify/cors', 'Fastify', 'fastify'), fastify, (o) =>
      startFastify((app) => app.register(fastifyCors, o)),
    ),
    target('Nest (Express)', nest('express', 'enableCors (cors)'), express, (o) =>
      startNest('express', { enableCors: o }),
    ),
    target('Nest (Fastify)', nest('fastify', 'enableCors (@fastify/cors)'), fastify, (o) =>
      startNest('fastify', { enableCors: o }),
    ),
  ];
}

/**
 * Our adapters in the very same servers, with our options as they are: each must pass every
 * scenario, or the harness (a server, the scenarios as run here, the classification) is wrong.
 */
export function ourTargets(): Target[] {
  const same = (options: CorsOptions) => options;
  return [
    target('@cors/node', on('@cors/node', 'Express', 'express'), same, (o) =>
      startExpress(oursExpress(o)),
    ),
    target('@cors/koa', on('@cors/koa', 'Koa', 'koa'), same, (o) => startKoa(oursKoa(o))),
    target('@cors/fastify', on('@cors/fastify', 'Fastify', 'fastify'), same, (o) =>
      startFastify((app) => app.register(oursFastify, o)),
    ),
    target('@cors/nestjs (Express)', nest('express', '@cors/nestjs'), same, (o) =>
      startNest('express', { module: CorsModule.forRoot(o) }),
    ),
    target('@cors/nestjs (Fastify)', nest('fastify', '@cors/nestjs'), same, (o) =>
      startNest('fastify', { module: CorsModule.forRoot(o) }),
    ),
  ];
}
