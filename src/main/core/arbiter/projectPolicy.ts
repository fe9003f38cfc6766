import { HubError } from '../../../common/errors';
import { defaultProjectName, type ProjectResources } from '../../../common/methods/projects';
import type { EventBus } from '../eventBus';
import type { Priority } from './priorities';
import type { Resources } from './resources';

/** A project's arbiter settings as its `mlops.yaml` states them. */
export interface ProjectSettings {
  priority: Priority;
  weight: number;
  resources?: ProjectResources;
  /** False once the settings' source changed (an edited mlops.yaml), so a cache must look them up again. */
  isCurrent?: () => boolean;
}

/** Returns a registered project's settings, or null when no project has that name. */
export type ProjectLookup = (project: string) => ProjectSettings | null;

export interface ProjectPolicy {
  priority: Priority;
  /** Fair-share weight, a positive number. */
  weight: number;
  /** Most the project may hold at once; Infinity where mlops.yaml sets no cap. */
  cap: Resources;
}

/** Hub-wide defaults for projects without settings: normal priority, weight 1, no caps. */
export const defaultPolicy: ProjectPolicy = {
  priority: 'normal',
  weight: 1,
  cap: { memoryGb: Infinity, gpuShare: Infinity, neuralEngine: Infinity, cpuCores: Infinity },
};

/**
 * Resolves a project's policy. An unregistered project is rejected unless it
 * is `default` or `lenient` is set (for leases already admitted whose
 * project was removed since).
 */
export function resolvePolicy(lookup: ProjectLookup | undefined, project: string, lenient = false): ProjectPolicy {
  if (!lookup) return defaultPolicy;

  const settings = lookup(project);
  if (settings === null) {
    if (lenient || project === defaultProjectName) return defaultPolicy;
    throw new HubError(
      'RESOURCE_DOES_NOT_EXIST',
      `leases:request: project ${project} is not registered; register it with \`mlops-hub projects add PATH\` or omit \`project\` to use ${defaultProjectName}`,
    );
  }

  return { priority: settings.priority, weight: settings.weight > 0 ? settings.weight : 1, cap: toCap(settings.resources) };
}

function toCap(resources: ProjectResources | undefined): Resources {
  const cap = { ...defaultPolicy.cap };
  if (!resources) return cap;

  if (resources.memory_gb !== undefined) cap.memoryGb = resources.memory_gb;
  if (resources.gpu === false) cap.gpuShare = 0;
  if (typeof resources.gpu === 'number') cap.gpuShare = resources.gpu;
  if (resources.neural_engine === false) cap.neuralEngine = 0;
  if (resources.cpu_cores !== undefined) cap.cpuCores = resources.cpu_cores;

  return cap;
}

/**
 * Caches project settings, which the scheduler reads for every project in every round, until a project
 * changes or the settings report that their mlops.yaml changed. The event subscription's unsubscribe
 * function is appended to `unsubscribers`.
 */
export function cacheProjectLookup(lookup: ProjectLookup, events: EventBus, unsubscribers: (() => void)[]): ProjectLookup {
  const cache = new Map<string, ProjectSettings | null>();
  unsubscribers.push(
    events.onDidEmit((event) => {
      if (event.type === 'projects:didChange') cache.clear();
    }),
  );

  return (project) => {
    const cached = cache.get(project);
    if (cached !== undefined && (cached === null || cached.isCurrent?.() !== false)) return cached;

    const settings = lookup(project);
    cache.set(project, settings);

    return settings;
  };
}
