import { connect } from 'node:net';

/**
 * Request headers for the raw client: a record, or `[name, value]` pairs so that a header can be
 * sent more than once (`[['origin', 'https://a.example'], ['origin', 'https://b.example']]`).
 * Names and values are written byte for byte (latin1), in the given order and case.
 */
export type RawHeaders =
  | Readonly<Record<string, string>>
  | ReadonlyArray<readonly [string, string]>;

/** What to send with {@link rawRequest}. */
export interface RawRequest {
  /** Any method token, sent as given: `'OPTIONS'`, `'patch'`, `'PURGE'`. */
  method: string;
  /** Request target, e.g. `'/resource?x=1'`. */
  path: string;
  headers?: RawHeaders;
  /** Body, sent with a `Content-Length` unless the headers already carry one. */
  body?: string;
  /**
   * Milliseconds before the request fails with a timeout error.
   * @default 5000
   */
  timeout?: number;
}

/** A parsed HTTP/1.1 response. */
export interface RawResponse {
  status: number;
  statusText: string;
  /** Lower-case names; a header received more than once is an array, in the order received. */
  headers: Record<string, string | string[]>;
  /** Header lines as received: original case and order. */
  rawHeaders: Array<[string, string]>;
  /** The body decoded as UTF-8 (chunked transfer coding removed). */
  body: string;
}

/** Every value of a response header (names are case-insensitive), in the order received. */
export function headerValues(response: Pick<RawResponse, 'headers'>, name: string): string[] {
  const value = response.headers[name.toLowerCase()];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Sends one HTTP/1.1 request over `node:net` with `Connection: close` and parses the response.
 * Unlike `fetch` or `http.request`, nothing is validated or normalised: any method, any header
 * bytes, repeated headers. Meant for tests that must send what a browser (or an attacker) sends.
 *
 * @param base - the server, `http://127.0.0.1:PORT`
 * @example
 * ```ts
 * const res = await rawRequest('http://127.0.0.1:3000', {
 *   method: 'OPTIONS',
 *   path: '/resource',
 *   headers: { origin: 'https://app.example.com', 'access-control-request-method': 'patch' },
 * });
 * res.status; // 204
 * ```
 */
export function rawRequest(base: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(base);
  const port = Number(url.port || 80);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const timeout = request.timeout ?? 5000;
  const head = serialiseHead(request, url.host);

  return new Promise<RawResponse>((resolve, reject) => {
    const socket = connect({ host, port });
    let buffer = Buffer.alloc(0);
    let settled = false;
    const finish = (error: Error | undefined, response?: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(response!);
    };
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `@cors/conformance: no complete response to ${request.method} ${request.path} within ${timeout} ms`,
          ),
        ),
      timeout,
    );
    const tryParse = (ended: boolean) => {
      let parsed: RawResponse | undefined;
      try {
        parsed = parseResponse(buffer, request.method, ended);
      } catch (error) {
        finish(error as Error);
        return;
      }
      if (parsed) finish(undefined, parsed);
      else if (ended)
        finish(
          new Error(
            `@cors/conformance: the connection closed before a complete response to ${request.method} ${request.path}`,
          ),
        );
    };
    socket.on('connect', () => {
      socket.write(head, 'latin1');
      if (request.body !== undefined) socket.write(request.body, 'utf8');
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      tryParse(false);
    });
    socket.on('end', () => tryParse(true));
    socket.on('error', (error) => {
      // A server may reset the connection after a complete response; keep what arrived.
      if (buffer.length > 0) tryParse(true);
      if (!settled) finish(error);
    });
  });
}

