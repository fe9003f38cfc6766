import fs from 'node:fs';
import path from 'node:path';

import { configFileName, parseProjectConfig, type ConfigIssue } from '../projects/mlopsYaml';
import type { ServiceDefinition } from './definition';
import { validateServicesBlock } from './projectServices';

/** The usable part of a project's `services` block and the errors that removed the rest. */
export interface ProjectServicesBlock {
  services: Record<string, unknown>;
  /** Messages naming the file, line, field and fix, for `services list` and `services start`. */
  errors: string[];
}

/**
 * Reads the `services` block of the project in `folder` straight from its
 * `mlops.yaml`. An error local to one service (a bad port, a misspelled field)
 * removes only that service. Malformed YAML, another invalid key of the file
 * or a `depends_on` cycle removes the whole block.
 */
export function readProjectServicesBlock(folder: string): ProjectServicesBlock {
  const file = path.join(folder, configFileName);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { services: {}, errors: [] };

    return { services: {}, errors: [`${file}: cannot read it: ${(error as Error).message}`] };
  }

  let block: Record<string, unknown>;
  try {
    block = parseProjectConfig(text).services ?? {};
  } catch (error) {
    return { services: {}, errors: [`${file}: ${(error as Error).message}. No service of this project is loaded until it is fixed.`] };
  }

  const issues = validateServicesBlock(block);
  const errors = issues.map((issue) => `${file}: ${describeIssue(text, issue)}`);
  if (issues.some((issue) => issue.path[1] === 'depends_on' && issue.message.includes('cycle'))) {
    return { services: {}, errors: errors.map((message) => `${message}. No service of this project is loaded until it is fixed.`) };
  }

  const invalid = new Set(issues.map((issue) => String(issue.path[0])));

  return { services: Object.fromEntries(Object.entries(block).filter(([key]) => !invalid.has(key))), errors };
}

/** Formats one issue as the projects loader does, with the line number of its key. */
function describeIssue(text: string, issue: ConfigIssue): string {
  try {
    parseProjectConfig(text, [() => [issue]]);
  } catch (error) {
    return (error as Error).message;
  }

  return `\`services.${issue.path.join('.')}\` ${issue.message}`;
}

/**
 * Removes definitions whose `depends_on` names a service that is neither in
 * `definitions` nor in `otherNames`, then the ones that depended on those, so
 * the project's other services still load.
 */
export function dropUnknownDependencies(definitions: readonly ServiceDefinition[], otherNames: readonly string[]): { definitions: ServiceDefinition[]; errors: string[] } {
  let kept = [...definitions];
  const errors: string[] = [];

  for (;;) {
    const known = new Set([...otherNames, ...kept.map((definition) => definition.name)]);
    const broken = kept.filter((definition) => definition.dependsOn.some((dependency) => !known.has(dependency)));
    if (broken.length === 0) return { definitions: kept, errors };

    for (const definition of broken) {
      const missing = definition.dependsOn.filter((dependency) => !known.has(dependency));
      errors.push(`Service \`${definition.name}\` depends on unknown service \`${missing.join('`, `')}\`: fix \`depends_on\` to name one of ${[...known].join(', ')}.`);
    }
    kept = kept.filter((definition) => !broken.includes(definition));
  }
}
