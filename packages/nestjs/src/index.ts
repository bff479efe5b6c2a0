import type { ASYNC_OPTIONS_TYPE } from './cors.module-definition.js';

export { CorsConfigError, type CorsOptions } from '@cors/core';
export { Cors, type CorsRouteOptions } from './cors.decorator.js';
export { CorsConflictError, CorsModule } from './cors.module.js';
export { CORS_MODULE_OPTIONS, type CorsModuleOptions } from './cors.module-definition.js';

/**
 * The options of `CorsModule.forRootAsync()`: `imports`, `inject` and `useFactory` (or
 * `useClass`, `useExisting`), and `isGlobal` (default `true`).
 */
export type CorsModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;
