// The fix as code, for each framework the project has an adapter for. The options in a snippet
// are the ones that fix the cause, filled in with the request's own origin, method and headers.
import type { DoctorCauseId, DoctorFix, DoctorFramework } from './report.js';

/** The facts of the request a snippet is filled in with. */
export interface FixContext {
  /** The page's origin. */
  origin: string;
  /** `credentials: 'include'`. */
  credentials: boolean;
  /** The method as fetch() sends it. */
  method: string;
  /** The header names the preflight asks for, as the script spells them. */
  headers: readonly string[];
  /**
   * The origins the server allows today, when the caller knows them (a linted configuration):
   * an `origin-not-allowed` fix adds the page's origin to them. Unknown: `[...allowedOrigins, …]`.
   * @default undefined
   */
  allowedOrigins?: readonly string[];
}

type Option = [name: string, value: string];

// @cors/core's default `methods`.
const DEFAULT_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'];

// Causes whose fix is where the middleware sits: the snippet shows what comes after it.
const ORDERING = new Set<DoctorCauseId>([
  'cors-middleware-missing',
  'cors-after-auth',
  'cors-after-routing',
  'preflight-status',
  'preflight-redirect',
  'redirect-before-cors',
]);

// Causes no CORS option fixes (the URL the page calls, the redirects, the network): no snippet.
const NOT_CORS = new Set<DoctorCauseId>([
  'redirect-origin-null',
  'redirect-loop',
  'redirect-location',
  'redirect-insecure',
  'redirect-unreachable',
  'redirect-cookie',
]);

// What else to change besides the CORS options, as a comment in every snippet.
const NOTES: Partial<Record<DoctorCauseId, string>> = {
  'multiple-values':
    'Remove every other source of Access-Control-* headers: the proxy (nginx add_header), a second middleware, res.setHeader calls.',
  'vary-missing': 'The middleware adds Vary: Origin to every response; purge your CDN cache once.',
  'origin-not-allowed':
    'allowedOrigins: the origins the server allows today. Keep them: the new origin is added to the list.',
  'preflight-status': 'Remove preflightContinue, and any OPTIONS handler of your own.',
  'preflight-redirect': 'Call the final URL from the page: a preflight is never redirected.',
  'redirect-before-cors':
    'Or call the final URL from the page: a redirect must carry the CORS headers too.',
};

/** The options that fix `id`, as `[name, source]` pairs. */
function optionsFor(id: DoctorCauseId, ctx: FixContext): Option[] {
  const origin = `'${ctx.origin}'`;
  const options: Option[] = [
    ['origin', id === 'origin-not-allowed' ? added(ctx) : ctx.credentials ? `[${origin}]` : origin],
  ];
  if (ctx.credentials) options.push(['credentials', 'true']);
  if (id === 'method-not-allowed') {
    const methods = DEFAULT_METHODS.includes(ctx.method)
      ? DEFAULT_METHODS
      : [...DEFAULT_METHODS, ctx.method];
    options.push(['methods', `[${methods.map((m) => `'${m}'`).join(', ')}]`]);
  }
  if (id === 'header-not-allowed' && ctx.headers.length > 0) {
    options.push(['allowedHeaders', `[${ctx.headers.map((h) => `'${h}'`).join(', ')}]`]);
  }
  return options;
}

/** The origin list with the page's origin added: to the known list, or to `...allowedOrigins`. */
function added(ctx: FixContext): string {
  const known = ctx.allowedOrigins?.filter((o) => o !== ctx.origin);
  const items = known === undefined ? ['...allowedOrigins'] : known.map((o) => `'${o}'`);
  return `[${[...items, `'${ctx.origin}'`].join(', ')}]`;
}

/** `{ origin: '…' }` on one line, or one option a line, indented by `indent`. */
function literal(options: Option[], indent: string): string {
  const oneLine = `{ ${options.map(([name, value]) => `${name}: ${value}`).join(', ')} }`;
  if (options.length === 1 && oneLine.length <= 60) return oneLine;
  const lines = options.map(([name, value]) => `${indent}  ${name}: ${value},`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

interface Framework {
  framework: DoctorFramework;
  package: string;
  title: string;
  render(options: Option[], ordering: boolean): string[];
}

const FRAMEWORKS: Framework[] = [
  {
    framework: 'express',
    package: '@cors/node',
    title: 'Express',
    render: (options, ordering) => [
      "import express from 'express';",
      "import { cors } from '@cors/node';",
      '',
      'const app = express();',
      '// First: before authentication, routers and redirects.',
      `app.use(cors(${literal(options, '')}));`,
      ...(ordering ? ['app.use(authenticate);', "app.use('/api', apiRouter);"] : []),
    ],
  },
  {
    framework: 'koa',
    package: '@cors/koa',
    title: 'Koa',
    render: (options, ordering) => [
      "import Koa from 'koa';",
      "import { cors } from '@cors/koa';",
      '',
      'const app = new Koa();',
      '// First: before authentication and the router.',
      `app.use(cors(${literal(options, '')}));`,
      ...(ordering ? ['app.use(authenticate);', 'app.use(router.routes());'] : []),
    ],
  },
  {
    framework: 'fastify',
    package: '@cors/fastify',
    title: 'Fastify',
    render: (options, ordering) => [
      "import Fastify from 'fastify';",
      "import { cors } from '@cors/fastify';",
      '',
      'const app = Fastify();',
      `await app.register(cors, ${literal(options, '')});`,
      ...(ordering
        ? ["// It answers preflights in onRequest, before your auth hooks and Fastify's 404."]
        : []),
    ],
  },
  {
    framework: 'nestjs',
    package: '@cors/nestjs',
    title: 'NestJS',
    render: (options, ordering) => [
      "import { Module } from '@nestjs/common';",
      "import { CorsModule } from '@cors/nestjs';",
      '',
      ...(literal(options, '').includes('\n')
        ? [
            '@Module({',
            '  imports: [',
            `    CorsModule.forRoot(${literal(options, '    ')}),`,
            '  ],',
            '})',
          ]
        : [`@Module({ imports: [CorsModule.forRoot(${literal(options, '')})] })`]),
      'export class AppModule {}',
      ...(ordering
        ? ['// In main.ts, remove app.enableCors(): the module answers preflights before guards.']
        : []),
    ],
  },
];

/**
 * The fix for `id` as a snippet for Express (`@cors/node`), Koa, Fastify and NestJS, filled in
 * with the request's origin, credentials, method and headers; none when no CORS option fixes it
 * (a redirect loop, a redirect to another origin...).
 *
 * @example
 * ```ts
 * fixesFor('method-not-allowed', { origin: 'https://app.example.com', credentials: false, method: 'PURGE', headers: [] });
 * // [{ framework: 'express', package: '@cors/node', title: 'Express', code: "import express ..." }, ...]
 * ```
 */
export function fixesFor(id: DoctorCauseId, ctx: FixContext): DoctorFix[] {
  if (NOT_CORS.has(id)) return [];
  const options = optionsFor(id, ctx);
  const note = NOTES[id];
  return FRAMEWORKS.map((f) => ({
    framework: f.framework,
    package: f.package,
    title: f.title,
    code: [...f.render(options, ORDERING.has(id)), ...(note ? [`// ${note}`] : [])].join('\n'),
  }));
}
