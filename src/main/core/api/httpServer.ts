import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

import { type Logger } from '../logger';
import { loopbackHost } from '../settings';
import { PeerProcessLookup } from './peerProcess';
import { ApiRouter, type RouterDeps } from './router';

export interface HttpServerOptions extends RouterDeps {
  socketDir: string;
  socketPath: string;
  /** TCP port on 127.0.0.1; 0 picks a free port, null serves the Unix socket only. */
  tcpPort: number | null;
}

/** The hub's two listeners; `close()` ends open streams and removes the socket file. */
export interface HttpServer {
  readonly socketPath: string;
  /** Bound TCP port, or null when TCP is off. */
  readonly tcpPort: number | null;
  readonly router: ApiRouter;
  close(): Promise<void>;
}

/** A listener could not start. The message states the cause and the fix. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

/**
 * Starts the local API on the Unix socket (mode 0600, in a 0700 folder) and,
 * unless `tcpPort` is null, on 127.0.0.1. Rejects with ListenError when another
 * hub accepts connections on the socket or the TCP port is taken.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const log = options.log;
  const router = new ApiRouter({ ...options, peerProcess: options.peerProcess ?? new PeerProcessLookup({ socketPath: options.socketPath, log }) });
  let boundPort: number | null = null;

  const unixServer = http.createServer((request, response) => router.handle(request, response, 'unix', boundPort));
  const tcpServer = http.createServer((request, response) => router.handle(request, response, 'tcp', boundPort));
  for (const server of [unixServer, tcpServer]) server.on('clientError', (error, socket) => rejectClient(error, socket, log));

  await prepareSocketFolder(options.socketDir, options.socketPath, log);
  await listen(unixServer, { path: options.socketPath }, `socket ${options.socketPath}`);
  fs.chmodSync(options.socketPath, 0o600);

  if (options.tcpPort !== null) {
    try {
      await listen(tcpServer, { host: loopbackHost, port: options.tcpPort }, `port ${options.tcpPort} on ${loopbackHost}`);
    } catch (error) {
      await closeServer(unixServer);
      removeSocket(options.socketPath);
      throw error;
    }
    boundPort = (tcpServer.address() as AddressInfo).port;
  }
  log.info(`startHttpServer(): listening socket=${options.socketPath} port=${boundPort ?? 'off'}`);

  return {
    socketPath: options.socketPath,
    tcpPort: boundPort,
    router,
    close: async () => {
      options.sse.close();
      await Promise.all([closeServer(unixServer), boundPort === null ? Promise.resolve() : closeServer(tcpServer)]);
      removeSocket(options.socketPath);
      log.info(`close(): stopped listening socket=${options.socketPath} port=${boundPort ?? 'off'}`);
    },
  };
}

/**
 * Creates the socket folder with mode 0700 and clears a stale socket file. A
 * socket that still accepts connections belongs to a running hub, so it is left alone.
 */
async function prepareSocketFolder(socketDir: string, socketPath: string, log: Logger): Promise<void> {
  fs.mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(socketDir);
  const uid = typeof process.getuid === 'function' ? process.getuid() : stat.uid;
  if (!stat.isDirectory() || stat.uid !== uid) {
    throw new ListenError(`socket folder ${socketDir} is not a folder owned by this user; remove it and start the hub again`);
  }
  fs.chmodSync(socketDir, 0o700);

  if (!fs.existsSync(socketPath)) return;
  if (await isSocketAccepting(socketPath)) {
    throw new ListenError(`another MLOps Hub is already running on ${socketPath}; stop it first, or set MLOPS_HUB_HOME to another data folder`);
  }
  log.warn(`prepareSocketFolder(): removing stale socket ${socketPath}`);
  fs.unlinkSync(socketPath);
}

/** Resolves true when a process accepts a connection on the Unix socket within one second. */
export function isSocketAccepting(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ path: socketPath });
    const finish = (answering: boolean): void => {
      socket.destroy();
      resolve(answering);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

function listen(server: http.Server, address: net.ListenOptions, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EADDRINUSE') {
        reject(new ListenError(`${label} is already in use; stop the program using it, or pass --port 0 to pick a free port`, { cause: error }));
        return;
      }
      reject(new ListenError(`cannot listen on ${label}: ${error.message}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen(address, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function removeSocket(socketPath: string): void {
  fs.rmSync(socketPath, { force: true });
}

/** Sends 400 for unparsable HTTP instead of dropping the connection silently. */
function rejectClient(error: Error, socket: Duplex, log: Logger): void {
  log.warn(`rejectClient(): malformed HTTP request: ${error.message}`);
  if (!socket.writable) return;

  const body = JSON.stringify({ error_code: 'MALFORMED_REQUEST', message: 'malformed HTTP request' });
  socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
