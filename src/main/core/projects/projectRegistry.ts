import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { HubError } from '../../../common/errors';
import { defaultProjectName, projectSlugPattern, type ProjectConfig, type ProjectDetail, type ProjectRemoval, type ProjectSummary } from '../../../common/methods/projects';
import { type EventBus } from '../eventBus';
import { type Logger } from '../logger';
import { type Db } from '../storage/database';
import { listProjectRuns } from '../tracking/projectQueries';
import { ConfigRefresher, type ProjectRow, readConfigMtime } from './configRefresh';
import { loadProjectConfig, type ServicesValidator, writeProjectName } from './mlopsYaml';

/** Tracking totals of one project. */
export interface ProjectActivity {
  runCount: number;
  experimentCount: number;
  activeRuns: number;
  /** Milliseconds since the Unix epoch; null without runs. */
  lastActivity: number | null;
}

/** Tracking operations that the registry uses; the hub passes the tracking store. */
export interface ProjectTracking {
  /** Totals per project name; projects missing from the map have no experiments. */
  summarizeProjects(): Map<string, ProjectActivity>;
  /** Moves every experiment of `oldName` to `newName`; runs inside the caller's transaction. */
  renameProject(oldName: string, newName: string): void;
  /** Deletes the experiments, runs and metrics of a project; runs inside the caller's transaction. */
  purgeProject(name: string): void;
}

export interface ProjectRegistryOptions {
  db: Db;
  log: Logger;
  events: EventBus;
  now: () => number;
  tracking?: ProjectTracking;
  servicesValidators?: readonly ServicesValidator[];
}

const noActivity: ProjectActivity = { runCount: 0, experimentCount: 0, activeRuns: 0, lastActivity: null };

/** Registered project folders, stored in the `projects` table. */
export class ProjectRegistry {
  private readonly db: Db;
  private readonly log: Logger;
  private readonly refresher: ConfigRefresher;

  constructor(private readonly options: ProjectRegistryOptions) {
    this.db = options.db;
    this.log = options.log;
    this.refresher = new ConfigRefresher(options.db, options.log, options.servicesValidators ?? [], options.now);
  }

