import type { IncomingMessage } from 'node:http';
import type { CorsOptions } from '@cors/core';
import { type CustomDecorator, SetMetadata } from '@nestjs/common';

/** The CORS options of one controller or handler: options of their own, or `false` for none. */
export type CorsRouteOptions = CorsOptions<IncomingMessage> | false;

/** The metadata key of `@Cors()`, for `Reflector.getAllAndOverride(CORS_METADATA, [handler, class])`. */
export const CORS_METADATA = '@cors/nestjs:options';

/**
 * Sets the CORS options of a controller or of one handler, for its actual requests and for its
 * preflights (a preflight for `PUT /items/1` gets the options of the handler `PUT /items/:id`
 * reaches). The handler's options replace the controller's, which replace the module's; they are
 * never merged (spread the module's options yourself to extend them). `@Cors(false)` turns CORS
 * off for the route: no CORS header, and preflights go on to the application. `@Cors()` (or
 * `@Cors(undefined)`) changes nothing: the controller's or the module's options apply.
 *
 * @example
 * ```ts
 * @Controller('items')
 * @Cors({ origin: 'https://admin.example.com', credentials: true })
 * export class ItemsController {
 *   @Put(':id') update() {}               // the controller's options
 *   @Get('feed') @Cors({ origin: '*' }) feed() {} // its own
 *   @Post('hook') @Cors(false) hook() {}   // no CORS at all
 * }
 * ```
 */
export const Cors = (options?: CorsRouteOptions): CustomDecorator<typeof CORS_METADATA> =>
  // Metadata set to `undefined` reads as absent, so Reflector.getAllAndOverride() goes on to
  // the controller, then to the module's options.
  SetMetadata(CORS_METADATA, options);
