import type { AddressInfo } from 'node:net';
import { CorsConfigError } from '@cors/core';
import {
  All,
  type ArgumentsHost,
  BadRequestException,
  type CallHandler,
  type CanActivate,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  HttpException,
  type INestApplication,
  Injectable,
  type MiddlewareConsumer,
  Module,
  type NestInterceptor,
  type NestModule,
  Options,
  Put,
  UseFilters,
  UseGuards,
  VersioningType,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import {
  type AbstractHttpAdapter,
  APP_GUARD,
  APP_INTERCEPTOR,
  NestFactory,
  RouterModule,
} from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Cors, CorsConflictError, CorsModule } from '../src/index.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';
const PARTNER = 'https://partner.example.com';

const platforms = [
  ['express', () => new ExpressAdapter()],
  ['fastify', () => new FastifyAdapter()],
] as const;

describe.each(platforms)('CorsModule on %s', (_platform, adapter) => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(
    module: { imports?: unknown[]; controllers?: unknown[]; providers?: unknown[] },
    setUp?: (app: INestApplication) => void,
  ) {
    const testing = await Test.createTestingModule(module as never).compile();
    app = testing.createNestApplication(adapter(), { logger: false });
    setUp?.(app);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    return (path: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${port}${path}`, { redirect: 'manual', ...init });
  }

  const preflight = (origin: string, method: string, headers: Record<string, string> = {}) => ({
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, ...headers },
  });

  describe('@Cors() precedence', () => {
    @Controller('items')
    @Cors({ origin: ADMIN, credentials: true })
    class ItemsController {
      @Get() list() {
        return [];
      }
      @Put(':id') @Cors({ origin: PARTNER, methods: ['PUT'], maxAge: 60 }) update() {
        return {};
      }
      @Get(':id') @Cors() one() {
        return {};
      }
    }
    @Controller('plain')
    class PlainController {
      @Get() plain() {
        return 'plain';
      }
    }
    const module = {
      imports: [CorsModule.forRoot({ origin: APP })],
      controllers: [ItemsController, PlainController],
    };

    it('applies the handler options over the controller options over the module options', async () => {
      const request = await start(module);
      const allowed = async (path: string, init: RequestInit) =>
        (await request(path, init)).headers.get('access-control-allow-origin');
      expect(await allowed('/items', { headers: { origin: ADMIN } })).toBe(ADMIN);
      expect(await allowed('/items', { headers: { origin: APP } })).toBeNull();
      expect(await allowed('/items/1', { method: 'PUT', headers: { origin: PARTNER } })).toBe(
        PARTNER,
      );
      expect(await allowed('/items/1', { method: 'PUT', headers: { origin: ADMIN } })).toBeNull();
      expect(await allowed('/plain', { headers: { origin: APP } })).toBe(APP);
      expect(await allowed('/plain', { headers: { origin: ADMIN } })).toBeNull();
    });

    it('lets @Cors() without options inherit the controller options', async () => {
      const request = await start(module);
      const res = await request('/items/1', { headers: { origin: ADMIN } });
      expect(res.headers.get('access-control-allow-origin')).toBe(ADMIN);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    });

    it("answers a preflight to a parametric route with that handler's options", async () => {
      const request = await start(module);
      const res = await request('/items/42', preflight(PARTNER, 'PUT'));
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(PARTNER);
      expect(res.headers.get('access-control-allow-methods')).toBe('PUT');
      expect(res.headers.get('access-control-max-age')).toBe('60');
    });

    it('looks a preflight up by the method it asks for, not by OPTIONS', async () => {
      const request = await start(module);
      const asksGet = await request('/items/42', preflight(ADMIN, 'GET'));
      expect(asksGet.headers.get('access-control-allow-origin')).toBe(ADMIN);
      expect(asksGet.headers.get('access-control-allow-credentials')).toBe('true');
      const asksPut = await request('/items/42', preflight(ADMIN, 'PUT'));
      expect(asksPut.status).toBe(403);
      expect(asksPut.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('applies the module options to paths no route serves', async () => {
      const request = await start(module);
      const res = await request('/nowhere/1', preflight(APP, 'DELETE'));
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    });
  });

  describe('@Cors(false)', () => {
    @Controller('hooks')
    @Cors(false)
    class HooksController {
      @Get() list() {
        return 'hooks';
      }
      @Options() options() {
        return 'the application answered';
      }
    }
    const module = {
      imports: [CorsModule.forRoot({ origin: APP })],
      controllers: [HooksController],
    };

    it('sends no CORS header on the route', async () => {
      const request = await start(module);
      const res = await request('/hooks', { headers: { origin: APP } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('vary')).toBeNull();
    });

    it('hands its preflights on to the application', async () => {
      const request = await start(module);
      const res = await request('/hooks', preflight(APP, 'GET'));
      expect(await res.text()).toBe('the application answered');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('forRootAsync', () => {
    @Controller('resource')
    class ResourceController {
      @Get() get() {
        return 'ok';
      }
    }

    it('takes its options from ConfigService', async () => {
      const load = () => ({ cors: { origins: [PARTNER, 'https://*.preview.example.com'] } });
      const request = await start({
        imports: [
          ConfigModule.forRoot({ ignoreEnvFile: true, load: [load] }),
          CorsModule.forRootAsync({
            imports: [ConfigModule],
            inject: [ConfigService],
            useFactory: (config: ConfigService) => ({
              origin: config.getOrThrow<string[]>('cors.origins'),
              maxAge: 600,
            }),
          }),
        ],
        controllers: [ResourceController],
      });
      const preview = 'https://pr-7.preview.example.com';
      const res = await request('/resource', preflight(preview, 'PUT'));
      expect(res.headers.get('access-control-allow-origin')).toBe(preview);
      expect(res.headers.get('access-control-max-age')).toBe('600');
      const actual = await request('/resource', { headers: { origin: PARTNER } });
      expect(actual.headers.get('access-control-allow-origin')).toBe(PARTNER);
    });

    it('rejects an invalid configuration with a CorsConfigError', async () => {
      const failing = Test.createTestingModule({
        imports: [CorsModule.forRootAsync({ useFactory: () => ({ origin: true as never }) })],
      }).compile();
      await expect(failing).rejects.toThrow(CorsConfigError);
    });
  });

  describe('error responses', () => {
    class DenyGuard implements CanActivate {
      canActivate() {
        return false;
      }
    }
    @Catch(BadRequestException)
    class TeapotFilter implements ExceptionFilter {
      catch(_exception: unknown, host: ArgumentsHost) {
        const response = host.switchToHttp().getResponse();
        // Express' response or Fastify's reply: both have status() and send().
        response.status(418).send('filtered');
      }
    }
    @Controller()
    class FailingController {
      @Get('http') http() {
        throw new HttpException('Gone', 410);
      }
      @Get('thrown') thrown() {
        throw new Error('unexpected');
      }
      @Get('guarded') @UseGuards(DenyGuard) guarded() {
        return 'never';
      }
      @Get('filtered') @UseFilters(TeapotFilter) filtered() {
        throw new BadRequestException();
      }
    }
    const module = {
      imports: [CorsModule.forRoot({ origin: APP, exposedHeaders: ['X-Trace'] })],
      controllers: [FailingController],
    };

    it.each([
      ['an HttpException', '/http', 410],
      ['a thrown error', '/thrown', 500],
      ["a guard's refusal", '/guarded', 403],
      ['an exception filter', '/filtered', 418],
      ['an unknown route', '/unknown', 404],
    ])('keeps the CORS headers on %s', async (_name, path, status) => {
      const request = await start(module);
      const res = await request(path, { headers: { origin: APP } });
      expect(res.status).toBe(status);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(res.headers.get('access-control-expose-headers')).toBe('X-Trace');
      expect(res.headers.get('vary')).toContain('Origin');
    });

    it("hands an origin function's error to Nest's exception handling", async () => {
      const request = await start({
        imports: [
          CorsModule.forRoot({
            origin: () => {
              throw new Error('the origin store is down');
            },
          }),
        ],
        controllers: [FailingController],
      });
      const res = await request('/http', { headers: { origin: APP } });
      expect(res.status).toBe(500);
    });
  });

  describe('ahead of the application', () => {
    let reached: string[] = [];
    @Injectable()
    class CountingGuard implements CanActivate {
      canActivate(): boolean {
        reached.push('guard');
        return false;
      }
    }
    @Injectable()
    class CountingInterceptor implements NestInterceptor {
      intercept(_context: unknown, next: CallHandler) {
        reached.push('interceptor');
        return next.handle();
      }
    }
    @Controller('locked')
    class LockedController {
      @All() locked() {
        reached.push('handler');
        return 'locked';
      }
    }
    @Module({ controllers: [LockedController] })
    class LockedModule implements NestModule {
      configure(consumer: MiddlewareConsumer) {
        consumer
          .apply((_req: unknown, res: { statusCode: number; end(): void }) => {
            reached.push('middleware');
            res.statusCode = 401;
            res.end();
          })
          .forRoutes('*');
      }
    }
    const module = {
      imports: [CorsModule.forRoot({ origin: APP }), LockedModule],
      providers: [
        { provide: APP_GUARD, useClass: CountingGuard },
        { provide: APP_INTERCEPTOR, useClass: CountingInterceptor },
      ],
    };

    it('answers a preflight before middleware, guards, interceptors and the handler', async () => {
      reached = [];
      const request = await start(module);
      const res = await request(
        '/locked',
        preflight(APP, 'DELETE', { 'access-control-request-headers': 'authorization' }),
      );
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-headers')).toBe('authorization');
      expect(reached).toEqual([]);
    });

    it('lets the actual request go on to them, with the CORS headers set', async () => {
      reached = [];
      const request = await start(module);
      const res = await request('/locked', { method: 'DELETE', headers: { origin: APP } });
      expect(res.status).toBe(401);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(reached).toEqual(['middleware']);
    });
    it('answers it first even when your module and its middleware come before CorsModule', async () => {
      reached = [];
      const request = await start({
        ...module,
        imports: [LockedModule, CorsModule.forRoot({ origin: APP, isGlobal: false })],
      });
      const res = await request('/locked', preflight(APP, 'DELETE'));
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(reached).toEqual([]);
    });

    it('runs a request hook set later (devtools) after CORS instead of losing CORS', async () => {
      reached = [];
      const request = await start(module, (app) =>
        (app.getHttpAdapter() as AbstractHttpAdapter).setOnRequestHook(
          (_req: unknown, _res: unknown, done: () => void) => {
            reached.push('hook');
            done();
          },
        ),
      );
      const answered = await request('/locked', preflight(APP, 'DELETE'));
      expect(answered.status).toBe(204);
      expect(reached).toEqual([]);
      const res = await request('/locked', { method: 'DELETE', headers: { origin: APP } });
      expect(res.status).toBe(401);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(reached).toEqual(['hook', 'middleware']);
    });

    it('passes a failing later request hook to the exception handling, CORS headers kept', async () => {
      const request = await start(module, (app) =>
        (app.getHttpAdapter() as AbstractHttpAdapter).setOnRequestHook(async () => {
          throw new Error('hook failed');
        }),
      );
      const res = await request('/locked', { method: 'DELETE', headers: { origin: APP } });
      expect(res.status).toBe(500);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    });
  });

  describe('route paths', () => {
    @Controller({ path: 'orders', version: '2' })
    class OrdersController {
      @Put(':id') @Cors({ origin: PARTNER }) update() {
        return {};
      }
    }
    @Module({ controllers: [OrdersController] })
    class ShopModule {}

    it('finds routes under the global prefix, RouterModule paths and URI versions', async () => {
      const request = await start(
        {
          imports: [
            CorsModule.forRoot({ origin: APP }),
            ShopModule,
            RouterModule.register([{ path: 'shop', module: ShopModule }]),
          ],
        },
        (app) => app.setGlobalPrefix('api').enableVersioning({ type: VersioningType.URI }),
      );
      const res = await request('/api/v2/shop/orders/9', preflight(PARTNER, 'PUT'));
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(PARTNER);
      const actual = await request('/api/v2/shop/orders/9', {
        method: 'PUT',
        headers: { origin: PARTNER },
      });
      expect(actual.status).toBe(200);
      expect(actual.headers.get('access-control-allow-origin')).toBe(PARTNER);
    });

    it('sets CORS headers outside the global prefix too (its 404 included)', async () => {
      const request = await start({ imports: [CorsModule.forRoot({ origin: APP })] }, (app) =>
        app.setGlobalPrefix('api'),
      );
      const res = await request('/elsewhere', { headers: { origin: APP } });
      expect(res.status).toBe(404);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      const answered = await request('/elsewhere', preflight(APP, 'PUT'));
      expect(answered.status).toBe(204);
    });
  });

  describe('next to enableCors()', () => {
    const module = { imports: [CorsModule.forRoot({ origin: APP })] };

    it('refuses app.enableCors() with the fix', async () => {
      const testing = await Test.createTestingModule(module).compile();
      app = testing.createNestApplication(adapter(), { logger: false });
      expect(() => app!.enableCors()).toThrow(CorsConflictError);
      expect(() => app!.enableCors()).toThrow(/CorsModule\.forRoot/);
    });

    it('refuses the cors option of NestFactory.create()', async () => {
      @Module(module)
      class AppModule {}
      app = await NestFactory.create(AppModule, adapter(), {
        cors: true,
        logger: false,
        abortOnError: false,
      });
      await expect(app.init()).rejects.toThrow(CorsConflictError);
    });
  });

  it('rejects invalid @Cors() options at start-up', async () => {
    @Controller('bad')
    class BadController {
      @Get() @Cors({ origin: '*', credentials: true }) bad() {
        return 'bad';
      }
    }
    await expect(
      start({ imports: [CorsModule.forRoot({ origin: APP })], controllers: [BadController] }),
    ).rejects.toThrow(CorsConfigError);
  });
});
