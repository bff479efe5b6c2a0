import type { IncomingMessage } from 'node:http';
import type { CorsOptions } from '@cors/core';
import { ConfigurableModuleBuilder } from '@nestjs/common';

/** The options of `CorsModule.forRoot()`: `CorsOptions` of `@cors/core`, for every route without `@Cors()`. */
export type CorsModuleOptions = CorsOptions<IncomingMessage>;

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: CORS_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CorsModuleOptions>({ moduleName: 'Cors' })
  .setClassMethodName('forRoot')
  // Global by default: Nest mounts the middleware of global modules first, before the
  // middleware of your own modules, so a preflight never reaches them.
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
