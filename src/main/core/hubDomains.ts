import path from 'node:path';

import { type hubMethods } from '../../common/methods/hub';
import { type MetricFamily, type MetricsRegistry } from './api/metricsRegistry';
import { type ArtifactsRouter, type MlflowRouter } from './api/router';
import { Arbiter } from './arbiter/arbiter';
import { collectLeaseMetrics, createLeasesHandlers, createProjectLookup } from './arbiter/handlers';
import { LeaseStore } from './arbiter/leaseStore';
import { type EventBus } from './eventBus';
import { createHardwareDomain, type HardwareDomain, type HardwareSettings } from './hardware/domain';
import { type Closers, type HandlerRegistry } from './hubRuntime';
import { type Logger } from './logger';
import { type HubPaths } from './paths';
import { createProjectsHandlers } from './projects/handlers';
import { ProjectRegistry } from './projects/projectRegistry';
import { validateServicesBlock } from './services/projectServices';
import { type Supervisor } from './services/supervisor';
import { hubVersion } from './settings';
import { type Db } from './storage/database';
import { createArtifactsRouter } from './tracking/artifactRoutes';
import { createArtifactHandlers, createTrackingHandlers } from './tracking/handlers';
import { createMlflowRouter } from './tracking/mlflowRoutes';
import { Tracking } from './tracking/tracking';
import { createTargetedTrackingHandlers, publicTrackingTarget, type ActiveTrackingTarget } from './tracking/trackingTarget';
import { collectTrackingMetrics } from './tracking/trackingMetrics';

/** Shared parts every domain is built from: the store, the event bus, the registries and the clock. */
export interface HubBase {
  log: Logger;
  now: () => number;
  paths: HubPaths;
  db: Db;
  events: EventBus;
  metrics: MetricsRegistry;
  registry: HandlerRegistry;
  closers: Closers;
}

export interface DomainOptions {
  /** False for an in-process hub of the CLI, which must not re-adopt saved leases. */
  serving: boolean;
  hardware?: HardwareSettings;
  maxArtifactBytes?: number;
  /** Bound TCP port of the local API, for `hub:status`; null before listening or without TCP. */
  tcpPort: () => number | null;
}

/** The domains that need no child processes; services join later through `attachSupervisor`. */
export interface HubDomains {
  tracking: Tracking;
  projects: ProjectRegistry;
  hardware: HardwareDomain;
  mlflowRouter: MlflowRouter;
  artifactsRouter: ArtifactsRouter;
  attachSupervisor(supervisor: Supervisor): void;
}

/** Builds tracking, projects, hardware and the arbiter, and registers their handlers, gauges and closers. */
export function createDomains(base: HubBase, options: DomainOptions): HubDomains {
  const { db, log, events, metrics, registry, closers, now, paths } = base;
  let supervisor: Supervisor | null = null;
  const trackingTarget = (): ActiveTrackingTarget => activeTrackingTarget(supervisor);

  // Tracking and its MLflow-compatible routes.
  const tracking = new Tracking({ db, log, events, now, artifactsDir: path.join(paths.dataDir, 'artifacts'), maxArtifactBytes: options.maxArtifactBytes });
  registry.add(createArtifactHandlers(tracking));
  registry.add(createTargetedTrackingHandlers(createTrackingHandlers(tracking), trackingTarget, log.child('tracking')));
  metrics.registerCollector(() => collectTrackingMetrics(tracking));

  // Projects, hardware and the arbiter, which reads both.
  const projects = new ProjectRegistry({ db, log: log.child('projects'), events, now, tracking, servicesValidators: [validateServicesBlock] });
  registry.add(createProjectsHandlers(projects));
  const hardware = createHardwareDomain({ db, log, events, metrics, tracking, now, settings: options.hardware });
  registry.add(hardware.handlers);
  closers.push(() => hardware.close());
  createArbiterDomain(base, projects, hardware, options.serving);

  // The hub's own status and gauges.
  const startedAt = now();
  const dashboardUrl = (): string | null => (options.tcpPort() ? `http://127.0.0.1:${options.tcpPort()}/` : null);
  registry.add<typeof hubMethods>({
    'hub:status': () => ({
      version: hubVersion,
      startedAt,
      dataDir: paths.dataDir,
      dashboardUrl: dashboardUrl(),
      socketPath: paths.socketPath,
      activeRuns: tracking.countActiveRuns(),
      trackingTarget: publicTrackingTarget(trackingTarget()),
    }),
  });
  metrics.registerCollector(() => collectHubMetrics(tracking.countActiveRuns()));

  return {
    tracking,
    projects,
    hardware,
    mlflowRouter: createMlflowRouter(tracking, log),
    artifactsRouter: createArtifactsRouter(tracking, log),
    attachSupervisor: (value) => {
      supervisor = value;
    },
  };
}

function createArbiterDomain(base: HubBase, projects: ProjectRegistry, hardware: HardwareDomain, serving: boolean): void {
  const { db, log, events, now, metrics, registry, closers } = base;
  const arbiter = new Arbiter({
    log: log.child('arbiter'),
    events,
    now,
    lookupProject: createProjectLookup(projects),
    thermalSource: hardware.monitor.thermalSource(),
    // Only a serving hub re-adopts saved leases; an in-process hub of the CLI must not grant or expire them.
    store: serving ? new LeaseStore(db, log.child('arbiter')) : undefined,
  });

  registry.add(createLeasesHandlers(arbiter));
  metrics.registerCollector(() => collectLeaseMetrics(arbiter));
  closers.push(() => arbiter.close());
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
