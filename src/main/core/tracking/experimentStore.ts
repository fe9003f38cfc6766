import { HubError } from '../../../common/errors';
import { defaultProjectName, projectSlugPattern } from '../../../common/methods/projects';
import { type Db } from '../storage/database';
import { type Clause, parseFilter, parseOrderBy } from './filterParser';
import { decodePageToken, encodePageToken, validateMaxResults } from './paging';
import { compare } from './runFilter';
import { type ExperimentRow, type KeyValue, type ViewType } from './types';
import { invalid, limits, notFound, validateArtifactLocation, validateExperimentName, validateExperimentTag } from './validation';

/** Tag that assigns an experiment to a hub project when it is created or set. */
export const projectTagKey = 'mlops_hub.project';
const sortableColumns = new Set(['experiment_id', 'name', 'creation_time', 'last_update_time']);

export interface ExperimentSearch {
  viewType: ViewType;
  maxResults: number;
  pageToken?: string;
  filter?: string;
  orderBy: string[];
}

/** Experiments and their tags in the tracking tables. */
export class ExperimentStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly artifactRoot: string,
  ) {}

  create(name: string, artifactLocation: string | undefined, tags: readonly KeyValue[]): ExperimentRow {
    validateExperimentName(name);
    if (artifactLocation) validateArtifactLocation(artifactLocation);
    for (const tag of tags) validateExperimentTag(tag.key, tag.value);
    const project = projectFromTags(tags) ?? defaultProjectName;

    const existing = this.db.prepare('SELECT lifecycle_stage FROM experiments WHERE name = ?').get(name) as { lifecycle_stage: string } | undefined;
    if (existing) {
      const hint = existing.lifecycle_stage === 'deleted' ? ' It is deleted: restore it or pick another name.' : '';
      throw new HubError('RESOURCE_ALREADY_EXISTS', `Experiment '${name}' already exists.${hint}`);
    }

    const time = this.now();
    const id = this.db.transaction(() => {
      const result = this.db
        .prepare("INSERT INTO experiments (name, project, artifact_location, creation_time, last_update_time) VALUES (?, ?, '', ?, ?)")
        .run(name, project, time, time);
      const newId = Number(result.lastInsertRowid);
      const location = artifactLocation || `${this.artifactRoot.replace(/\/+$/, '')}/${newId}`;
      this.db.prepare('UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?').run(location, newId);
      for (const tag of tags) this.upsertTag(newId, tag.key, tag.value);
      return newId;
    })();

    return this.get(String(id));
  }

  /** Returns an experiment, deleted ones included; unknown ids raise RESOURCE_DOES_NOT_EXIST. */
  get(experimentId: string): ExperimentRow {
    const row = /^\d{1,15}$/.test(experimentId)
      ? (this.db.prepare('SELECT * FROM experiments WHERE experiment_id = ?').get(Number(experimentId)) as ExperimentRow | undefined)
      : undefined;
    if (!row) throw notFound(`No Experiment with id=${experimentId.slice(0, 40)} exists. Check the id, or create the experiment first.`);

    return row;
  }

  getActive(experimentId: string): ExperimentRow {
    const row = this.get(experimentId);
    if (row.lifecycle_stage !== 'active') {
      throw invalid(`The experiment ${experimentId} must be in the 'active' state. Current state is ${row.lifecycle_stage}. Restore it first.`);
    }

    return row;
  }

  getByName(name: string): ExperimentRow {
    const row = this.db.prepare('SELECT * FROM experiments WHERE name = ?').get(name) as ExperimentRow | undefined;
    if (!row) throw notFound(`Could not find experiment with name '${name.slice(0, 500)}'.`);

    return row;
  }

  tags(experimentId: number): Map<string, string> {
    const rows = this.db.prepare('SELECT key, value FROM experiment_tags WHERE experiment_id = ? ORDER BY key').all(experimentId) as KeyValue[];

    return new Map(rows.map((tag) => [tag.key, tag.value]));
  }

  /** Maps experiment ids to project slugs, with deleted experiments only when asked. */
  projectsById(includeDeleted: boolean): Map<number, string> {
    const where = includeDeleted ? '' : "WHERE lifecycle_stage = 'active'";
    const rows = this.db.prepare(`SELECT experiment_id, project FROM experiments ${where}`).all() as { experiment_id: number; project: string }[];

    return new Map(rows.map((row) => [row.experiment_id, row.project]));
  }

  rename(experimentId: string, newName: string): void {
    validateExperimentName(newName);
    const row = this.get(experimentId);
    if (row.lifecycle_stage !== 'active') throw new HubError('INVALID_STATE', `Cannot rename the deleted experiment ${experimentId}: restore it first.`);
    const clash = this.db.prepare('SELECT experiment_id FROM experiments WHERE name = ?').get(newName) as { experiment_id: number } | undefined;
    if (clash && clash.experiment_id !== row.experiment_id) throw new HubError('RESOURCE_ALREADY_EXISTS', `Experiment '${newName}' already exists.`);

    this.db.prepare('UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?').run(newName, this.now(), row.experiment_id);
  }

  /** Soft-deletes or restores an experiment and cascades the lifecycle stage to its runs. */
  setLifecycle(experimentId: string, stage: 'active' | 'deleted'): void {
    const row = this.get(experimentId);
    if (stage === 'deleted' && row.experiment_id === 0) throw invalid('The Default experiment (id 0) cannot be deleted.');

    const time = this.now();
    this.db.transaction(() => {
      this.db.prepare('UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?').run(stage, time, row.experiment_id);
      this.db.prepare('UPDATE runs SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?').run(stage, time, row.experiment_id);
    })();
  }

  setTag(experimentId: string, key: string, value: string): void {
    validateExperimentTag(key, value);
    const row = this.getActive(experimentId);
    const project = key === projectTagKey ? validateProject(value) : undefined;

    this.db.transaction(() => {
      this.upsertTag(row.experiment_id, key, value);
      const setProject = project === undefined ? '' : ', project = @project';
      this.db.prepare(`UPDATE experiments SET last_update_time = @time${setProject} WHERE experiment_id = @id`).run({ time: this.now(), id: row.experiment_id, ...(project === undefined ? {} : { project }) });
    })();
  }

  search(options: ExperimentSearch): { rows: ExperimentRow[]; nextPageToken?: string } {
    validateMaxResults(options.maxResults, limits.maxSearchResults);
    const offset = decodePageToken(options.pageToken);
    const clauses = parseFilter(options.filter);
    validateExperimentClauses(clauses);

    const stageFilter = options.viewType === 'ALL' ? '' : `WHERE lifecycle_stage = '${options.viewType === 'ACTIVE_ONLY' ? 'active' : 'deleted'}'`;
    const rows = this.db.prepare(`SELECT * FROM experiments ${stageFilter} ORDER BY ${this.orderSql(options.orderBy)}`).all() as ExperimentRow[];
    const matching = clauses.length === 0 ? rows : rows.filter((row) => this.matches(row, clauses));

    const page = matching.slice(offset, offset + options.maxResults);
    const more = offset + options.maxResults < matching.length;

    return more ? { rows: page, nextPageToken: encodePageToken(offset + options.maxResults) } : { rows: page };
  }

  private orderSql(orderBy: readonly string[]): string {
    const terms = orderBy.map((entry) => {
      const term = parseOrderBy(entry);
      if (term.type !== 'attribute' || !sortableColumns.has(term.key)) {
        throw invalid(`Invalid order_by clause '${entry}': experiments sort by experiment_id, name, creation_time or last_update_time.`);
      }
      return `${term.key} ${term.ascending ? 'ASC' : 'DESC'}`;
    });
    if (terms.length === 0) terms.push('last_update_time DESC');

    return [...terms, 'experiment_id DESC'].join(', ');
  }

  private matches(row: ExperimentRow, clauses: readonly Clause[]): boolean {
    const tags = clauses.some((clause) => clause.type === 'tag') ? this.tags(row.experiment_id) : new Map<string, string>();

    return clauses.every((clause) => {
      const actual = clause.type === 'tag' ? tags.get(clause.key) : row[clause.key as keyof ExperimentRow];
      return actual !== undefined && compare(actual, clause.comparator, clause.value);
    });
  }

  private upsertTag(experimentId: number, key: string, value: string): void {
    this.db.prepare('INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value').run(experimentId, key, value);
  }
}

