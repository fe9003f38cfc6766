import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { type Readable } from 'node:stream';

import { type CallContext } from '../../../common/contract';
import { HubError } from '../../../common/errors';
import { type Logger } from '../logger';
import { isAllowedHost, isAllowedOrigin, isValidToken, readBearer } from './auth';
import { LogLimiter } from './logLimiter';
import type { PeerProcessLookup } from './peerProcess';
import { type MetricFamily, type MetricsRegistry, renderExposition } from './metricsRegistry';
import { BodyTooLargeError, parseJsonBody, readBody, sendError, sendFile, sendJson } from './respond';
import { type SseStreams } from './sse';
import { serveStatic } from './static';

/** Request passed to the MLflow router, which parses `bodyText` itself. */
export interface MlflowRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  bodyText: string;
  /** The Content-Type header, null when the request has none; left out by callers that are not HTTP. */
  contentType?: string | null;
}

export interface MlflowResponse {
  status: number;
  body: unknown;
}

/** Serves the MLflow REST API; returns null for paths that are not MLflow's. */
export type MlflowRouter = (request: MlflowRequest) => MlflowResponse | null | Promise<MlflowResponse | null>;

/** Request passed to the artifacts router with its body unread, so an upload streams to disk. */
export interface RawBodyRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  /** The `Content-Length` header in bytes, or null when absent (a chunked body). */
  contentLength: number | null;
  body: Readable;
}

/** A JSON reply, or a file streamed as `application/octet-stream` attachment. */
export type ArtifactsResponse = MlflowResponse | { status: number; file: { stream: Readable; sizeBytes: number; name: string } };

/** Serves MLflow's artifact routes; returns null for paths that are not artifact paths. */
export type ArtifactsRouter = (request: RawBodyRequest) => Promise<ArtifactsResponse | null>;

export interface RouterDeps {
  call(name: string, rawInput: unknown, context: CallContext): Promise<unknown>;
  /** Read on each request, so the tracking domain can be wired after the server starts. */
  getMlflowRouter(): MlflowRouter | null;
  /** Artifact proxy and `/get-artifact`; absent in hubs without artifact storage. */
  getArtifactsRouter?(): ArtifactsRouter | null;
  metrics: MetricsRegistry;
  sse: SseStreams;
  token: string;
  staticDir: string;
  /** Hub version, the body of `GET /version` as MLflow's server returns its own. */
  version: string;
  maxBodyBytes: number;
  log: Logger;
  /** Finds the process at the other end of a connection, for `CallContext.resolvePeerPid`; absent, callers stay unknown. */
  peerProcess?: PeerProcessLookup;
}

export type Transport = 'unix' | 'tcp';

/** Route classes, the `route` label of `hub_http_requests_total`. */
type RouteClass = 'mlflow' | 'artifacts' | 'hub_api' | 'events' | 'metrics' | 'health' | 'version' | 'static' | 'rejected';

/** Handles requests of both listeners; TCP requests also pass the Host, Origin and token checks. */
export class ApiRouter {
  private nextRequestId = 1;
  private readonly requestCounts = new Map<string, number>();
  private readonly rejections: LogLimiter;

  constructor(private readonly deps: RouterDeps) {
    this.rejections = new LogLimiter(deps.log, 20, 60_000);
  }

  /** Handles one request of either listener. Every failure becomes an error response. */
  handle(request: http.IncomingMessage, response: http.ServerResponse, transport: Transport, tcpPort: number | null): void {
    const requestId = `r${this.nextRequestId++}`;
    response.setHeader('X-Request-Id', requestId);

    let route: RouteClass = 'rejected';
    response.once('close', () => this.countRequest(route, response.statusCode));

    const pathname = readPathname(request.url);
    let rejection: Rejection | null = null;
    if (pathname === null) rejection = 'malformed';
    else if (transport === 'tcp') rejection = this.checkTcpAccess(request, pathname, tcpPort ?? 0);
    if (rejection !== null || pathname === null) {
      this.rejections.warn(`handle(): rejected ${request.method ?? '?'} ${pathname ?? '(invalid path)'} reason=${rejection ?? 'malformed'} requestId=${requestId}`);
      this.sendRejection(response, rejection ?? 'malformed', tcpPort ?? 0);
      return;
    }

    route = classifyRoute(pathname);
    this.dispatch(request, response, { pathname, route, transport, requestId }).catch((error: unknown) => this.sendFailure(response, error, requestId));
  }

