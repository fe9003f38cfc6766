import fs from 'node:fs';
import path from 'node:path';

import { type Command } from 'commander';

import { projectSlugSchema, type ProjectSummary } from '../../../common/methods/projects';
import { configFileName } from '../../core/projects/mlopsYaml';
import { deriveProjectName } from '../../core/projects/projectRegistry';
import { CliError, type CliDeps } from '../deps';
import { type HubConnection, withHub } from '../hubClient';
import { renderConfigTemplate } from './initTemplate';

/** `mlops-hub init`: writes a commented mlops.yaml in the current folder and registers the project. */
export function register(program: Command, deps: CliDeps): void {
  program
    .command('init')
    .description(`Write a commented ${configFileName} in the current folder and register the folder as a project. Never overwrites an existing ${configFileName}.`)
    .option('--name <name>', 'project name (a slug: lowercase letters, digits and dashes); default: the registered name, else derived from the folder name')
    .action(async (options: { name?: string }) => withHub(deps.dataDir, deps.warn, (hub) => init(hub, options, deps)));
}

async function init(hub: HubConnection, options: { name?: string }, deps: CliDeps): Promise<void> {
  const file = path.join(deps.cwd, configFileName);
  const folder = fs.realpathSync(deps.cwd);
  const registered = ((await hub.call('projects:list', {})) as ProjectSummary[]).find((project) => project.path === folder);
  if (fs.existsSync(file)) throw existingConfigError(file, registered);
  if (registered && options.name !== undefined && options.name !== registered.name) {
    throw new CliError(`${folder} is already registered as project \`${registered.name}\`; rename it with \`mlops-hub projects rename ${registered.name} ${options.name}\``);
  }

  const name = options.name ?? registered?.name ?? deriveProjectName(folder);
  if (!projectSlugSchema.safeParse(name).success) throw new CliError(`\`--name\` must be a slug of lowercase letters, digits and dashes; got \`${name}\``);

  writeTemplate(file, name, registered);
  deps.print(`Wrote ${file}`);

  if (registered) {
    deps.print(`Project ${name} was already registered`);
    return;
  }
  await hub.call('projects:add', { path: folder, name });
  deps.print(`Registered project ${name}`);
}

/** Builds the error for a folder that already has an mlops.yaml, naming its registered project or the command that registers it. */
function existingConfigError(file: string, registered: ProjectSummary | undefined): CliError {
  if (registered) return new CliError(`${file} already exists and the folder is registered as project \`${registered.name}\`; edit the file to change its settings`);

  return new CliError(`${file} already exists; edit it, or register the folder with \`mlops-hub projects add .\``);
}

function writeTemplate(file: string, name: string, registered: ProjectSummary | undefined): void {
  try {
    fs.writeFileSync(file, renderConfigTemplate(name), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw existingConfigError(file, registered);
    throw new CliError(`cannot write ${file}: ${(error as Error).message}`);
  }
}
