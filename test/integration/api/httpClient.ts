import http from 'node:http';

/** Where a test request goes: the hub's Unix socket or its TCP port on 127.0.0.1. */
export type Target = { socketPath: string } | { port: number };

export interface TestResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): unknown;
}

export interface TestRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * Sends one HTTP request with node:http, which, unlike fetch, lets a test set
 * the Host header and reach a Unix socket.
 */
export function sendRequest(target: Target, request: TestRequest): Promise<TestResponse> {
  const address = 'socketPath' in target ? { socketPath: target.socketPath } : { host: '127.0.0.1', port: target.port };
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(request.body));

  return new Promise((resolve, reject) => {
    const outgoing = http.request({ ...address, method: request.method ?? 'GET', path: request.path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: () => JSON.parse(text) as unknown });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** Calls a hub method: `POST /api/hub/<domain>/<verb>` with a JSON body. */
export function postMethod(target: Target, name: string, input: unknown, headers: Record<string, string> = {}): Promise<TestResponse> {
  return sendRequest(target, {
    method: 'POST',
    path: `/api/hub/${name.replace(':', '/')}`,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });
}
