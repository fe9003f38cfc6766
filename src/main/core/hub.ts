import fs from 'node:fs';
import path from 'node:path';

import { type CallContext, type MethodHandlers, type MethodTable } from '../../common/contract';
import { HubError } from '../../common/errors';
import { methods } from '../../common/methods';
import { type hubMethods } from '../../common/methods/hub';
import { startHttpServer, type HttpServer } from './api/httpServer';
import { type MetricFamily, MetricsRegistry } from './api/metricsRegistry';
import { type MlflowRouter } from './api/router';
import { SseStreams } from './api/sse';
import { defaultStaticDir } from './api/static';
import { ensureToken } from './api/token';
import { validateInput } from './api/validateInput';
import { Arbiter } from './arbiter/arbiter';
import { collectLeaseMetrics, createLeasesHandlers, createProjectLookup } from './arbiter/handlers';
import { LeaseStore } from './arbiter/leaseStore';
import { EventBus } from './eventBus';
import { createHardwareDomain, type HardwareSettings } from './hardware/domain';
import { type Logger } from './logger';
import { resolveHubPaths, type HubPaths } from './paths';
import { createProjectsHandlers } from './projects/handlers';
import { ProjectRegistry } from './projects/projectRegistry';
import { validateServicesBlock } from './services/projectServices';
import { createServicesDomain } from './services/servicesDomain';
import { type Supervisor } from './services/supervisor';
import { defaultPort, hubVersion, maxRequestBodyBytes, sseHeartbeatIntervalMs } from './settings';
import { openDatabase, type Db } from './storage/database';
import { allMigrations } from './storage/migrations';
import { createArtifactsRouter } from './tracking/artifactRoutes';
import { createArtifactHandlers, createTrackingHandlers } from './tracking/handlers';
import { createMlflowRouter } from './tracking/mlflowRoutes';
import { Tracking } from './tracking/tracking';
import { createTargetedTrackingHandlers, publicTrackingTarget, type ActiveTrackingTarget } from './tracking/trackingTarget';
import { collectTrackingMetrics } from './tracking/trackingMetrics';

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

type AnyHandler = (input: unknown, context: CallContext) => unknown;

