import fs from 'node:fs';
import path from 'node:path';

import { type Command } from 'commander';

import { projectSlugSchema, type ProjectSummary } from '../../../common/methods/projects';
import { configFileName } from '../../core/projects/mlopsYaml';
import { deriveProjectName } from '../../core/projects/projectRegistry';
import { CliError, type CliDeps } from '../deps';
import { withHub } from '../hubClient';
import { renderConfigTemplate } from './initTemplate';

/** `mlops-hub init`: writes a commented mlops.yaml in the current folder and registers the project. */
export function register(program: Command, deps: CliDeps): void {
  program
    .command('init')
    .description(`Write a commented ${configFileName} in the current folder and register the folder as a project. Never overwrites an existing ${configFileName}.`)
    .option('--name <name>', 'project name (a slug: lowercase letters, digits and dashes); default: derived from the folder name')
    .action(async (options: { name?: string }) => init(options, deps));
}

async function init(options: { name?: string }, deps: CliDeps): Promise<void> {
  const name = options.name ?? deriveProjectName(deps.cwd);
  if (!projectSlugSchema.safeParse(name).success) {
    throw new CliError(`\`--name\` must be a slug of lowercase letters, digits and dashes; got \`${name}\``);
  }

  const file = path.join(deps.cwd, configFileName);
  try {
    fs.writeFileSync(file, renderConfigTemplate(name), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError(`${file} already exists; edit it, or register the folder with \`mlops-hub projects add .\``);
    throw error;
  }
  deps.print(`Wrote ${file}`);

  const project = await withHub(deps.dataDir, deps.warn, (hub) => hub.call('projects:add', { path: deps.cwd, name }));
  deps.print(`Registered project ${(project as ProjectSummary).name}`);
}
