// NestJS on Express or Fastify: bare, with its own `enableCors` (the peer), or with CorsModule.
import 'reflect-metadata';
import { CorsModule } from '@cors/nestjs';
import { Controller, Get, Header, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { options } from './config.js';
import type { Variant } from './server.js';

@Controller()
class ResourceController {
  @Get('resource')
  @Header('Content-Type', 'text/plain')
  resource(): string {
    return 'ok';
  }
}

export async function nest(variant: Variant, platform: 'express' | 'fastify') {
  @Module({
    imports: variant === 'ours' ? [CorsModule.forRoot(options)] : [],
    controllers: [ResourceController],
  })
  class AppModule {}
  const adapter = platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const app = await NestFactory.create(AppModule, adapter, { logger: false });
  // NestJS's own CORS: the `cors` package on Express, @fastify/cors on Fastify.
  if (variant === 'peer') app.enableCors(options);
  await app.listen(0, '127.0.0.1');
  return app.getHttpServer();
}
