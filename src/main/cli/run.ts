import { CommanderError, type Command } from 'commander';

import { HubError } from '../../common/errors';
import { CliError, type CliDeps } from './deps';
import { createProgram } from './program';

/** Runs the CLI with `argv` (as in process.argv) and returns the exit code. */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const program = createProgram(deps);
  let commandName = 'mlops-hub';
  program.hook('preAction', (_root: Command, action: Command) => {
    commandName = commandPath(action);
  });

  try {
    await program.parseAsync([...argv]);

    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;

    deps.warn(`mlops-hub: ${commandName}: ${describeFailure(error)}`);

    return error instanceof CliError ? error.exitCode : 1;
  }
}

/** `projects add` for the nested command `mlops-hub projects add`. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current?.parent; current = current.parent) names.unshift(current.name());

  return names.join(' ');
}

/** Hub input errors start with the method name (`projects:add: ...`), which the CLI's command prefix already names. */
const methodPrefix = /^[a-z][a-zA-Z]*:[a-z][a-zA-Z]*: /;

function describeFailure(error: unknown): string {
  if (error instanceof HubError) return error.message.replace(methodPrefix, '');
  if (error instanceof CliError) return error.message;
  if (error instanceof Error) return error.message;

  return String(error);
}
