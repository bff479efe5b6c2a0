// Sends one request as the browser would put it on the wire and reports the response's status and
// every header field as received, repeated fields kept apart: a doubled
// `Access-Control-Allow-Origin` is one of the causes the doctor has to see.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { DoctorResponse, ProbeErrorKind } from './report.js';

/** The network failed before a response arrived; `kind` says how. */
export class ProbeError extends Error {
  override readonly name = 'ProbeError';
  constructor(
    readonly kind: ProbeErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`@cors/doctor: ${message}`, options);
  }
}

/** One request to send. */
export interface ProbeRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Milliseconds until the response headers must have arrived. */
  timeout: number;
}

/**
 * Sends `request` and resolves with the status and headers as soon as they arrive (the body is
 * drained and ignored; CORS lives in the headers). Redirects are not followed. Rejects with a
 * {@link ProbeError} on DNS failure, refused connection, timeout, TLS failure or reset.
 */
export function probe(request: ProbeRequest): Promise<DoctorResponse> {
  const url = new URL(request.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: request.method, headers: request.headers, agent: false });
    const timer = setTimeout(() => {
      req.destroy(
        new ProbeError(
          'timeout',
          `${url.host} did not answer the ${request.method} within ${request.timeout} ms (raise --timeout if it is just slow)`,
        ),
      );
    }, request.timeout);
    req.on('response', (res: IncomingMessage) => {
      clearTimeout(timer);
      res.on('error', () => {});
      res.resume();
      resolve({
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? '',
        headers: fieldsOf(res.rawHeaders),
      });
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error instanceof ProbeError ? error : classify(error, url, request.method));
    });
    req.end();
  });
}

/** Header fields by lower-case name; a name received more than once keeps each value. */
function fieldsOf(raw: readonly string[]): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const existing = fields[name];
    if (existing === undefined) fields[name] = value;
    else fields[name] = typeof existing === 'string' ? [existing, value] : [...existing, value];
  }
  return fields;
}

const TLS_CODES =
  /^(?:CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH)/;

/** Turns a Node network error into a {@link ProbeError} whose message says what happened and what to try. */
export function classify(error: Error, url: URL, method: string): ProbeError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const host = url.hostname;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const options = { cause: error };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new ProbeError(
      'dns',
      `cannot resolve ${host} (DNS lookup failed: ${code}); check the spelling of the URL`,
      options,
    );
  }
  if (code === 'ECONNREFUSED') {
    return new ProbeError(
      'refused',
      `connection refused by ${host}:${port}; is the server running and listening on that port?`,
      options,
    );
  }
  if (code === 'ETIMEDOUT' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH') {
    return new ProbeError(
      code === 'ETIMEDOUT' ? 'timeout' : 'network',
      `cannot reach ${host}:${port} (${code})`,
      options,
    );
  }
  if (TLS_CODES.test(code)) {
    return new ProbeError(
      'tls',
      `TLS handshake with ${host}:${port} failed (${code}: ${error.message}); a browser refuses this certificate too. For a local CA (mkcert), set NODE_EXTRA_CA_CERTS to its root certificate`,
      options,
    );
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return new ProbeError(
      'reset',
      `${host}:${port} closed the connection before answering the ${method} (${code}); a server or proxy dropped the request`,
      options,
    );
  }
  return new ProbeError(
    'network',
    `the ${method} to ${url.href} failed: ${error.message}${code ? ` (${code})` : ''}`,
    options,
  );
}
