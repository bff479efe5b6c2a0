import type { IncomingMessage, ServerResponse } from 'node:http';
import { cors } from '@cors/node';
import { Inject, Injectable, type OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import {
  METHOD_METADATA,
  MODULE_PATH,
  PATH_METADATA,
  VERSION_METADATA,
} from '@nestjs/common/constants.js';
import {
  ApplicationConfig,
  DiscoveryService,
  MetadataScanner,
  ModulesContainer,
  Reflector,
} from '@nestjs/core';
// Nest's own path composition (global prefix and its exclusions, RouterModule paths, URI
// versions), so the table holds exactly the paths the router serves.
import { RoutePathFactory } from '@nestjs/core/router/route-path-factory.js';
import { CORS_METADATA, type CorsRouteOptions } from './cors.decorator.js';
import { CORS_MODULE_OPTIONS, type CorsModuleOptions } from './cors.module-definition.js';
import { RouteTable } from './route-table.js';

/** A connect-style CORS middleware of `@cors/node`, compiled from one options object. */
export type CorsHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
) => void;

/**
 * Knows which CORS options govern each route. At bootstrap it reads every controller's routes and
 * their `@Cors()` (handler over controller over module), compiles each distinct options object
 * once, and builds the table a request is looked up in.
 */
@Injectable()
export class CorsRoutes implements OnApplicationBootstrap {
  private readonly compiled = new Map<CorsModuleOptions, CorsHandler>();
  private readonly moduleHandler: CorsHandler;
  private table = new RouteTable<CorsHandler | null>([]);

  constructor(
    // Compiled here, when Nest creates the module: an invalid configuration fails at start-up.
    @Inject(CORS_MODULE_OPTIONS) options: CorsModuleOptions,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ApplicationConfig) private readonly config: ApplicationConfig,
    @Inject(ModulesContainer) private readonly modules: ModulesContainer,
  ) {
    this.moduleHandler = cors<IncomingMessage>(options);
    this.compiled.set(options, this.moduleHandler);
  }

  onApplicationBootstrap(): void {
    const routes = [...this.explore()];
    // Without any @Cors(), every request gets the module's options: no look-up at all.
    const uniform = routes.every((route) => route.value === this.moduleHandler);
    this.table = new RouteTable(uniform ? [] : routes);
  }

  /**
   * The handler of the route `method` and `path` reach: the module's when no route does, `null`
   * when the route has `@Cors(false)`.
   */
  handlerFor(method: string, path: string): CorsHandler | null {
    const found = this.table.find(method, path);
    return found === undefined ? this.moduleHandler : found;
  }

  private compile(options: CorsRouteOptions | undefined): CorsHandler | null {
    if (options === false) return null;
    if (options === undefined) return this.moduleHandler;
    let handler = this.compiled.get(options);
    if (handler === undefined) {
      handler = cors<IncomingMessage>(options);
      this.compiled.set(options, handler);
    }
    return handler;
  }

  /** Every route Nest registers, in its order, with the handler of its effective options. */
  private *explore(): Generator<{ method: string; path: string; value: CorsHandler | null }> {
    const factory = new RoutePathFactory(this.config);
    const versioningOptions = this.config.getVersioning();
    const globalPrefix = leadingSlash(this.config.getGlobalPrefix());
    for (const { metatype, host } of this.discovery.getControllers()) {
      if (!metatype) continue;
      const modulePath: string | undefined =
        host &&
        (Reflect.getMetadata(MODULE_PATH + this.modules.applicationId, host.metatype) ??
          Reflect.getMetadata(MODULE_PATH, host.metatype));
      const controllerVersion = versioningOptions
        ? (Reflect.getMetadata(VERSION_METADATA, metatype) ?? versioningOptions.defaultVersion)
        : undefined;
      const ctrlPaths = list(Reflect.getMetadata(PATH_METADATA, metatype));
      const prototype = metatype.prototype;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        const methodPaths = Reflect.getMetadata(PATH_METADATA, handler);
        if (methodPaths === undefined) continue;
        const requestMethod: RequestMethod = Reflect.getMetadata(METHOD_METADATA, handler);
        const methodVersion = Reflect.getMetadata(VERSION_METADATA, handler);
        const route = {
          globalPrefix,
          modulePath,
          versioningOptions,
          controllerVersion,
          methodVersion,
        };
        const options = this.reflector.getAllAndOverride(CORS_METADATA, [handler, metatype]);
        const value = this.compile(options as CorsRouteOptions | undefined);
        for (const ctrlPath of ctrlPaths) {
          for (const methodPath of list(methodPaths)) {
            for (const path of factory.create({ ...route, ctrlPath, methodPath }, requestMethod)) {
              yield { method: RequestMethod[requestMethod], path, value };
            }
          }
        }
      }
    }
  }
}

function list(paths: string | string[] | undefined): string[] {
  return (Array.isArray(paths) ? paths : [paths ?? '']).map(leadingSlash);
}

function leadingSlash(path: string): string {
  return path && !path.startsWith('/') && !path.startsWith('{/') ? `/${path}` : path;
}
