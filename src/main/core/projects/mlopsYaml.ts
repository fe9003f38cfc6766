import fs from 'node:fs';
import path from 'node:path';

import { isNode, LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import { z } from 'zod';

import { HubError } from '../../../common/errors';
import { projectSlugSchema, type ProjectConfig } from '../../../common/methods/projects';

export const configFileName = 'mlops.yaml';

/** One problem found in a config value, with the path of the key it concerns. */
export interface ConfigIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Checks the `services` mapping of a project. The services domain plugs its
 * validator in here; the loader reports each issue with its key and line.
 */
export type ServicesValidator = (services: Record<string, unknown>) => ConfigIssue[];

const resourcesSchema = z
  .object({
    memory_gb: z.number().positive().optional(),
    gpu: z.union([z.boolean(), z.number().min(0).max(1)], { error: 'must be true, false or a share of the GPU from 0 to 1' }).optional(),
    neural_engine: z.boolean().optional(),
    cpu_cores: z.number().int().positive().optional(),
  })
  .strict();

/** Schema of `mlops.yaml`; keys are snake_case as users write them. */
export const projectConfigSchema = z
  .object({
    name: projectSlugSchema.optional(),
    description: z.string().max(1000).optional(),
    priority: z.enum(['high', 'normal', 'low']).default('normal'),
    weight: z.number().positive().default(1),
    resources: resourcesSchema.optional(),
    tracking: z.object({ experiment: z.string().min(1).max(500).optional() }).strict().optional(),
    services: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/**
 * Reads `mlops.yaml` in `folder`. Returns null when the file does not exist;
 * throws HubError INVALID_PARAMETER_VALUE naming the key and line of the first problem.
 */
export function loadProjectConfig(folder: string, validateServices: readonly ServicesValidator[] = []): ProjectConfig | null {
  const file = path.join(folder, configFileName);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new HubError('INVALID_PARAMETER_VALUE', `${configFileName}: cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }

  return parseProjectConfig(text, validateServices);
}

/**
 * Sets `name` in the folder's `mlops.yaml`, keeping its comments and layout,
 * so that scripts which read the name (the Python SDK does) follow a rename.
 * Does nothing when the folder has no `mlops.yaml`.
 */
export function writeProjectName(folder: string, name: string): void {
  const file = path.join(folder, configFileName);
  if (!fs.existsSync(file)) return;

  try {
    const document = parseDocument(fs.readFileSync(file, 'utf8'));
    document.set('name', name);
    fs.writeFileSync(file, String(document));
  } catch (error) {
    throw new HubError('INVALID_STATE', `cannot update \`name\` in ${file}: ${(error as Error).message}; make the file writable and try again`, { cause: error });
  }
}

/** Parses and validates the text of an `mlops.yaml`; see `loadProjectConfig` for the errors. */
export function parseProjectConfig(text: string, validateServices: readonly ServicesValidator[] = []): ProjectConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });

  const syntaxError = document.errors.find((error) => error.code === 'MULTILINE_IMPLICIT_KEY') ?? document.errors[0];
  if (syntaxError) throw describeSyntaxError(syntaxError, text, lineCounter);

  const value: unknown = document.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) throw configError(1, `must be a mapping of keys to values; got ${describeValue(value)}`);

  const result = projectConfigSchema.safeParse(value, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const issuePath = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    throw configError(lineOf(document, lineCounter, issuePath), describeConfigIssue(issue, issuePath));
  }

  const config = result.data as ProjectConfig;
  for (const validate of validateServices) {
    const issue = validate(config.services ?? {})[0];
    if (!issue) continue;
    const issuePath = ['services', ...issue.path];
    throw configError(lineOf(document, lineCounter, issuePath), `\`${formatPath(issuePath)}\` ${issue.message}`);
  }

  return config;
}