/** Builds the hub: database with every migration, token file, domains, handlers and listeners. */
export async function createHub(options: HubOptions): Promise<Hub> {
  const { log } = options;
  const now = options.now ?? Date.now;
  const startedAt = now();
  const paths = resolveHubPaths(options.dataDir);

  fs.mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  const token = ensureToken(paths.tokenFile);
  const db = openDatabase({ file: paths.databaseFile, migrations: allMigrations, log: log.child('storage'), nativeBinding: options.nativeBinding });
  const events = new EventBus(log.child('events'));
  const metrics = new MetricsRegistry();
  const handlers = new Map<string, AnyHandler>();
  const closers: (() => void | Promise<void>)[] = [
    () => {
      db.close();
    },
  ];
  const addHandlers = <T extends MethodTable>(table: MethodHandlers<T>): void => {
    for (const [name, handler] of Object.entries(table)) handlers.set(name, handler as AnyHandler);
  };

  // Domains. Each adds its store, handlers, collectors and closers here.
  const tracking = new Tracking({ db, log, events, now, artifactsDir: path.join(paths.dataDir, 'artifacts'), maxArtifactBytes: options.maxArtifactBytes });
  const mlflowRouter: MlflowRouter | null = createMlflowRouter(tracking, log);
  const artifactsRouter = createArtifactsRouter(tracking, log);
  addHandlers(createArtifactHandlers(tracking));
  const countActiveRuns = (): number => tracking.countActiveRuns();
  let supervisor: Supervisor | null = null;
  const trackingTarget = (): ActiveTrackingTarget => activeTrackingTarget(supervisor);
  addHandlers(createTargetedTrackingHandlers(createTrackingHandlers(tracking), trackingTarget, log.child('tracking')));
  metrics.registerCollector(() => collectTrackingMetrics(tracking));
  const projects = new ProjectRegistry({ db, log: log.child('projects'), events, now, tracking, servicesValidators: [validateServicesBlock] });
  addHandlers(createProjectsHandlers(projects));
  const hardware = createHardwareDomain({ db, log, events, metrics, tracking, now, settings: options.hardware });
  addHandlers(hardware.handlers);
  closers.push(() => hardware.close());
  const arbiter = new Arbiter({
    log: log.child('arbiter'),
    events,
    now,
    lookupProject: createProjectLookup(projects),
    thermalSource: hardware.monitor.thermalSource(),
    // Only a serving hub re-adopts saved leases; an in-process hub of the CLI must not grant or expire them.
    store: options.listen === false ? undefined : new LeaseStore(db, log.child('arbiter')),
  });
  addHandlers(createLeasesHandlers(arbiter));
  metrics.registerCollector(() => collectLeaseMetrics(arbiter));
  closers.push(() => arbiter.close());

  let server: HttpServer | null = null;
  const dashboardUrl = (): string | null => (server?.tcpPort ? `http://127.0.0.1:${server.tcpPort}/` : null);
  addHandlers<typeof hubMethods>({
    'hub:status': () => ({ version: hubVersion, startedAt, dataDir: paths.dataDir, dashboardUrl: dashboardUrl(), socketPath: paths.socketPath, activeRuns: countActiveRuns(), trackingTarget: publicTrackingTarget(trackingTarget()) }),
  });
  metrics.registerCollector(() => collectHubMetrics(countActiveRuns()));
  const call = createCaller(handlers, log);

  try {
    const services = await createServicesDomain({
      paths,
      log: log.child('services'),
      events,
      metrics,
      projects,
      now,
      hubAddress: () => ({ url: server?.tcpPort ? `http://127.0.0.1:${server.tcpPort}` : null, socketPath: paths.socketPath, tokenFile: paths.tokenFile }),
    });
    addHandlers(services.handlers);
    supervisor = services.supervisor;
    closers.push(() => services.close());

    if (options.listen !== false) {
      server = await startHttpServer({
        call,
        getMlflowRouter: () => mlflowRouter,
        getArtifactsRouter: () => artifactsRouter,
        metrics,
        sse: new SseStreams(events, log.child('sse'), sseHeartbeatIntervalMs),
        token,
        staticDir: options.listen?.staticDir ?? defaultStaticDir,
        version: hubVersion,
        maxBodyBytes: maxRequestBodyBytes,
        log: log.child('api'),
        socketDir: paths.socketDir,
        socketPath: paths.socketPath,
        tcpPort: options.listen?.port === undefined ? defaultPort : options.listen.port,
      });
      // Only a serving hub owns the services; an in-process hub of the CLI must not start or sweep them.
      await services.startUp();
      await hardware.start();
    }
  } catch (error) {
    log.error(`createHub(): start failed dataDir=${paths.dataDir}`, error);
    await server?.close();
    await runClosers(closers, log);
    throw error;
  }
  log.info(`createHub(): started dataDir=${paths.dataDir} port=${server?.tcpPort ?? 'off'}`);

  let closed = false;

  return {
    paths,
    events,
    metrics,
    db,
    projects,
    token,
    port: server?.tcpPort ?? null,
    dashboardUrl: dashboardUrl(),
    call,
    close: async () => {
      if (closed) return;
      closed = true;

      await server?.close();
      await runClosers(closers, log);
      log.info(`close(): stopped dataDir=${paths.dataDir}`);
    },
  };
}

/** Validates input with the method's contract schema, then runs its handler. */
function createCaller(handlers: ReadonlyMap<string, AnyHandler>, log: Logger): Hub['call'] {
  return async (name, rawInput, context) => {
    const spec = (methods as MethodTable)[name];
    if (!spec) throw new HubError('ENDPOINT_NOT_FOUND', `unknown hub method \`${name}\`; methods are named like \`projects:list\``);
    const handler = handlers.get(name);
    if (!handler) throw new HubError('NOT_IMPLEMENTED', `hub method \`${name}\` is not available in this hub build`);

    const input = validateInput(name, spec.input, rawInput);
    log.trace(`call(): ${name} transport=${context.transport}`);

    return handler(input, context);
  };
}

/** Returns the managed MLflow server while the user prefers it and it runs, else the embedded store. */
function activeTrackingTarget(supervisor: Supervisor | null): ActiveTrackingTarget {
  const target = supervisor?.trackingTarget();
  if (!supervisor || target?.active !== 'managed' || !target.managedUri) return { kind: 'embedded' };

  return { kind: 'managed', url: target.managedUri, token: supervisor.trackingServerToken() };
}

function collectHubMetrics(activeRuns: number): MetricFamily[] {
  return [
    { name: 'hub_up', help: 'Always 1 while the hub serves requests.', type: 'gauge', samples: [{ value: 1 }] },
    { name: 'hub_runs_active', help: 'Runs in the RUNNING state.', type: 'gauge', samples: [{ value: activeRuns }] },
  ];
}

/** Runs closers in reverse order of registration; one failing does not skip the rest. */
async function runClosers(closers: readonly (() => void | Promise<void>)[], log: Logger): Promise<void> {
  for (const closer of [...closers].reverse()) {
    try {
      await closer();
    } catch (error) {
      log.error('close(): a domain failed to stop', error);
    }
  }
}
