import fs from 'node:fs';
import path from 'node:path';

import { HubError } from '../../../common/errors';
import { type ProjectPriority } from '../../../common/methods/projects';
import { type Logger } from '../logger';
import { type Db } from '../storage/database';
import { configFileName, loadProjectConfig, type ServicesValidator } from './mlopsYaml';

/** One row of the `projects` table. */
export interface ProjectRow {
  name: string;
  path: string | null;
  description: string;
  priority: ProjectPriority;
  weight: number;
  config_json: string | null;
  /** Modification time of the mlops.yaml behind `config_json`; null when the folder had none. */
  config_mtime_ms: number | null;
  created_at: number;
}

/** Modification time of a folder's mlops.yaml in milliseconds, or null when the file is missing. */
export function readConfigMtime(folder: string): number | null {
  try {
    return fs.statSync(path.join(folder, configFileName)).mtimeMs;
  } catch {
    return null;
  }
}

/**
 * Re-reads a project's mlops.yaml when its modification time changed, and
 * stores the new settings. An invalid file keeps the last valid settings and
 * is logged once per modification time, so users see edits without re-registering.
 */
export class ConfigRefresher {
  /** Modification times already reported as invalid, per project. */
  private readonly reportedInvalid = new Map<string, number | null>();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly validators: readonly ServicesValidator[],
    private readonly now: () => number,
  ) {}

  refresh(row: ProjectRow): ProjectRow {
    if (row.path === null) return row;

    const mtime = readConfigMtime(row.path);
    if (mtime === row.config_mtime_ms || this.reportedInvalid.get(row.name) === mtime) return row;

    try {
      const config = loadProjectConfig(row.path, this.validators);
      if (config?.name !== undefined && config.name !== row.name) {
        throw new HubError('INVALID_PARAMETER_VALUE', `mlops.yaml names the project \`${config.name}\`; rename it with \`mlops-hub projects rename ${row.name} ${config.name}\``);
      }

      const updated: ProjectRow = {
        ...row,
        description: config?.description ?? '',
        priority: config?.priority ?? 'normal',
        weight: config?.weight ?? 1,
        config_json: config ? JSON.stringify(config) : null,
        config_mtime_ms: mtime,
      };
      this.db
        .prepare('UPDATE projects SET description = ?, priority = ?, weight = ?, config_json = ?, config_mtime_ms = ?, updated_at = ? WHERE name = ?')
        .run(updated.description, updated.priority, updated.weight, updated.config_json, mtime, this.now(), row.name);
      this.reportedInvalid.delete(row.name);
      this.log.info(`refresh(): reloaded ${configFileName} of project name=${row.name} path=${row.path}`);

      return updated;
    } catch (error) {
      this.reportedInvalid.set(row.name, mtime);
      this.log.error(`refresh(): kept the last valid settings of project name=${row.name}`, error);

      return row;
    }
  }
}
