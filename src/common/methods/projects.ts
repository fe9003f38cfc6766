import { z } from 'zod';

import { defineMethod } from '../contract';

/** Project names: lowercase letters, digits and dashes, starting with a letter or digit, at most 64 characters. */
export const projectSlugPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Name of the built-in project that contains experiments created without a project tag. */
export const defaultProjectName = 'default';

export const projectSlugSchema = z
  .string()
  .regex(projectSlugPattern, 'must be a slug: lowercase letters, digits and dashes, starting with a letter or digit, at most 64 characters');

export type ProjectPriority = 'high' | 'normal' | 'low';

/**
 * A project with its tracking totals, as the project list shows it: a
 * registered folder, or a name that only experiments carry.
 */
export interface ProjectSummary {
  name: string;
  /** Absolute folder path; null for the built-in `default` project and for unregistered projects. */
  path: string | null;
  /**
   * False for a project that exists only because experiments are tagged with
   * its name, for example runs logged before its folder was registered or kept
   * after `projects remove`. Such a project has the hub-wide defaults and createdAt 0.
   */
  registered: boolean;
  description: string;
  priority: ProjectPriority;
  /** Fair-share weight, a positive number (1 when `mlops.yaml` sets none). */
  weight: number;
  runCount: number;
  experimentCount: number;
  activeRuns: number;
  /** Milliseconds since the Unix epoch of the latest run start or end; null when the project has no runs. */
  lastActivity: number | null;
  /** Milliseconds since the Unix epoch. */
  createdAt: number;
}

/** Resource caps from `mlops.yaml`; an absent field means the hub-wide default. */
export interface ProjectResources {
  memory_gb?: number;
  /** true or false, or a share of the GPU between 0 and 1. */
  gpu?: boolean | number;
  neural_engine?: boolean;
  cpu_cores?: number;
}

/** The validated content of a project's `mlops.yaml`. */
export interface ProjectConfig {
  name?: string;
  description?: string;
  priority: ProjectPriority;
  weight: number;
  resources?: ProjectResources;
  tracking?: { experiment?: string };
  /** Service definitions, validated by the services domain. */
  services?: Record<string, unknown>;
}

export interface ProjectDetail extends ProjectSummary {
  /** The `mlops.yaml` read at registration; null when the folder had none. */
  config: ProjectConfig | null;
}

/** Counts of experiments and runs that `projects:remove` deleted for good, 0 without `purge`. Deleted (restorable) ones count too. */
export interface ProjectRemoval {
  deletedRuns: number;
  deletedExperiments: number;
}

export const projectsMethods = {
  'projects:list': defineMethod<ProjectSummary[]>()(
    'List registered projects, then projects that only experiments name (`registered: false`), with run counts and last activity.',
    z.object({}).strict(),
  ),
  'projects:get': defineMethod<ProjectDetail>()('Return one project with its mlops.yaml settings.', z.object({ name: z.string().min(1) }).strict()),
  'projects:add': defineMethod<ProjectDetail>()(
    'Register a project folder; the name comes from `name`, else mlops.yaml, else the folder name.',
    z.object({ path: z.string().min(1), name: projectSlugSchema.optional() }).strict(),
  ),
  'projects:rename': defineMethod<ProjectSummary>()(
    'Rename a project and move its experiments to the new name.',
    z.object({ name: z.string().min(1), newName: projectSlugSchema }).strict(),
  ),
  'projects:remove': defineMethod<ProjectRemoval>()(
    'Unregister a project; its experiments and runs are kept unless `purge` is true. `purge` also deletes the runs of a project that is not registered.',
    z.object({ name: z.string().min(1), purge: z.boolean().default(false) }).strict(),
  ),
} as const;