  /**
   * Lists registered projects, then the projects that exist only because
   * experiments carry their name (a script ran before its folder was
   * registered, or the folder was removed without purge).
   */
  list(): ProjectSummary[] {
    const rows = this.db.prepare('SELECT * FROM projects ORDER BY name').all() as ProjectRow[];
    const activity = this.options.tracking?.summarizeProjects() ?? new Map<string, ProjectActivity>();
    const registered = rows.map((row) => toSummary(this.refresher.refresh(row), activity.get(row.name) ?? noActivity));

    const registeredNames = new Set(rows.map((row) => row.name));
    const unregistered = [...activity]
      .filter(([name]) => !registeredNames.has(name))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, counts]) => toUnregisteredSummary(name, counts));

    return [...registered, ...unregistered];
  }

  get(name: string): ProjectDetail {
    const row = this.findRow(name);
    const activity = this.options.tracking?.summarizeProjects().get(name);
    if (!row && activity) return { ...toUnregisteredSummary(name, activity), config: null };

    const fresh = this.refresher.refresh(row ?? this.requireRow(name));
    return { ...toSummary(fresh, activity ?? noActivity), config: fresh.config_json === null ? null : (JSON.parse(fresh.config_json) as ProjectConfig) };
  }

  /**
   * Registers a folder; the name is `name`, else mlops.yaml's `name`, else
   * derived from the folder name. An mlops.yaml without `name` gets the name
   * written into it, because scripts find their project through that key.
   */
  add(input: { path: string; name?: string }): ProjectDetail {
    const folder = resolveProjectFolder(input.path);
    let config = loadProjectConfig(folder, this.options.servicesValidators);
    const name = input.name ?? config?.name ?? deriveProjectName(folder);
    if (config?.name !== undefined && config.name !== name) {
      // Scripts tag their runs with the name in mlops.yaml, so a different registered name would lose them.
      throw new HubError('INVALID_PARAMETER_VALUE', `${folder}/mlops.yaml names the project \`${config.name}\`, not \`${name}\`; change \`name\` in mlops.yaml, or leave out the name`);
    }

    this.rejectDuplicate(name, folder);
    if (config && config.name === undefined) {
      writeProjectName(folder, name);
      config = { ...config, name };
      this.log.info(`add(): wrote name=${name} into ${folder}/mlops.yaml`);
    }

    const now = this.options.now();
    this.db
      .prepare(
        'INSERT INTO projects (name, path, description, priority, weight, config_json, config_mtime_ms, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(name, folder, config?.description ?? '', config?.priority ?? 'normal', config?.weight ?? 1, config ? JSON.stringify(config) : null, readConfigMtime(folder), now, now);

    this.log.info(`add(): registered project name=${name} path=${folder}`);
    this.options.events.emit({ type: 'projects:didChange' });

    return this.get(name);
  }

  /**
   * Renames a project and its experiments in one transaction, and sets the new
   * name in the folder's mlops.yaml. A failed file write rolls the rename back.
   */
  rename(name: string, newName: string): ProjectSummary {
    this.requireRegistered(name, 'rename');
    if (name === newName) return this.get(name);
    if (this.findRow(newName)) throw new HubError('RESOURCE_ALREADY_EXISTS', `project \`${newName}\` already exists; choose another name`);

    const row = this.requireRow(name);
    const config = row.config_json === null ? null : (JSON.parse(row.config_json) as ProjectConfig);
    const newConfigJson = config ? JSON.stringify({ ...config, name: newName }) : null;
    this.db.transaction(() => {
      this.db.prepare('UPDATE projects SET name = ?, config_json = ?, updated_at = ? WHERE name = ?').run(newName, newConfigJson, this.options.now(), name);
      this.options.tracking?.renameProject(name, newName);
      if (row.path !== null) writeProjectName(row.path, newName);
    })();

    this.log.info(`rename(): renamed project name=${name} newName=${newName}`);
    this.options.events.emit({ type: 'projects:didChange' });

    return this.get(newName);
  }

  /**
   * Unregisters a project; its experiments and runs stay unless `purge` is
   * true. A project that exists only through its experiments can be purged
   * too. Returns the counts deleted, deleted experiments and runs included.
   */
  remove(name: string, purge: boolean): ProjectRemoval {
    if (name === defaultProjectName) throw new HubError('INVALID_PARAMETER_VALUE', `cannot remove the built-in project \`${defaultProjectName}\``);
    const registered = this.findRow(name) !== undefined;
    const tracked = this.options.tracking ? listProjectRuns(this.db, name) : { runs: [], experimentIds: [] };
    const counts: ProjectRemoval = purge ? { deletedRuns: tracked.runs.length, deletedExperiments: tracked.experimentIds.length } : { deletedRuns: 0, deletedExperiments: 0 };
    if (!registered) this.rejectUnregisteredRemove(name, purge, tracked.experimentIds.length);

    this.db.transaction(() => {
      this.db.prepare('DELETE FROM projects WHERE name = ?').run(name);
      if (purge) this.options.tracking?.purgeProject(name);
    })();

    this.log.info(`remove(): removed project name=${name} registered=${registered} purge=${purge} runs=${counts.deletedRuns} experiments=${counts.deletedExperiments}`);
    this.options.events.emit({ type: 'projects:didChange' });

    return counts;
  }

  private rejectUnregisteredRemove(name: string, purge: boolean, experimentCount: number): void {
    if (experimentCount === 0) this.requireRow(name);
    if (!purge) {
      throw new HubError('INVALID_PARAMETER_VALUE', `project \`${name}\` is not registered, so there is nothing to unregister; pass purge (\`--purge\`) to delete its experiments and runs`);
    }
  }

  private rejectDuplicate(name: string, folder: string): void {
    if (!projectSlugPattern.test(name)) {
      throw new HubError('INVALID_PARAMETER_VALUE', `project name \`${name}\` is not a slug; choose a name of lowercase letters, digits and dashes`);
    }
    if (this.findRow(name)) throw new HubError('RESOURCE_ALREADY_EXISTS', `project \`${name}\` already exists; choose another name`);

    const samePath = this.db.prepare('SELECT name FROM projects WHERE path = ?').pluck().get(folder) as string | undefined;
    if (samePath !== undefined) throw new HubError('RESOURCE_ALREADY_EXISTS', `path ${folder} is already registered as project \`${samePath}\``);
  }

  private requireRegistered(name: string, verb: string): void {
    if (name === defaultProjectName) throw new HubError('INVALID_PARAMETER_VALUE', `cannot ${verb} the built-in project \`${defaultProjectName}\``);
    if (!this.findRow(name) && this.options.tracking?.summarizeProjects().has(name)) {
      throw new HubError('INVALID_PARAMETER_VALUE', `project \`${name}\` is not registered; register its folder with \`mlops-hub projects add PATH --name ${name}\` first`);
    }
    this.requireRow(name);
  }

  private requireRow(name: string): ProjectRow {
    const row = this.findRow(name);
    if (!row) throw new HubError('RESOURCE_DOES_NOT_EXIST', `project \`${name}\` does not exist; list projects with \`mlops-hub projects list\``);

    return row;
  }

  private findRow(name: string): ProjectRow | undefined {
    return this.db.prepare('SELECT * FROM projects WHERE name = ?').get(name) as ProjectRow | undefined;
  }
}

