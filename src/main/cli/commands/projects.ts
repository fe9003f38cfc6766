import path from 'node:path';

import { type Command } from 'commander';

import { type ProjectDetail, type ProjectRemoval, type ProjectSummary } from '../../../common/methods/projects';
import { type CliDeps } from '../deps';
import { withHub } from '../hubClient';
import { formatTable, formatTime } from '../options';

/** `mlops-hub projects add|list|rename|remove`. */
export function register(program: Command, deps: CliDeps): void {
  const projects = program.command('projects').description('Register, list, rename and remove projects.');
  const call = (name: string, input: unknown): Promise<unknown> => withHub(deps.dataDir, deps.warn, (hub) => hub.call(name, input));

  projects
    .command('add')
    .description('Register a project folder. Its mlops.yaml, if any, is validated; the name comes from --name, else mlops.yaml, else the folder name.')
    .argument('<path>', 'project folder, absolute or relative to the current folder')
    .option('--name <name>', 'project name (a slug: lowercase letters, digits and dashes)')
    .action(async (folder: string, options: { name?: string }) => {
      const project = (await call('projects:add', { path: path.resolve(deps.cwd, folder), name: options.name })) as ProjectDetail;
      deps.print(`Registered project ${project.name} (${project.path ?? ''})`);
      if (project.config === null) {
        deps.warn(`mlops-hub: ${project.path ?? folder} has no mlops.yaml, so scripts log to this project only with start_run(project="${project.name}"); run \`mlops-hub init\` there to write one`);
      }
    });

  projects
    .command('list')
    .description('List projects with their run counts and last activity.')
    .option('--json', 'print the projects as JSON')
    .action(async (options: { json?: boolean }) => {
      const list = (await call('projects:list', {})) as ProjectSummary[];
      deps.print(options.json ? JSON.stringify(list, null, 2) : renderProjects(list));
    });

  projects
    .command('rename')
    .description("Rename a project; its experiments move to the new name.")
    .argument('<name>', 'current project name')
    .argument('<new-name>', 'new project name (a slug: lowercase letters, digits and dashes)')
    .action(async (name: string, newName: string) => {
      await call('projects:rename', { name, newName });
      deps.print(`Renamed project ${name} to ${newName}`);
    });

  projects
    .command('remove')
    .description('Unregister a project. Its experiments and runs are kept unless --purge is given; --purge also deletes the runs of a project listed as not registered.')
    .argument('<name>', 'project name')
    .option('--purge', "also delete the project's experiments, runs and metrics", false)
    .action(async (name: string, options: { purge: boolean }) => {
      const removal = (await call('projects:remove', { name, purge: options.purge })) as ProjectRemoval;
      if (!options.purge) {
        deps.print(`Removed project ${name}; its runs are kept`);
        return;
      }

      deps.print(`Removed project ${name} and deleted ${plural(removal.deletedRuns, 'run')} in ${plural(removal.deletedExperiments, 'experiment')}`);
      // A rename moves experiments to the new name, so runs of this folder can sit under another project.
      if (removal.deletedExperiments === 0) deps.warn(`mlops-hub: no experiment belongs to project ${name}; \`mlops-hub projects list\` lists the projects that have runs`);
    });
}

function renderProjects(list: readonly ProjectSummary[]): string {
  const rows = list.map((project) => [
    project.name,
    project.priority,
    String(project.weight),
    String(project.experimentCount),
    String(project.runCount),
    String(project.activeRuns),
    formatTime(project.lastActivity),
    project.registered ? (project.path ?? '-') : '(not registered)',
  ]);

  return formatTable([['NAME', 'PRIORITY', 'WEIGHT', 'EXPERIMENTS', 'RUNS', 'ACTIVE', 'LAST ACTIVITY', 'PATH'], ...rows]);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
