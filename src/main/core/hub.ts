import fs from 'node:fs';

import { type CallContext } from '../../common/contract';
import { startHttpServer, type HttpServer } from './api/httpServer';
import { MetricsRegistry } from './api/metricsRegistry';
import { SseStreams } from './api/sse';
import { defaultStaticDir } from './api/static';
import { ensureToken } from './api/token';
import { EventBus } from './eventBus';
import { type HardwareSettings } from './hardware/domain';
import { createDomains, type HubBase, type HubDomains } from './hubDomains';
import { Closers, HandlerRegistry } from './hubRuntime';
import { type Logger } from './logger';
import { resolveHubPaths, type HubPaths } from './paths';
import { type ProjectRegistry } from './projects/projectRegistry';
import { createServicesDomain } from './services/servicesDomain';
import { defaultPort, hubVersion, maxRequestBodyBytes, sseHeartbeatIntervalMs } from './settings';
import { openDatabase, type Db } from './storage/database';
import { allMigrations } from './storage/migrations';

export interface HubOptions {
  /** Data folder (created 0700); see `resolveDataDir`. */
  dataDir: string;
  log: Logger;
  /** Clock in milliseconds since the Unix epoch; tests pass a fake. */
  now?: () => number;
  /**
   * Local API listeners. `port` is the TCP port on 127.0.0.1: 5180 by default,
   * 0 for a free port, null for the Unix socket only. False starts no listener,
   * for in-process use by the CLI and unit tests.
   */
  listen?: { port?: number | null; staticDir?: string } | false;
  /** better-sqlite3 binary built for Electron's ABI, used by the desktop app; Node's build when absent. */
  nativeBinding?: string;
  /** Hardware helper path, sample interval and replay file; sampling runs only while the hub listens. */
  hardware?: HardwareSettings;
  /** Largest MLflow artifact upload in bytes; 2 GiB by default. */
  maxArtifactBytes?: number;
}

/** The running hub: store, domains, handlers and, unless disabled, the local API. */
export interface Hub {
  readonly paths: HubPaths;
  readonly events: EventBus;
  readonly metrics: MetricsRegistry;
  readonly db: Db;
  readonly projects: ProjectRegistry;
  /** API token (64 hex characters); never log it. */
  readonly token: string;
  /** Bound TCP port, or null without a TCP listener. */
  readonly port: number | null;
  /** `http://127.0.0.1:PORT/` without the token, or null without a TCP listener. */
  readonly dashboardUrl: string | null;
  /** Validates `rawInput` with the method's contract schema, then runs its handler. */
  call(name: string, rawInput: unknown, context: CallContext): Promise<unknown>;
  /** Stops the listeners and domains, then closes the database; safe to call twice. */
  close(): Promise<void>;
}

/** Builds the hub: database with every migration, token file, domains, handlers and listeners. */
export async function createHub(options: HubOptions): Promise<Hub> {
  const { base, token } = openHubBase(options);
  const { log, paths, closers } = base;
  let server: HttpServer | null = null;
  const tcpPort = (): number | null => server?.tcpPort ?? null;
  const domains = createDomains(base, { serving: options.listen !== false, hardware: options.hardware, maxArtifactBytes: options.maxArtifactBytes, tcpPort });

  try {
    const services = await createServicesDomain({
      paths,
      log: log.child('services'),
      events: base.events,
      metrics: base.metrics,
      projects: domains.projects,
      now: base.now,
      hubAddress: () => ({ url: tcpPort() ? `http://127.0.0.1:${tcpPort()}` : null, socketPath: paths.socketPath, tokenFile: paths.tokenFile }),
    });
    base.registry.add(services.handlers);
    domains.attachSupervisor(services.supervisor);
    closers.push(() => services.close());

    if (options.listen !== false) {
      server = await startListening(base, domains, token, options.listen ?? {});
      // Only a serving hub owns the services and samples; an in-process hub of the CLI must not start or sweep them.
      await services.startUp();
      await domains.hardware.start();
    }
  } catch (error) {
    log.error(`createHub(): start failed dataDir=${paths.dataDir}`, error);
    await server?.close();
    await closers.runAll();
    throw error;
  }
  log.info(`createHub(): started dataDir=${paths.dataDir} port=${tcpPort() ?? 'off'}`);

  return buildHub(base, domains, token, server);
}

/** Creates the data folder, token and database, and the registries every domain writes into. */
function openHubBase(options: HubOptions): { base: HubBase; token: string } {
  const { log } = options;
  const paths = resolveHubPaths(options.dataDir);

  fs.mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  const token = ensureToken(paths.tokenFile);
  const db = openDatabase({ file: paths.databaseFile, migrations: allMigrations, log: log.child('storage'), nativeBinding: options.nativeBinding });

  const closers = new Closers(log);
  closers.push(() => {
    db.close();
  });
  const base: HubBase = {
    log,
    now: options.now ?? Date.now,
    paths,
    db,
    events: new EventBus(log.child('events')),
    metrics: new MetricsRegistry(),
    registry: new HandlerRegistry(log),
    closers,
  };

  return { base, token };
}

function startListening(base: HubBase, domains: HubDomains, token: string, listen: { port?: number | null; staticDir?: string }): Promise<HttpServer> {
  const { log, paths } = base;

  return startHttpServer({
    call: base.registry.call,
    getMlflowRouter: () => domains.mlflowRouter,
    getArtifactsRouter: () => domains.artifactsRouter,
    metrics: base.metrics,
    sse: new SseStreams(base.events, log.child('sse'), sseHeartbeatIntervalMs),
    token,
    staticDir: listen.staticDir ?? defaultStaticDir,
    version: hubVersion,
    maxBodyBytes: maxRequestBodyBytes,
    log: log.child('api'),
    socketDir: paths.socketDir,
    socketPath: paths.socketPath,
    tcpPort: listen.port === undefined ? defaultPort : listen.port,
  });
}

function buildHub(base: HubBase, domains: HubDomains, token: string, server: HttpServer | null): Hub {
  const { log, paths } = base;
  const port = server?.tcpPort ?? null;
  let closed = false;

  return {
    paths,
    events: base.events,
    metrics: base.metrics,
    db: base.db,
    projects: domains.projects,
    token,
    port,
    dashboardUrl: port ? `http://127.0.0.1:${port}/` : null,
    call: base.registry.call,
    close: async () => {
      if (closed) return;
      closed = true;

      await server?.close();
      await base.closers.runAll();
      log.info(`close(): stopped dataDir=${paths.dataDir}`);
    },
  };
}
