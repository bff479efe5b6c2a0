import { Inject, Module } from '@nestjs/common';
import { DiscoveryModule, HttpAdapterHost } from '@nestjs/core';
import { corsRequestHook, installRequestHook } from './cors.hook.js';
import { ConfigurableModuleClass } from './cors.module-definition.js';
import { CorsRoutes } from './cors.routes.js';

/** Thrown when `app.enableCors()` or `cors` in `NestFactory.create()` meets `CorsModule`. */
export class CorsConflictError extends Error {
  override readonly name = 'CorsConflictError';
  constructor() {
    super(
      '@cors/nestjs: app.enableCors() (or the `cors` option of NestFactory.create()) adds a second ' +
        "CORS layer next to CorsModule: it would answer preflights before CorsModule's middleware " +
        'and send its own headers. Remove it and move its options to CorsModule.forRoot({ ... }).',
    );
  }
}

/**
 * CORS for a whole Nest application, on Express and on Fastify: preflights are answered by
 * middleware before guards, interceptors, pipes and the 404 handler, and every response (errors
 * included) carries the CORS headers. Per controller or handler, `@Cors()` overrides the options.
 * Global by default (`isGlobal: false` to change it). Replaces `app.enableCors()`, which it refuses.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [CorsModule.forRoot({ origin: ['https://app.example.com'], credentials: true })],
 * })
 * export class AppModule {}
 *
 * // or, from ConfigService:
 * CorsModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ origin: config.getOrThrow('CORS_ORIGINS') }),
 * });
 * ```
 */
@Module({
  imports: [DiscoveryModule],
  providers: [CorsRoutes],
})
export class CorsModule extends ConfigurableModuleClass {
  constructor(
    @Inject(HttpAdapterHost) adapterHost: HttpAdapterHost,
    @Inject(CorsRoutes) routes: CorsRoutes,
  ) {
    super();
    // NestFactory.create() sets the adapter before it creates this module; a TestingModule sets
    // it later, in createNestApplication(). Either way before the application's first request,
    // and before app.enableCors() can be called.
    adapterHost.init$.subscribe(() => {
      const adapter = adapterHost.httpAdapter;
      if (!adapter) return;
      adapter.enableCors = () => {
        throw new CorsConflictError();
      };
      // Not Nest middleware: the adapter's request hook runs before all of it, on the whole
      // server (paths outside a global prefix included), and costs no routing of its own.
      installRequestHook(adapter, corsRequestHook(routes));
    });
  }
}
