import { Command } from 'commander';

import { hubVersion } from '../core/settings';
import { type CliDeps } from './deps';
import { register as registerHw } from './commands/hw';
import { register as registerInit } from './commands/init';
import { register as registerLeases } from './commands/leases';
import { register as registerProjects } from './commands/projects';
import { register as registerRun } from './commands/run';
import { register as registerRuns } from './commands/runs';
import { register as registerServe } from './commands/serve';
import { register as registerServices } from './commands/services';
import { register as registerStatus } from './commands/status';

/**
 * Builds the `mlops-hub` command tree. Output settings and `exitOverride` are set before
 * the commands are added, because commander copies them to subcommands only then.
 */
export function createProgram(deps: CliDeps): Command {
  const program = new Command('mlops-hub')
    .description(
      'MLOps Hub: experiment tracking, projects and the local API of one machine. Commands other than serve talk to the running hub over its Unix socket, or open the store directly when no hub runs. The data folder is MLOPS_HUB_HOME, else the platform default.',
    )
    .version(hubVersion, '--version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (text) => process.stderr.write(text.replace(/^error: /, 'mlops-hub: ')) })
    .exitOverride();

  for (const register of [registerServe, registerStatus, registerInit, registerProjects, registerRuns, registerServices, registerLeases, registerRun, registerHw]) register(program, deps);

  return program;
}
