import fs from 'node:fs';
import path from 'node:path';

import type { MethodHandlers } from '../../../common/contract';
import type { servicesMethods } from '../../../common/methods/services';
import type { MetricsRegistry } from '../api/metricsRegistry';
import type { EventBus } from '../eventBus';
import type { Logger } from '../logger';
import type { HubPaths } from '../paths';
import type { ProjectRegistry } from '../projects/projectRegistry';
import { builtinServiceInputs, resolveCatalog } from './catalog';
import { formatIssues, servicesSettingsSchema, type ServicesSettings } from './definition';
import { collectServiceMetrics, createServicesHandlers } from './handlers';
import { dropUnknownDependencies, readProjectServicesBlock } from './projectBlock';
import { projectServiceInputs } from './projectServices';
import { Supervisor, type HubAddress } from './supervisor';

/** File in the data folder with the services settings (`pythonEnvDir`, `overrides`, `trackingTarget`). */
export const servicesSettingsFileName = 'services.json';

export interface ServicesDomainOptions {
  paths: HubPaths;
  log: Logger;
  events: EventBus;
  metrics: MetricsRegistry;
  projects: ProjectRegistry;
  hubAddress: () => HubAddress;
  now?: () => number;
}

/** The services domain as the hub wires it. */
export interface ServicesDomain {
  supervisor: Supervisor;
  handlers: MethodHandlers<typeof servicesMethods>;
  /**
   * Stops orphans of a hub that died, then begins starting the autostart
   * services and the ones that were running then; resolves before they are ready.
   */
  startUp(): Promise<void>;
  /** Stops every service and unsubscribes from hub events. */
  close(): Promise<void>;
}

/** Builds the supervisor with the built-in catalog and the services of every registered project. */
export async function createServicesDomain(options: ServicesDomainOptions): Promise<ServicesDomain> {
  const log = options.log;
  const settingsFile = path.join(options.paths.dataDir, servicesSettingsFileName);
  const settings = loadServicesSettings(settingsFile, log);
  const supervisor = new Supervisor({
    dataDir: options.paths.dataDir,
    logsDir: options.paths.logsDir,
    childrenFile: options.paths.childrenFile,
    log,
    events: options.events,
    settings,
    hubAddress: options.hubAddress,
    ...(options.now ? { now: options.now } : {}),
  });

  const builtin = resolveCatalog(builtinServiceInputs({ platform: process.platform }), settings.overrides);
  for (const message of builtin.errors) log.warn(`createServicesDomain(): ${message}`);
  await supervisor.setDefinitions('builtin', builtin.definitions);
  const syncProjects = createProjectSync(supervisor, options.projects, settings, log);
  await syncProjects();

  const unsubscribe = options.events.onDidEmit((event) => {
    if (event.type === 'projects:didChange') void syncProjects();
  });
  const unregister = options.metrics.registerCollector(() => collectServiceMetrics(supervisor));

  return {
    supervisor,
    handlers: createServicesHandlers(supervisor, {
      syncProjects,
      onDidChangeTrackingPreference: (preference) => saveTrackingPreference(settingsFile, preference, log),
    }),
    startUp: async () => {
      const recovered = await supervisor.recoverOrphans();
      if (recovered.length > 0) log.info(`startUp(): restarting services left running by the previous hub: ${recovered.join(', ')}`);
      // Starting runs in the background: a dependency's readiness can take minutes, and the hub must serve meanwhile.
      void supervisor.startAll(recovered);
    },
    close: async () => {
      unsubscribe();
      unregister();
      await supervisor.close();
    },
  };
}

/** Reads `services.json`; a missing file means defaults, an invalid one is logged and replaced by defaults. */
export function loadServicesSettings(file: string, log: Logger): ServicesSettings {
  let raw: unknown = {};
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.error(`loadServicesSettings(): cannot read ${file}; using defaults`, error);
  }

  const parsed = servicesSettingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;

  log.warn(`loadServicesSettings(): invalid ${file}: ${formatIssues(parsed.error)}; using defaults`);

  return servicesSettingsSchema.parse({});
}

/**
 * Returns a function that loads the services of every registered project. Calls
 * run one after another, and a project with a bad block is skipped and logged
 * once per distinct message, because the GUI lists services every few seconds.
 */
function createProjectSync(supervisor: Supervisor, projects: ProjectRegistry, settings: ServicesSettings, log: Logger): () => Promise<void> {
  const reported = new Map<string, string>();
  const report = (project: string, message: string): void => {
    if (reported.get(project) === message) return;

    reported.set(project, message);
    log.warn(`syncProjectServices(): project=${project} ${message}`);
  };
  let running: Promise<void> = Promise.resolve();

  return () => {
    running = running.then(() => syncProjectServices(supervisor, projects, settings, report));

    return running;
  };
}

async function syncProjectServices(supervisor: Supervisor, projects: ProjectRegistry, settings: ServicesSettings, report: (project: string, message: string) => void): Promise<void> {
  const seen = new Set<string>();
  for (const summary of projects.list()) {
    const detail = projects.get(summary.name);
    if (!detail.path) continue;

    seen.add(summary.name);
    const block = readProjectServicesBlock(detail.path);
    const resolved = resolveCatalog(projectServiceInputs(summary.name, detail.path, block.services), settings.overrides, summary.name);
    const otherNames = supervisor.names().filter((name) => supervisor.sourceOf(name) !== summary.name);
    const loadable = dropUnknownDependencies(resolved.definitions, otherNames);
    const errors = [...block.errors, ...resolved.errors, ...loadable.errors];
    for (const message of errors) report(summary.name, message);
    try {
      await supervisor.setDefinitions(summary.name, loadable.definitions);
    } catch (error) {
      const message = `services not loaded: ${error instanceof Error ? error.message : String(error)}`;
      report(summary.name, message);
      errors.push(message);
    }
    supervisor.setConfigErrors(summary.name, errors);
  }

  for (const source of supervisor.sources()) {
    if (source === 'builtin' || seen.has(source)) continue;

    await supervisor.setDefinitions(source, []);
    supervisor.setConfigErrors(source, []);
  }
}

function saveTrackingPreference(file: string, preference: 'embedded' | 'managed', log: Logger): void {
  try {
    let current: Record<string, unknown> = {};
    if (fs.existsSync(file)) current = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(file, `${JSON.stringify({ ...current, trackingTarget: preference }, null, 2)}\n`, { mode: 0o600 });
  } catch (error) {
    log.error(`saveTrackingPreference(): cannot write ${file}`, error);
  }
}
