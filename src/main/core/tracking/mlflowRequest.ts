import { HubError } from '../../../common/errors';
import { decodeDouble } from './wire';
import { type KeyValue, type MetricPoint } from './types';
import { invalid } from './validation';

/** Request fields: the JSON body of a POST, or the query parameters of a GET (repeated keys become arrays). */
export type Fields = Record<string, unknown>;

const apiDocsHint = ' See the API docs for more information about request parameters.';

/**
 * Parses a JSON body as MLflow does: empty means `{}`, and a JSON string that
 * contains JSON is decoded again. NOTE: MLflow's Flask server reads a malformed
 * body as `{}` and then fails on the first missing field. This router rejects
 * it with 400 MALFORMED_REQUEST instead, so that garbage never creates a run.
 */
export function parseBody(bodyText: string): Fields {
  if (bodyText.trim() === '') return {};

  let parsed = parseJson(bodyText);
  if (typeof parsed === 'string') parsed = parseJson(parsed);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HubError('MALFORMED_REQUEST', 'Malformed request: the body must be a JSON object such as {"run_id": "..."}.');
  }

  return parsed as Fields;
}

/**
 * Parses JSON, also accepting the bare NaN, Infinity and -Infinity tokens that
 * Python's `json.dumps` writes and MLflow's server (Python's `json.loads`) reads.
 */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const quoted = quoteBareNonFinite(text);
    if (quoted !== text) {
      try {
        return JSON.parse(quoted);
      } catch {
        // Report the error of the original text below.
      }
    }
    throw new HubError('MALFORMED_REQUEST', `Malformed JSON in the request body (${(error as Error).message}). Send a JSON object.`);
  }
}

const nonFiniteTokens = ['-Infinity', 'Infinity', 'NaN'];

/** Puts quotes around NaN, Infinity and -Infinity tokens outside JSON strings. */
export function quoteBareNonFinite(text: string): string {
  let result = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (inString) {
      result += char;
      if (char === '\\') {
        result += text.charAt(i + 1);
        i += 1;
      } else if (char === '"') {
        inString = false;
      }
      continue;
    }

    const token = nonFiniteTokens.find((candidate) => text.startsWith(candidate, i));
    if (token === undefined) {
      inString = char === '"';
      result += char;
    } else {
      result += `"${token}"`;
      i += token.length - 1;
    }
  }

  return result;
}

/**
 * Fields read from a query string. A repeated field that occurs once there is a
 * single string, which `optionalStringList` accepts only from these.
 */
const queryFields = new WeakSet<Fields>();

/**
 * Rejects a POST or PUT whose Content-Type is not `application/json` (parameters
 * such as `; charset=utf-8` allowed), with MLflow's 400 INVALID_PARAMETER_VALUE
 * and messages (`mlflow/server/validation.py`). `null` is a missing header.
 * The media type is compared case-insensitively (RFC 9110), but MLflow's
 * server compares it exactly.
 */
export function checkContentType(method: string, contentType: string | null): void {
  if (method !== 'POST' && method !== 'PUT') return;

  if (contentType === null) throw invalid('Bad Request. Content-Type header is missing. Send Content-Type: application/json with a JSON body.');
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw invalid(`Bad Request. Content-Type must be one of ['application/json'], got '${contentType.slice(0, 80)}'.`);
  }
}

/** Reads query parameters; `experiment_ids[]=1` and `experiment_ids=1&experiment_ids=2` both become lists. */
export function parseQuery(query: URLSearchParams): Fields {
  const fields: Fields = {};
  queryFields.add(fields);
  for (const rawKey of new Set(query.keys())) {
    const values = query.getAll(rawKey);
    const key = rawKey.replace(/\[\d*\]$/, '');
    fields[key] = values.length === 1 && key === rawKey ? values[0] : values;
  }

  return fields;
}

export function requireString(fields: Fields, name: string): string {
  const value = optionalString(fields, name);
  if (value === undefined || value === '') throw invalid(`Missing value for required parameter '${name}'.${apiDocsHint}`);

  return value;
}

