import { type Db } from '../storage/database';
import { projectTagKey } from './experimentStore';
import { type ExperimentRow } from './types';

/** Run and experiment counts of one project, for `projects:list`. */
export interface ProjectCounts {
  runCount: number;
  experimentCount: number;
  /** Runs with status RUNNING that are not deleted. */
  activeRuns: number;
  /** Latest write to one of the project's runs (create, log, update), in ms since the Unix epoch; null without runs. */
  lastActivity: number | null;
}

export interface ExperimentCounts extends ProjectCounts {
  experiment: ExperimentRow;
}

/** Counts runs and activity per project; deleted experiments and runs are left out. */
export function countByProject(db: Db): Map<string, ProjectCounts> {
  const rows = db
    .prepare(
      `SELECT e.project AS project,
              COUNT(DISTINCT e.experiment_id) AS experimentCount,
              COUNT(r.run_key) AS runCount,
              COALESCE(SUM(r.status = 'RUNNING'), 0) AS activeRuns,
              MAX(r.last_update_time) AS lastActivity
         FROM experiments e
         LEFT JOIN runs r ON r.experiment_id = e.experiment_id AND r.lifecycle_stage = 'active'
        WHERE e.lifecycle_stage = 'active'
        GROUP BY e.project`,
    )
    .all() as (ProjectCounts & { project: string })[];

  return new Map(rows.map(({ project, ...counts }) => [project, counts]));
}

/** Lists experiments with their run counts, optionally of one project and with deleted ones. */
export function listExperimentCounts(db: Db, project: string | undefined, includeDeleted: boolean): ExperimentCounts[] {
  const conditions = [includeDeleted ? '1' : "e.lifecycle_stage = 'active'", project === undefined ? '1' : 'e.project = @project'];
  const rows = db
    .prepare(
      `SELECT e.*,
              COUNT(r.run_key) AS runCount,
              COALESCE(SUM(r.status = 'RUNNING'), 0) AS activeRuns,
              MAX(r.last_update_time) AS lastActivity
         FROM experiments e
         LEFT JOIN runs r ON r.experiment_id = e.experiment_id AND r.lifecycle_stage = 'active'
        WHERE ${conditions.join(' AND ')}
        GROUP BY e.experiment_id
        ORDER BY e.experiment_id`,
    )
    .all(project === undefined ? {} : { project }) as (ExperimentRow & ProjectCounts)[];

  return rows.map(({ runCount, activeRuns, lastActivity, ...experiment }) => ({ experiment, runCount, experimentCount: 1, activeRuns, lastActivity }));
}

export function countActiveRuns(db: Db): number {
  return db.prepare("SELECT COUNT(*) FROM runs WHERE status = 'RUNNING' AND lifecycle_stage = 'active'").pluck().get() as number;
}

/** Moves every experiment of a project to its new name and rewrites their project tags; returns the count moved. */
export function renameProject(db: Db, oldName: string, newName: string, now: number): number {
  return db.transaction(() => {
    db.prepare(`UPDATE experiment_tags SET value = ? WHERE key = ? AND experiment_id IN (SELECT experiment_id FROM experiments WHERE project = ?)`).run(newName, projectTagKey, oldName);

    return db.prepare('UPDATE experiments SET project = ?, last_update_time = ? WHERE project = ?').run(newName, now, oldName).changes;
  })();
}

/**
 * Deletes for good the runs, params, tags and metric points of a project's
 * experiments, then the experiments. The Default experiment "0" stays (empty),
 * because MLflow clients log to it without looking it up. Returns the run count deleted.
 */
/** Ids of a project's experiments and of their runs, deleted ones included. */
export function listProjectRuns(db: Db, project: string): { runs: { experimentId: string; runId: string }[]; experimentIds: string[] } {
  const experiments = db.prepare('SELECT experiment_id FROM experiments WHERE project = ?').all(project) as { experiment_id: number }[];
  const runs = db
    .prepare('SELECT r.run_id, r.experiment_id FROM runs r JOIN experiments e ON e.experiment_id = r.experiment_id WHERE e.project = ?')
    .all(project) as { run_id: string; experiment_id: number }[];

  return { runs: runs.map((row) => ({ experimentId: String(row.experiment_id), runId: row.run_id })), experimentIds: experiments.map((row) => String(row.experiment_id)) };
}

/** Experiment and model ids of a project's logged models, deleted ones included. */
export function listProjectModels(db: Db, project: string): { experimentId: string; modelId: string }[] {
  const rows = db
    .prepare('SELECT m.model_id, m.experiment_id FROM logged_models m JOIN experiments e ON e.experiment_id = m.experiment_id WHERE e.project = ?')
    .all(project) as { model_id: string; experiment_id: number }[];

  return rows.map((row) => ({ experimentId: String(row.experiment_id), modelId: row.model_id }));
}

export function purgeProject(db: Db, project: string): number {
  return db.transaction(() => {
    const inProject = 'SELECT experiment_id FROM experiments WHERE project = @project';
    const inRuns = `SELECT run_key FROM runs WHERE experiment_id IN (${inProject})`;
    db.prepare(`DELETE FROM run_model_outputs WHERE run_id IN (SELECT run_id FROM runs WHERE experiment_id IN (${inProject}))`).run({ project });
    // Tags, params and outputs of the models go with them (ON DELETE CASCADE).
    db.prepare(`DELETE FROM logged_models WHERE experiment_id IN (${inProject})`).run({ project });
    db.prepare(`DELETE FROM metrics WHERE run_key IN (${inRuns})`).run({ project });
    for (const table of ['latest_metrics', 'params', 'tags']) db.prepare(`DELETE FROM ${table} WHERE run_key IN (${inRuns})`).run({ project });
    const deleted = db.prepare(`DELETE FROM runs WHERE experiment_id IN (${inProject})`).run({ project }).changes;
    db.prepare(`DELETE FROM experiment_tags WHERE experiment_id IN (${inProject}) AND experiment_id != 0`).run({ project });
    db.prepare('DELETE FROM experiments WHERE project = @project AND experiment_id != 0').run({ project });

    return deleted;
  })();
}
