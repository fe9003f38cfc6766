import http from 'node:http';
import path from 'node:path';

import { methodPath } from '../../common/contract';
import { HubError, type ErrorCode, errorStatus } from '../../common/errors';
import { isSocketAccepting } from '../core/api/httpServer';
import { createHub } from '../core/hub';
import { createLogger } from '../core/logger';
import { resolveHubPaths } from '../core/paths';

/** Calls hub methods either on a running hub or on a store opened in this process. */
export interface HubConnection {
  readonly remote: boolean;
  call(name: string, input: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** Maximum wait for one reply over the socket, in milliseconds. */
const callTimeoutMs = 120_000;

/**
 * Calls one hub method over the Unix socket: `POST /api/hub/<domain>/<verb>`.
 * Rejects with the hub's HubError, or with TEMPORARILY_UNAVAILABLE when no hub accepts the connection.
 */
export function callHub(socketPath: string, name: string, input: unknown): Promise<unknown> {
  const body = JSON.stringify(input ?? {});

  return new Promise((resolve, reject) => {
    const request = http.request(
      { socketPath, path: methodPath(name), method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }, timeout: callTimeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => settle(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), resolve, reject));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new HubError('TEMPORARILY_UNAVAILABLE', `the hub did not reply to ${name} within ${callTimeoutMs / 1000} s`)));
    request.on('error', (error) => reject(error instanceof HubError ? error : new HubError('TEMPORARILY_UNAVAILABLE', `cannot reach the hub on ${socketPath}: ${error.message}`)));
    request.end(body);
  });
}

function settle(status: number, text: string, resolve: (value: unknown) => void, reject: (error: Error) => void): void {
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    reject(new HubError('INTERNAL_ERROR', `the hub sent a reply that is not JSON (HTTP ${status})`));
    return;
  }

  if (status >= 200 && status < 300) {
    resolve(body);
    return;
  }
  const { error_code: code, message } = (body ?? {}) as { error_code?: string; message?: string };
  const knownCode = code !== undefined && code in errorStatus ? (code as ErrorCode) : 'INTERNAL_ERROR';
  reject(new HubError(knownCode, message ?? `the hub replied with HTTP ${status}`));
}

/**
 * Connects to the hub of `dataDir`: the running hub when one accepts
 * connections on its socket, else the store opened in this process, which
 * `onLocal` announces.
 */
export async function connectHub(dataDir: string, onLocal: (message: string) => void): Promise<HubConnection> {
  const paths = resolveHubPaths(dataDir);
  if (await isSocketAccepting(paths.socketPath)) {
    return { remote: true, call: (name, input) => callHub(paths.socketPath, name, input), close: async () => undefined };
  }

  onLocal(`mlops-hub: no hub is running; using the store in ${dataDir} directly`);
  const log = createLogger({ file: path.join(paths.logsDir, 'cli.log') }).child('cli');
  const hub = await createHub({ dataDir, log, listen: false });

  return { remote: false, call: (name, input) => hub.call(name, input, { transport: 'internal' }), close: () => hub.close() };
}

/** Runs `action` with a connection and closes it afterwards, also on failure. */
export async function withHub<T>(dataDir: string, onLocal: (message: string) => void, action: (hub: HubConnection) => Promise<T>): Promise<T> {
  const hub = await connectHub(dataDir, onLocal);
  try {
    return await action(hub);
  } finally {
    await hub.close();
  }
}