/**
 * Turns a YAML syntax error into a config error. The yaml package reads a line
 * indented deeper than the key above it as part of a multi-line key
 * (MULTILINE_IMPLICIT_KEY) that starts at the value on the line above. So the
 * error names the next line, which is the one the user has to fix.
 */
function describeSyntaxError(error: YAMLError, text: string, lineCounter: LineCounter): HubError {
  const message = error.message.split('\n')[0] ?? error.code;
  const newline = text.indexOf('\n', error.pos[0]);
  if (error.code !== 'MULTILINE_IMPLICIT_KEY' || newline === -1 || newline + 1 >= error.pos[1]) {
    return configError(lineCounter.linePos(error.pos[0]).line, `invalid YAML: ${message}`);
  }

  const line = lineCounter.linePos(newline + 1).line;
  return configError(line, `invalid YAML: this line is indented deeper than the key above it; align it with the other keys (${message})`);
}

function configError(line: number, detail: string): HubError {
  return new HubError('INVALID_PARAMETER_VALUE', `${configFileName} line ${line}: ${detail}`);
}

/** Line (1-based) of the deepest node that exists on `issuePath`, so a missing key points at its parent. */
function lineOf(document: Document, lineCounter: LineCounter, issuePath: readonly PropertyKey[]): number {
  for (let depth = issuePath.length; depth > 0; depth--) {
    const keys = issuePath.slice(0, depth);
    const node: unknown = document.getIn(keys as unknown[], true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;

    const parent: unknown = document.getIn(keys.slice(0, -1) as unknown[], true);
    const pair = findPair(parent, keys[keys.length - 1]);
    if (pair !== null) return lineCounter.linePos(pair).line;
  }

  return 1;
}

/** Offset of the key node of `key` inside a YAML map node, for keys whose value is empty. */
function findPair(parent: unknown, key: PropertyKey | undefined): number | null {
  if (!isNode(parent) || !('items' in parent) || !Array.isArray(parent.items)) return null;

  for (const item of parent.items as { key?: unknown }[]) {
    const keyNode = item.key;
    if (isNode(keyNode) && 'value' in keyNode && keyNode.value === key && keyNode.range) return keyNode.range[0];
  }

  return null;
}

function describeConfigIssue(issue: z.core.$ZodIssue, issuePath: readonly PropertyKey[]): string {
  const key = `\`${formatPath(issuePath)}\``;
  const received = 'input' in issue ? describeValue(issue.input) : 'nothing';

  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key ${key}; allowed keys are ${allowedKeys(issue.path)}`;
    case 'invalid_value':
      return `${key} must be one of ${issue.values.map(String).join(', ')}; got ${received}`;
    case 'invalid_type':
      return `${key} must be ${expectedType(issue.expected)}; got ${received}`;
    case 'too_small':
      return `${key} must be ${issue.inclusive ? 'at least' : 'greater than'} ${String(issue.minimum)}; got ${received}`;
    case 'too_big':
      return `${key} must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}; got ${received}`;
    default:
      return `${key} ${issue.message.replace(/^Invalid input: /, '')}; got ${received}`;
  }
}

function allowedKeys(objectPath: readonly PropertyKey[]): string {
  const shapes: Record<string, z.ZodObject> = {
    '': projectConfigSchema,
    resources: resourcesSchema,
  };
  const shape = shapes[objectPath.join('.')];

  return shape ? Object.keys(shape.shape).join(', ') : 'experiment';
}

function expectedType(expected: string): string {
  const words: Record<string, string> = { number: 'a number', string: 'a string', boolean: 'true or false', object: 'a mapping', record: 'a mapping' };

  return words[expected] ?? expected;
}

export function formatPath(issuePath: readonly PropertyKey[]): string {
  return issuePath.map(String).join('.');
}

/** Short rendering of a received value for error messages: `"urgent"`, `12`, a list, nothing. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `\`${value.length > 60 ? `${value.slice(0, 60)}…` : value}\``;

  return `\`${String(value)}\``;
}
