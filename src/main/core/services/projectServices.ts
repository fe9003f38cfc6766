import path from 'node:path';

import { serviceDefinitionSchema, type ServiceDefinitionInput } from './definition';
import { findCycle } from './dependencies';

/** A problem in a project's `services` block, with the snake_case key path under `services`. */
export interface ServiceBlockIssue {
  path: (string | number)[];
  message: string;
}

/** Keys that the hub sets itself and `mlops.yaml` may not. */
const reservedKeys = new Set(['name', 'files', 'injectHubEnv']);

/** Objects whose keys are converted from snake_case; `env` keys are variable names and stay as written. */
const nestedObjects = new Set(['readiness', 'backoff']);

/**
 * Checks every entry of a project's `services` mapping against the service
 * definition schema. Plugs into the projects loader, which adds the line number.
 */
export function validateServicesBlock(services: Record<string, unknown>): ServiceBlockIssue[] {
  const issues: ServiceBlockIssue[] = [];
  for (const [key, raw] of Object.entries(services)) {
    issues.push(...validateServiceEntry(key, raw));
  }
  if (issues.length > 0) return issues;

  const nodes = new Map(Object.entries(services).map(([key, raw]) => [key, { name: key, dependsOn: readDependsOn(raw) }]));
  const cycle = findCycle(nodes);
  if (cycle) issues.push({ path: [cycle[0]!, 'depends_on'], message: `forms a cycle: ${cycle.join(' -> ')}. Remove one of these dependencies` });

  return issues;
}

function readDependsOn(raw: unknown): string[] {
  const value = (raw as Record<string, unknown>)['depends_on'];

  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function validateServiceEntry(key: string, raw: unknown): ServiceBlockIssue[] {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(key)) {
    return [{ path: [key], message: 'is not a valid service name: use lowercase letters, digits and dashes, such as `model-server`' }];
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [{ path: [key], message: 'must be a mapping with at least `command`, such as `command: python3`' }];
  }

  const input = toDefinitionInput(key, raw as Record<string, unknown>);
  const reserved = Object.keys(raw).filter((field) => reservedKeys.has(snakeToCamel(field)));
  if (reserved.length > 0) return [{ path: [key, reserved[0]!], message: 'is set by the hub: remove it' }];

  const result = serviceDefinitionSchema.safeParse(input);
  if (result.success) return [];

  return result.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
    const fix = issue.code === 'unrecognized_keys' ? 'is not a service field: check its spelling (fields are snake_case, such as `depends_on`)' : issue.message;

    return { path: [key, ...keys.map((part, index) => (keys[0] === 'env' && index > 0 ? String(part) : camelToSnake(String(part))))], message: fix };
  });
}

/**
 * Converts the `services` block of a registered project into definition inputs.
 * Names become `<project>.<key>`; `depends_on` entries naming a sibling get the
 * same prefix, others name built-in services. `cwd` is relative to the project folder.
 */
export function projectServiceInputs(project: string, projectDir: string, services: Record<string, unknown>): ServiceDefinitionInput[] {
  const siblings = new Set(Object.keys(services));

  return Object.entries(services).map(([key, raw]) => {
    const input = toDefinitionInput(`${project}.${key}`, (raw ?? {}) as Record<string, unknown>);
    const cwd = typeof input.cwd === 'string' ? path.resolve(projectDir, input.cwd) : projectDir;
    const qualify = (name: string): string => (siblings.has(name) ? `${project}.${name}` : name);
    const dependsOn = Array.isArray(input.dependsOn) ? input.dependsOn.map(qualify) : input.dependsOn;

    return { ...input, cwd, dependsOn, injectHubEnv: true };
  });
}

function toDefinitionInput(name: string, raw: Record<string, unknown>): ServiceDefinitionInput {
  const converted: Record<string, unknown> = { name };
  for (const [key, value] of Object.entries(raw)) {
    const field = snakeToCamel(key);
    converted[field] = nestedObjects.has(field) && isPlainObject(value) ? convertKeys(value) : value;
  }

  return converted as ServiceDefinitionInput;
}

function convertKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [snakeToCamel(key), inner]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function snakeToCamel(key: string): string {
  return key.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

function camelToSnake(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
