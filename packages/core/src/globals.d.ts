// Core runs in any JavaScript runtime, so it is compiled without DOM or Node typings. These are
// the few globals every runtime (Node, Deno, Bun, browsers, workers) provides and core uses.
declare class URL {
  constructor(input: string, base?: string);
  readonly href: string;
  readonly origin: string;
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly hostname: string;
  readonly port: string;
}
declare const console: { warn(...data: unknown[]): void };
declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;
