import { HubError } from '../../../common/errors';

/** Limits of MLflow 3.x (`mlflow/utils/validation.py`). */
export const limits = {
  maxKeyLength: 250,
  maxParamValueLength: 6000,
  maxTagValueLength: 8000,
  maxExperimentTagKeyLength: 250,
  maxExperimentTagValueLength: 5000,
  maxExperimentNameLength: 500,
  maxBatchMetrics: 1000,
  maxBatchParams: 100,
  maxBatchTags: 100,
  maxBatchEntities: 1000,
  maxSearchResults: 50000,
  /** Page size of `metrics/get-history`; the MLflow 3.x client asks for exactly this many. */
  maxHistoryPageSize: 25000,
} as const;

// Python's `\w` is Unicode-aware, so letters and digits of any script are allowed, like MLflow's `^[/\w.\- :]*$`.
const keyPattern = /^[/\p{L}\p{N}\p{M}_.\- :]*$/u;

/**
 * Rejects a metric, param or tag key that MLflow rejects: longer than 250
 * characters, characters outside letters, digits, `_ - . / : space`, or a
 * path that changes under normalisation (empty, `.`, `..`, leading `/`, `//`).
 */
export function validateKey(kind: 'metric' | 'param' | 'tag', key: string): void {
  if (key.length > limits.maxKeyLength) {
    throw invalid(`${capitalize(kind)} key '${key.slice(0, 40)}…' has length ${key.length}, which exceeds the limit of ${limits.maxKeyLength}. Use a shorter key.`);
  }
  if (!keyPattern.test(key)) {
    throw invalid(`Invalid ${kind} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`);
  }
  if (changesUnderNormalization(key)) {
    throw invalid(`Invalid ${kind} name: '${key}'. Names must be relative paths without '.', '..' or empty segments and must not start with '/'.`);
  }
}

/** True when `posixpath.normpath(key)` would differ from `key` or escape its folder. */
function changesUnderNormalization(key: string): boolean {
  if (key === '' || key.startsWith('/')) return true;

  return key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
}

/**
 * Shortens an over-long param or tag value as MLflow 3.x does with its default
 * `MLFLOW_TRUNCATE_LONG_VALUES=true`; returns the value unchanged when it fits.
 */
export function truncateValue(value: string, maxLength: number): string {
  return value.length > maxLength ? value.slice(0, maxLength) : value;
}

export function validateExperimentName(name: string): void {
  if (name.trim() === '') throw invalid(`Invalid experiment name: '${name}'. Use a non-empty name.`);
  if (name.length > limits.maxExperimentNameLength) {
    throw invalid(`Experiment name has length ${name.length}, which exceeds the limit of ${limits.maxExperimentNameLength}. Use a shorter name.`);
  }
}

export function validateExperimentTag(key: string, value: string): void {
  if (key === '' || key.length > limits.maxExperimentTagKeyLength) {
    throw invalid(`Experiment tag key '${key.slice(0, 40)}' must have 1 to ${limits.maxExperimentTagKeyLength} characters.`);
  }
  if (value.length > limits.maxExperimentTagValueLength) {
    throw invalid(`Experiment tag '${key}' has a value of length ${value.length}, which exceeds the limit of ${limits.maxExperimentTagValueLength}.`);
  }
}

/** Rejects client-chosen artifact locations that MLflow rejects: a `#fragment`, `;params` or `..` in the query. */
export function validateArtifactLocation(location: string): void {
  if (location.includes('#') || location.includes(';')) {
    throw invalid(`Invalid artifact_location '${location}': it must not contain a fragment ('#') or parameters (';').`);
  }
  const query = location.split('?')[1];
  if (query !== undefined && query.includes('..')) {
    throw invalid(`Invalid artifact_location '${location}': its query must not contain '..'.`);
  }
}

export function invalid(message: string): HubError {
  return new HubError('INVALID_PARAMETER_VALUE', message);
}

export function notFound(message: string): HubError {
  return new HubError('RESOURCE_DOES_NOT_EXIST', message);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