  /** `hub_http_requests_total` and `hub_sse_clients` for `/metrics`. */
  collectOwnMetrics(): MetricFamily[] {
    const samples = [...this.requestCounts].map(([key, value]) => {
      const [route = '', status = ''] = key.split('|');

      return { labels: { route, status }, value };
    });

    return [
      { name: 'hub_http_requests_total', help: 'HTTP requests served, by route class and status.', type: 'counter', samples },
      { name: 'hub_sse_clients', help: 'Open /events streams.', type: 'gauge', samples: [{ value: this.deps.sse.size }] },
    ];
  }

  private checkTcpAccess(request: http.IncomingMessage, pathname: string, port: number): Rejection | null {
    if (!isAllowedHost(request.headers.host, port)) return 'host';
    if (!isAllowedOrigin(request.headers.origin, header(request, 'sec-fetch-site'), port)) return 'origin';
    // Liveness probes, like those sent to MLflow's server, carry no token, and `/health` returns only "OK".
    const route = classifyRoute(pathname);
    if (route === 'static' || route === 'health') return null;

    // EventSource cannot set headers, so `/events` also takes the token as a query parameter.
    const queryToken = pathname === '/events' ? new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('token') ?? undefined : undefined;
    const presented = readBearer(request.headers.authorization) ?? queryToken;

    return isValidToken(presented, this.deps.token) ? null : 'token';
  }

  private async dispatch(request: http.IncomingMessage, response: http.ServerResponse, target: RequestTarget): Promise<void> {
    const method = request.method ?? 'GET';

    switch (target.route) {
      case 'mlflow':
        return this.serveMlflow(request, response, target);
      case 'artifacts':
        return this.serveArtifacts(request, response, target);
      case 'hub_api':
        return this.serveHubMethod(request, response, target);
      case 'events':
        if (method !== 'GET') return sendError(response, 'ENDPOINT_NOT_FOUND', `${method} ${target.pathname} is not served; use GET`, 405);
        return this.deps.sse.open(request, response, target.requestId);
      case 'metrics':
        if (method !== 'GET') return sendError(response, 'ENDPOINT_NOT_FOUND', `${method} ${target.pathname} is not served; use GET`, 405);
        return this.serveMetrics(response);
      case 'health':
      case 'version':
        if (method !== 'GET' && method !== 'HEAD') return sendError(response, 'ENDPOINT_NOT_FOUND', `${method} ${target.pathname} is not served; use GET`, 405);
        return sendText(response, target.route === 'health' ? 'OK' : this.deps.version, method);
      default:
        if (method !== 'GET' && method !== 'HEAD') return sendError(response, 'ENDPOINT_NOT_FOUND', `no endpoint for ${method} ${target.pathname}`);
        return this.serveStaticFile(response, target.pathname, method);
    }
  }

  /** Serves the renderer build; a build without a favicon returns 204 for `/favicon.ico`, so browsers stop requesting it. */
  private serveStaticFile(response: http.ServerResponse, pathname: string, method: string): void | Promise<void> {
    if (pathname === '/favicon.ico' && !fs.existsSync(path.join(this.deps.staticDir, 'favicon.ico'))) {
      response.writeHead(204, { 'Cache-Control': 'max-age=86400' });
      response.end();
      return;
    }

    return serveStatic(response, pathname, this.deps.staticDir, method);
  }