function validateExperimentClauses(clauses: readonly Clause[]): void {
  for (const clause of clauses) {
    const numeric = clause.key === 'creation_time' || clause.key === 'last_update_time';
    if (clause.type === 'attribute' && !numeric && clause.key !== 'name') {
      throw invalid(`Invalid attribute key '${clause.key}' in experiment filter: use name, creation_time, last_update_time or tags.<key>.`);
    }
    if (clause.type !== 'attribute' && clause.type !== 'tag') throw invalid(`Invalid experiment filter on ${clause.type}s: use name, creation_time, last_update_time or tags.<key>.`);
    const wantsNumber = clause.type === 'attribute' && numeric;
    if (wantsNumber !== (typeof clause.value === 'number') || clause.comparator === 'IN' || clause.comparator === 'NOT IN') {
      throw invalid(`Invalid experiment filter clause on '${clause.key}': compare ${wantsNumber ? 'with a number' : 'with a quoted string using =, !=, LIKE or ILIKE'}.`);
    }
    if (!wantsNumber && !['=', '!=', 'LIKE', 'ILIKE'].includes(clause.comparator)) {
      throw invalid(`Invalid comparator '${clause.comparator}' for '${clause.key}': use =, !=, LIKE or ILIKE.`);
    }
  }
}

export function projectFromTags(tags: readonly KeyValue[]): string | undefined {
  const tag = [...tags].reverse().find((entry) => entry.key === projectTagKey);

  return tag === undefined ? undefined : validateProject(tag.value);
}

export function validateProject(slug: string): string {
  if (!projectSlugPattern.test(slug)) {
    throw invalid(`Invalid project '${slug}' in tag ${projectTagKey}: use a slug of lowercase letters, digits and dashes, starting with a letter or digit (at most 64 characters).`);
  }

  return slug;
}