/**
 * Reads a string field. A number is accepted only for `experiment_id`, which
 * MLflow's server converts to a string for clients older than 0.9.1
 * (`_stringify_all_experiment_ids`). Protobuf rejects a number for any other string field.
 */
export function optionalString(fields: Fields, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && name === 'experiment_id' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string') throw wrongType(name, value, 'a string');

  return value;
}

/** Reads `run_id`, falling back to the deprecated `run_uuid` that clients also send. */
export function requireRunId(fields: Fields): string {
  const runId = optionalString(fields, 'run_id') || optionalString(fields, 'run_uuid');
  if (!runId) throw invalid(`Missing value for required parameter 'run_id'.${apiDocsHint}`);
  // MLflow clients accept run ids matching ^[a-zA-Z0-9][\w-]{0,255}$, so anything longer cannot exist.
  if (runId.length > 256) throw invalid(`Invalid run_id '${runId.slice(0, 40)}…': run ids have at most 256 characters.`);

  return runId;
}

/** Reads an int64 field sent as a JSON number or as a decimal string (query parameters, protobuf JSON). */
export function optionalInt64(fields: Fields, name: string): number | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;

  const number = typeof value === 'string' && /^-?\d{1,16}$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) throw wrongType(name, value, 'an integer');

  return number;
}

/**
 * Reads a repeated string field: a JSON list in a body, or one or more query
 * parameters. Integer items are accepted because MLflow converts
 * `experiment_ids` items to strings. NOTE: MLflow's server turns a body string
 * such as `"12"` into a list of its characters, `["1", "2"]`. This router
 * rejects the string, so that it never searches experiments the caller did not name.
 */
export function optionalStringList(fields: Fields, name: string): string[] {
  const value = fields[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) && !(queryFields.has(fields) && typeof value === 'string')) throw wrongType(name, value, 'a list of strings');

  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.map((item, index) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' && Number.isSafeInteger(item)) return String(item);
    throw wrongType(`${name}[${index}]`, item, 'a string');
  });
}

/** Reads an enum given by name, as MLflow clients send enums. */
export function optionalEnum<T extends string>(fields: Fields, name: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(fields, name);
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw invalid(`Invalid value '${value}' for parameter '${name}': use one of ${allowed.join(', ')}.`);

  return value as T;
}

/** Reads a list of `{key, value}` objects; a missing value is the empty string, as in protobuf. */
export function keyValueList(fields: Fields, name: string): KeyValue[] {
  return objectList(fields, name).map((item) => ({ key: requireString(item, 'key'), value: optionalString(item, 'value') ?? '' }));
}

/** Reads one metric: `key`, `value` (number or "NaN"/"Infinity"/"-Infinity") and `timestamp` required, `step` 0 by default. */
export function readMetric(fields: Fields): MetricPoint {
  const key = requireString(fields, 'key');
  if (fields['value'] === undefined || fields['value'] === null) throw invalid(`Missing value for required parameter 'value'.${apiDocsHint}`);
  const value = decodeDouble(fields['value']);
  if (value === undefined) throw wrongType('value', fields['value'], 'a number or "NaN", "Infinity", "-Infinity"');
  const timestamp = optionalInt64(fields, 'timestamp');
  if (timestamp === undefined) throw invalid(`Missing value for required parameter 'timestamp'.${apiDocsHint}`);

  return { key, value, timestamp, step: optionalInt64(fields, 'step') ?? 0 };
}

export function metricList(fields: Fields, name: string): MetricPoint[] {
  return objectList(fields, name).map(readMetric);
}

export function objectList(fields: Fields, name: string): Fields[] {
  const value = fields[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw wrongType(name, value, 'a list of objects');

  return value.map((item: unknown, index) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw wrongType(`${name}[${index}]`, item, 'an object');
    return item as Fields;
  });
}

/** Builds MLflow's wrong-type message, plus the expected type. */
function wrongType(name: string, value: unknown, expected: string): HubError {
  const type = value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value;

  return invalid(`Invalid value ${JSON.stringify(value)?.slice(0, 80)} for parameter '${name}' supplied: expected ${expected}. Hint: Value was of type '${type}'.${apiDocsHint}`);
}
