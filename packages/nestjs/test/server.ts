import type { AddressInfo } from 'node:net';
import type { StartServer } from '@cors/conformance';
import type { CorsOptions } from '@cors/core';
import {
  All,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Header,
  HttpCode,
  type INestApplication,
  Module,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Cors, CorsModule } from '../src/index.js';

// The server contract of @cors/conformance, on NestJS: the same routes on Express and Fastify.

class AuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    if (req.headers.authorization === undefined) throw new UnauthorizedException();
    return true;
  }
}

/** The contract's routes but `/scoped` (bench/src/peers serves them behind Nest's enableCors too). */
@Controller()
export class ContractController {
  @All('resource')
  @HttpCode(200)
  @Header('Content-Type', 'text/plain')
  @Header('X-Handler', 'resource')
  @Header('X-Request-Id', '7')
  @Header('X-Total-Count', '42')
  resource(): string {
    return 'ok';
  }

  @All('error')
  error(): never {
    throw new Error('the handler failed');
  }

  @All('private')
  @HttpCode(200)
  @Header('Content-Type', 'text/plain')
  @UseGuards(AuthGuard)
  private(): string {
    return 'secret';
  }
}

// Decorators are static, but `extras.scoped` changes with every start: the class is declared per
// start, so `@Cors(scoped)` decorates it with this start's value (`undefined`: the module's options).
function scopedController(scoped: CorsOptions | false | undefined) {
  @Controller('scoped')
  @Cors(scoped)
  class ScopedController {
    @All()
    @HttpCode(200)
    @Header('Content-Type', 'text/plain')
    scoped(): string {
      return 'scoped';
    }
  }
  return ScopedController;
}

function appModule(options: CorsOptions, extras: { scoped?: CorsOptions | false } = {}) {
  @Module({
    imports: [CorsModule.forRoot(options)],
    controllers: [ContractController, scopedController(extras.scoped)],
  })
  class AppModule {}
  return AppModule;
}

async function listen(app: INestApplication) {
  try {
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    await app.close();
    throw err;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

// abortOnError: false, so an invalid configuration rejects (with its CorsConfigError) instead of
// aborting the process; logger: false keeps Nest quiet.
const appOptions = { logger: false, abortOnError: false } as const;

/** Starts the contract's app on @nestjs/platform-express, CORS by `CorsModule.forRoot(options)`. */
export const startNestExpress: StartServer = async (options, extras) =>
  listen(await NestFactory.create(appModule(options, extras), new ExpressAdapter(), appOptions));

/** Starts the contract's app on @nestjs/platform-fastify, CORS by `CorsModule.forRoot(options)`. */
export const startNestFastify: StartServer = async (options, extras) =>
  listen(await NestFactory.create(appModule(options, extras), new FastifyAdapter(), appOptions));