  private async serveMlflow(request: http.IncomingMessage, response: http.ServerResponse, target: RequestTarget): Promise<void> {
    const router = this.deps.getMlflowRouter();
    if (!router) return sendError(response, 'TEMPORARILY_UNAVAILABLE', 'the MLflow tracking API is not available in this hub build');

    const bodyText = await readBody(request, this.deps.maxBodyBytes);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const pathname = target.pathname.replace(/^\/ajax-api\//, '/api/');
    const contentType = request.headers['content-type'] ?? null;
    const result = await router({ method: request.method ?? 'GET', pathname, query: url.searchParams, bodyText, contentType });
    if (!result) return sendError(response, 'ENDPOINT_NOT_FOUND', `no MLflow endpoint for ${request.method ?? 'GET'} ${target.pathname}`);

    sendJson(response, result.status, result.body);
  }

  private async serveArtifacts(request: http.IncomingMessage, response: http.ServerResponse, target: RequestTarget): Promise<void> {
    const router = this.deps.getArtifactsRouter?.() ?? null;
    if (!router) return sendError(response, 'TEMPORARILY_UNAVAILABLE', 'MLflow artifact storage is not available in this hub build');

    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const declared = Number(request.headers['content-length']);
    const pathname = target.pathname.replace(/^\/ajax-api\//, '/api/');
    const result = await router({ method: request.method ?? 'GET', pathname, query: url.searchParams, contentLength: Number.isFinite(declared) ? declared : null, body: request });

    // An upload stopped midway (over the size limit) closes the connection instead of reading the rest; unread bodies are drained by Node.
    if (request.readableEnded === false && request.readableFlowing === false) response.setHeader('Connection', 'close');
    if (!result) return sendError(response, 'ENDPOINT_NOT_FOUND', `no MLflow artifact endpoint for ${request.method ?? 'GET'} ${target.pathname}`);
    if ('body' in result) return sendJson(response, result.status, result.body);

    sendFile(response, result.status, result.file);
  }

  private async serveHubMethod(request: http.IncomingMessage, response: http.ServerResponse, target: RequestTarget): Promise<void> {
    const match = /^\/api\/hub\/([a-z][a-zA-Z]*)\/([a-z][a-zA-Z]*)$/.exec(target.pathname);
    if (!match) return sendError(response, 'ENDPOINT_NOT_FOUND', `no hub method at ${target.pathname}; paths look like /api/hub/projects/list`);
    if (request.method !== 'POST') return sendError(response, 'ENDPOINT_NOT_FOUND', `${request.method ?? 'GET'} ${target.pathname} is not served; use POST with a JSON body`, 405);

    const input = parseJsonBody(await readBody(request, this.deps.maxBodyBytes));
    const output = await this.deps.call(`${match[1]}:${match[2]}`, input, this.callContext(request, target.transport));

    sendJson(response, 200, output ?? {});
  }

  /** The caller's context; the peer pid lookup runs only when a handler requests it. */
  private callContext(request: http.IncomingMessage, transport: Transport): CallContext {
    const peerProcess = this.deps.peerProcess;
    if (!peerProcess) return { transport };

    return { transport, resolvePeerPid: () => peerProcess.resolve(request.socket, transport) };
  }

  private serveMetrics(response: http.ServerResponse): void {
    const families = [...this.collectOwnMetrics(), ...this.deps.metrics.collect((error) => this.deps.log.error('serveMetrics(): collector failed', error))];
    const text = renderExposition(families);

    response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
    response.end(text);
  }

  private sendRejection(response: http.ServerResponse, rejection: Rejection, port: number): void {
    const messages: Record<Rejection, [Parameters<typeof sendError>[1], string]> = {
      malformed: ['MALFORMED_REQUEST', 'request target is not a valid path'],
      host: ['PERMISSION_DENIED', `Host header not allowed; connect to http://127.0.0.1:${port}/ or http://localhost:${port}/`],
      origin: ['PERMISSION_DENIED', 'cross-origin requests are not allowed; open the dashboard from this hub'],
      token: ['UNAUTHENTICATED', 'missing or invalid token; send `Authorization: Bearer <token>` with the token from the hub data folder'],
    };
    const [code, message] = messages[rejection];

    sendError(response, code, message);
  }

  private sendFailure(response: http.ServerResponse, error: unknown, requestId: string): void {
    if (error instanceof HubError) {
      this.rejections.warn(`handle(): ${error.code} requestId=${requestId}: ${error.message}`);
      return sendError(response, error.code, error.message, error instanceof BodyTooLargeError ? 413 : undefined);
    }

    this.deps.log.error(`handle(): request failed requestId=${requestId}`, error);
    sendError(response, 'INTERNAL_ERROR', `internal error; see the hub log for request ${requestId}`);
  }

  private countRequest(route: RouteClass, status: number): void {
    const key = `${route}|${status}`;
    this.requestCounts.set(key, (this.requestCounts.get(key) ?? 0) + 1);
  }
}

type Rejection = 'malformed' | 'host' | 'origin' | 'token';

interface RequestTarget {
  pathname: string;
  route: RouteClass;
  transport: Transport;
  requestId: string;
}

function classifyRoute(pathname: string): RouteClass {
  if (/^\/(?:api|ajax-api)\/2\.0\/mlflow-artifacts\//.test(pathname) || pathname === '/get-artifact') return 'artifacts';
  if (pathname.startsWith('/api/2.0/mlflow/') || pathname.startsWith('/ajax-api/2.0/mlflow/')) return 'mlflow';
  if (pathname.startsWith('/api/')) return 'hub_api';
  if (pathname === '/events') return 'events';
  if (pathname === '/metrics') return 'metrics';
  if (pathname === '/health') return 'health';
  if (pathname === '/version') return 'version';

  return 'static';
}

/** Sends a short text/plain body, as MLflow's server returns for `/health` and `/version`. */
function sendText(response: http.ServerResponse, text: string, method: string): void {
  response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  response.end(method === 'HEAD' ? undefined : text);
}

/** Decoded path of a request target, or null when it is not a valid origin-form path. */
function readPathname(url: string | undefined): string | null {
  if (!url?.startsWith('/')) return null;

  try {
    return decodeURIComponent(new URL(url, 'http://127.0.0.1').pathname);
  } catch {
    return null;
  }
}

function header(request: http.IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];

  return Array.isArray(value) ? value[0] : value;
}