function serialiseHead(request: RawRequest, hostHeader: string): string {
  const pairs: Array<readonly [string, string]> = Array.isArray(request.headers)
    ? [...(request.headers as ReadonlyArray<readonly [string, string]>)]
    : Object.entries(request.headers ?? {});
  const has = (name: string) => pairs.some(([n]) => n.toLowerCase() === name);
  const lines = [`${request.method} ${request.path} HTTP/1.1`];
  if (!has('host')) lines.push(`Host: ${hostHeader}`);
  for (const [name, value] of pairs) lines.push(`${name}: ${value}`);
  if (!has('connection')) lines.push('Connection: close');
  if (request.body !== undefined && !has('content-length') && !has('transfer-encoding')) {
    lines.push(`Content-Length: ${Buffer.byteLength(request.body, 'utf8')}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Returns the response once `buffer` holds all of it, `undefined` while more is expected. */
function parseResponse(buffer: Buffer, method: string, ended: boolean): RawResponse | undefined {
  let start = 0;
  for (;;) {
    const end = buffer.indexOf(HEADER_END, start);
    if (end === -1) return undefined;
    const lines = buffer.subarray(start, end).toString('latin1').split('\r\n');
    const statusLine = /^HTTP\/\d(?:\.\d)? (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
    if (!statusLine) {
      throw new Error(`@cors/conformance: malformed status line ${JSON.stringify(lines[0])}`);
    }
    const status = Number(statusLine[1]);
    const bodyStart = end + HEADER_END.length;
    // Interim responses (100 Continue, 103 Early Hints) precede the final one.
    if (status >= 100 && status < 200 && status !== 101) {
      start = bodyStart;
      continue;
    }
    const headers: Record<string, string | string[]> = {};
    const rawHeaders: Array<[string, string]> = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0)
        throw new Error(`@cors/conformance: malformed header line ${JSON.stringify(line)}`);
      const name = line.slice(0, colon);
      const value = line.slice(colon + 1).trim();
      rawHeaders.push([name, value]);
      const key = name.toLowerCase();
      const existing = headers[key];
      if (existing === undefined) headers[key] = value;
      else if (Array.isArray(existing)) existing.push(value);
      else headers[key] = [existing, value];
    }
    const response = { status, statusText: statusLine[2] ?? '', headers, rawHeaders, body: '' };
    const rest = buffer.subarray(bodyStart);
    const body = readBody(rest, response, method, ended);
    if (body === undefined) return undefined;
    response.body = body.toString('utf8');
    return response;
  }
}

function readBody(
  rest: Buffer,
  response: Pick<RawResponse, 'status' | 'headers'>,
  method: string,
  ended: boolean,
): Buffer | undefined {
  if (method.toUpperCase() === 'HEAD' || response.status === 204 || response.status === 304) {
    return Buffer.alloc(0);
  }
  const encoding = headerValues(response, 'transfer-encoding').join(',').toLowerCase();
  if (encoding.includes('chunked')) return readChunked(rest);
  const lengths = headerValues(response, 'content-length');
  if (lengths.length > 0) {
    const length = Number(lengths[0]);
    if (!Number.isInteger(length) || length < 0) {
      throw new Error(`@cors/conformance: invalid Content-Length ${JSON.stringify(lengths[0])}`);
    }
    return rest.length >= length ? rest.subarray(0, length) : undefined;
  }
  // No framing: the body runs until the server closes the connection.
  return ended ? rest : undefined;
}

function readChunked(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd === -1) return undefined;
    const sizeText = data.subarray(offset, lineEnd).toString('latin1').split(';')[0]!.trim();
    const size = Number.parseInt(sizeText, 16);
    if (!/^[0-9a-fA-F]+$/.test(sizeText) || Number.isNaN(size)) {
      throw new Error(`@cors/conformance: malformed chunk size ${JSON.stringify(sizeText)}`);
    }
    offset = lineEnd + 2;
    if (size === 0) {
      // Trailers (ignored) end with an empty line.
      for (;;) {
        const trailerEnd = data.indexOf('\r\n', offset);
        if (trailerEnd === -1) return undefined;
        if (trailerEnd === offset) return Buffer.concat(parts);
        offset = trailerEnd + 2;
      }
    }
    if (data.length < offset + size + 2) return undefined;
    parts.push(data.subarray(offset, offset + size));
    offset += size + 2;
  }
}
