import { type Clause, type ClauseValue, type Comparator, type OrderTerm } from './filterParser';
import { type DataKeys } from './runStore';
import { type LoadedRun } from './types';
import { invalid } from './validation';

/** Run attributes that a filter or order_by may name, with MLflow's aliases. */
const stringAttributes: Record<string, keyof LoadedRun['row']> = {
  run_id: 'run_id',
  run_name: 'run_name',
  status: 'status',
  user_id: 'user_id',
  artifact_uri: 'artifact_uri',
  lifecycle_stage: 'lifecycle_stage',
};
const numericAttributes: Record<string, keyof LoadedRun['row']> = {
  start_time: 'start_time',
  end_time: 'end_time',
  created: 'start_time',
};
const numericComparators = new Set<Comparator>(['=', '!=', '<', '<=', '>', '>=']);
const stringComparators = new Set<Comparator>(['=', '!=', 'LIKE', 'ILIKE']);

/** Rejects clauses that MLflow rejects for runs: wrong value type, comparator or attribute. */
export function validateRunClauses(clauses: readonly Clause[]): void {
  for (const clause of clauses) {
    const where = `'${clause.type}.${clause.key} ${clause.comparator}'`;
    if (clause.type === 'metric' || (clause.type === 'attribute' && clause.key in numericAttributes)) {
      if (typeof clause.value !== 'number' || !numericComparators.has(clause.comparator)) {
        throw invalid(`Invalid filter clause ${where}: compare ${clause.type === 'metric' ? 'metrics' : clause.key} with =, !=, <, <=, > or >= and a number.`);
      }
    } else if (clause.type === 'attribute' && !(clause.key in stringAttributes)) {
      throw invalid(`Invalid attribute key '${clause.key}': use one of ${[...Object.keys(stringAttributes), ...Object.keys(numericAttributes)].join(', ')}.`);
    } else if (clause.comparator === 'IN' || clause.comparator === 'NOT IN') {
      if (clause.type !== 'attribute' || clause.key !== 'run_id' || !Array.isArray(clause.value)) {
        throw invalid(`Invalid filter clause ${where}: IN and NOT IN are only supported for attributes.run_id with a list such as ('a', 'b').`);
      }
    } else if (typeof clause.value !== 'string' || !stringComparators.has(clause.comparator)) {
      throw invalid(`Invalid filter clause ${where}: compare ${clause.type}s with =, !=, LIKE or ILIKE and a quoted string.`);
    }
  }
}

export function validateRunOrderTerm(term: OrderTerm): void {
  if (term.type === 'attribute' && !(term.key in stringAttributes) && !(term.key in numericAttributes)) {
    throw invalid(`Invalid order_by attribute '${term.key}': use start_time, end_time, run_name, run_id, status, user_id or artifact_uri.`);
  }
}

/** Metric, param and tag keys that a filter and an order name. */
export function referencedKeys(clauses: readonly Clause[], terms: readonly OrderTerm[]): DataKeys {
  const keys = { metric: new Set<string>(), param: new Set<string>(), tag: new Set<string>() };
  for (const { type, key } of [...clauses, ...terms]) {
    if (type !== 'attribute') keys[type].add(key);
  }

  return { metric: [...keys.metric], param: [...keys.param], tag: [...keys.tag] };
}

/** True when the run satisfies every clause; a run that lacks the named metric, param or tag never matches. */
export function matchesRun(clauses: readonly Clause[], run: LoadedRun): boolean {
  return clauses.every((clause) => {
    const actual = readValue(run, clause.type, clause.key);
    if (actual === undefined || actual === null) return false;

    return compare(actual, clause.comparator, clause.value);
  });
}

export function readValue(run: LoadedRun, type: Clause['type'], key: string): string | number | null | undefined {
  if (type === 'metric') return run.metrics.get(key)?.value;
  if (type === 'param') return run.params.get(key);
  if (type === 'tag') return run.tags.get(key);

  const column = stringAttributes[key] ?? numericAttributes[key];
  return column === undefined ? undefined : (run.row[column] as string | number | null);
}

export function compare(actual: string | number, comparator: Comparator, expected: ClauseValue): boolean {
  if (Array.isArray(expected)) {
    const found = expected.includes(String(actual));
    return comparator === 'IN' ? found : !found;
  }

  switch (comparator) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case 'LIKE':
      return matchesLike(String(actual), String(expected));
    case 'ILIKE':
      return matchesLike(String(actual).toLowerCase(), String(expected).toLowerCase());
    default:
      return false;
  }
}

/**
 * SQL LIKE: `%` matches any run of characters, `_` one character. Matches in
 * O(text × pattern) at worst by backtracking only to the last `%`, where a
 * regular expression of many `%` could backtrack exponentially.
 */
export function matchesLike(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '_' || (pattern[p] !== '%' && pattern[p] === text[t]))) {
      t += 1;
      p += 1;
    } else if (p < pattern.length && pattern[p] === '%') {
      starP = p;
      starT = t;
      p += 1;
    } else if (starP >= 0) {
      p = starP + 1;
      starT += 1;
      t = starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === '%') p += 1;

  return p === pattern.length;
}

/**
 * Sorts runs by the order terms; missing values and NaN go last in both
 * directions. The final tiebreak is start_time DESC, then run_id, as in MLflow.
 */
export function sortRuns(runs: LoadedRun[], terms: readonly OrderTerm[]): LoadedRun[] {
  return runs.sort((a, b) => {
    for (const term of terms) {
      const order = compareForSort(readValue(a, term.type, term.key), readValue(b, term.type, term.key), term.ascending);
      if (order !== 0) return order;
    }
    if (a.row.start_time !== b.row.start_time) return b.row.start_time - a.row.start_time;

    return compareValues(a.row.run_id, b.row.run_id);
  });
}

function compareForSort(left: unknown, right: unknown, ascending: boolean): number {
  const leftMissing = left === undefined || left === null || Number.isNaN(left);
  const rightMissing = right === undefined || right === null || Number.isNaN(right);
  if (leftMissing && rightMissing) return 0;
  if (leftMissing) return 1;
  if (rightMissing) return -1;

  const order = compareValues(left as string | number, right as string | number);

  return ascending ? order : -order;
}

function compareValues(left: string | number, right: string | number): number {
  if (left < right) return -1;
  if (left > right) return 1;

  return 0;
}
