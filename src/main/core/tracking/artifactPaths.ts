import { HubError } from '../../../common/errors';

/** A proxied artifact path `<experiment_id>/<run_id>/artifacts[/<relative path>]`, split and checked. */
export interface RunArtifactPath {
  experimentId: string;
  runId: string;
  /** Segments below the run's `artifacts` folder; empty for the folder itself. */
  segments: string[];
}

/** A proxied artifact path of an MLflow 3.x logged model: `<experiment_id>/models/<model_id>/artifacts[/<relative path>]`. */
export interface ModelArtifactPath {
  experimentId: string;
  modelId: string;
  /** Segments below the model's `artifacts` folder; empty for the folder itself. */
  segments: string[];
}

/** Location of an artifact below a run's or a logged model's `artifacts` folder. */
export type ArtifactLocation = RunArtifactPath | ModelArtifactPath;

// Decoding stops here: a path still changing after this many rounds is rejected.
const maxDecodeRounds = 5;

/**
 * Checks an artifact path from a URL or a query before any file system use:
 * rejects NUL and other control characters, backslashes, `;` and `#`, absolute
 * paths, drive letters, and `.`, `..` or empty segments. Every form the path
 * takes under repeated URL decoding must pass, because double-encoded `../`
 * is how CVE-2023-6730 and CVE-2024-1560 reached past MLflow's own checks.
 * Returns the path's segments; `''` gives none.
 */
export function splitArtifactPath(raw: string): string[] {
  const trimmed = raw.replace(/\/+$/, '');
  for (const form of decodedForms(raw)) {
    const reason = unsafeReason(form);
    if (reason) throw invalidPath(raw, reason);
  }

  return trimmed === '' ? [] : trimmed.split('/');
}

/**
 * Splits a proxied path into experiment id, run id and the part below the
 * run's `artifacts` folder. The hub hands out `artifact_uri` values of exactly
 * this form (`mlflow-artifacts:/<experiment_id>/<run_id>/artifacts`).
 */
export function parseRunArtifactPath(raw: string): RunArtifactPath {
  const segments = splitArtifactPath(raw);
  const [experimentId, runId, folder, ...rest] = segments;
  if (experimentId === undefined || runId === undefined || folder !== 'artifacts' || !/^\d{1,15}$/.test(experimentId) || !/^[\w-]{1,64}$/.test(runId)) {
    throw invalidPath(raw, "it must start with '<experiment_id>/<run_id>/artifacts', the path of a run's artifact_uri without 'mlflow-artifacts:/'");
  }

  return { experimentId, runId, segments: rest };
}

/**
 * Splits a proxied path into a run location or, when the second segment is
 * `models`, a logged model location. The hub hands out a logged model's
 * `artifact_uri` as `mlflow-artifacts:/<experiment_id>/models/<model_id>/artifacts`.
 * Run ids are 32 hex digits, so a run can never be called `models`.
 */
export function parseProxyArtifactPath(raw: string): ArtifactLocation {
  const segments = splitArtifactPath(raw);
  if (segments[1] !== 'models') return parseRunArtifactPath(raw);

  const [experimentId, , modelId, folder, ...rest] = segments;
  if (experimentId === undefined || modelId === undefined || folder !== 'artifacts' || !/^\d{1,15}$/.test(experimentId) || !/^m-[0-9a-f]{32}$/.test(modelId)) {
    throw invalidPath(raw, "a logged model's path must start with '<experiment_id>/models/<model_id>/artifacts', its artifact_uri without 'mlflow-artifacts:/'");
  }

  return { experimentId, modelId, segments: rest };
}

/** Lists the path and each result of URL-decoding it again, until decoding changes nothing. */
function decodedForms(raw: string): string[] {
  const forms = [raw];
  let current = raw;
  for (let round = 0; round < maxDecodeRounds; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      // A lone '%' is a literal character, so the path is as decoded as it gets.
      return forms;
    }
    if (next === current) return forms;
    forms.push(next);
    current = next;
  }
  throw invalidPath(raw, `it is still URL-encoded after ${maxDecodeRounds} rounds of decoding`);
}

function unsafeReason(path: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'it contains a NUL byte or another control character';
  if (/[\\;#]/.test(path)) return "it contains a backslash, ';' or '#'";
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) return 'it is an absolute path';

  const segments = path.replace(/\/+$/, '').split('/');
  if (path !== '' && segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return "it contains '.', '..' or an empty segment";
  }

  return null;
}

function invalidPath(raw: string, reason: string): HubError {
  const shown = JSON.stringify(raw.length > 200 ? `${raw.slice(0, 200)}…` : raw);

  return new HubError('INVALID_PARAMETER_VALUE', `Invalid artifact path ${shown}: ${reason}. Use a relative path such as 'model/weights.bin'.`);
}