/**
 * Checks that `input` is an absolute path, or one starting with `~/`, to an
 * existing folder and returns its real path.
 */
export function resolveProjectFolder(rawInput: string): string {
  const input = rawInput === '~' || rawInput.startsWith('~/') ? path.join(os.homedir(), rawInput.slice(1)) : rawInput;
  if (!path.isAbsolute(input)) throw new HubError('INVALID_PARAMETER_VALUE', `path ${input} is not absolute; pass the full path of the project folder`);

  let stat: fs.Stats;
  try {
    stat = fs.statSync(input);
  } catch {
    throw new HubError('INVALID_PARAMETER_VALUE', `path ${input} does not exist; pass an existing project folder`);
  }
  if (!stat.isDirectory()) throw new HubError('INVALID_PARAMETER_VALUE', `path ${input} is not a folder; pass the project folder, not a file in it`);

  return fs.realpathSync(input);
}

/**
 * Turns a folder name into a slug: `My Project_2` becomes `my-project-2`, and
 * `Ünïcødé Proj` becomes `unicode-proj`. NFKD splits accented letters into a
 * base letter and combining marks, which are dropped; Latin letters without a
 * decomposition, such as `ø` and `ß`, are spelled out by `latinLetters`.
 */
export function deriveProjectName(folder: string): string {
  const slug = path
    .basename(folder)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[øæœßđłþı]/g, (letter) => latinLetters[letter] ?? letter)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  if (!slug) throw new HubError('INVALID_PARAMETER_VALUE', `cannot derive a project name from folder ${folder}; pass one with \`--name NAME\` (a slug of lowercase letters, digits and dashes)`);

  return slug;
}

/** ASCII spellings of lowercase Latin letters that NFKD leaves whole. */
const latinLetters: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ł: 'l', þ: 'th', ı: 'i' };

function toSummary(row: ProjectRow, activity: ProjectActivity): ProjectSummary {
  return {
    name: row.name,
    path: row.path,
    registered: true,
    description: row.description,
    priority: row.priority,
    weight: row.weight,
    ...activity,
    createdAt: row.created_at,
  };
}

/** Builds the summary of a project that only experiments name, with hub-wide defaults, no folder and createdAt 0. */
function toUnregisteredSummary(name: string, activity: ProjectActivity): ProjectSummary {
  return { name, path: null, registered: false, description: '', priority: 'normal', weight: 1, ...activity, createdAt: 0 };
}
