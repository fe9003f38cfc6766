import fs from 'node:fs';
import path from 'node:path';

import { HubError } from '../../../common/errors';
import type { ServiceDefinition } from './definition';
import { resolveProgram, searchFolders, type ProgramSearch } from './detection';
import { findPortHolder, isPortFree, pickFreePort } from './portCheck';

/** Everything needed to spawn one service, after every pre-flight check passed. */
export interface LaunchPlan {
  program: string;
  args: string[];
  cwd: string;
  /** Environment variables of the definition, placeholders replaced. */
  env: Record<string, string>;
  port: number | null;
  readinessUrl: string | null;
}

export interface LaunchContext {
  dataDir: string;
  /** Folder of this service's own data, `<dataDir>/services/<name>`; created before start. */
  serviceDir: string;
  /** Origin of the definition named in error messages: `services settings` or the project's mlops.yaml. */
  origin: string;
  search: ProgramSearch;
  /** The hub's `127.0.0.1:PORT`, or null when it does not listen on TCP. */
  hubHost: string | null;
  tokenFile: string;
}

/** Describes a missing program: where the hub looked and how to install it. */
export function describeMissingProgram(definition: ServiceDefinition, context: LaunchContext): string {
  const where = definition.command.includes('/') ? `at ${definition.command}` : `in ${searchFolders(context.search).join(', ') || 'an empty PATH'}`;
  const install = definition.installCommand ? `Install it with \`${definition.installCommand}\`` : 'Install it';

  return `program \`${definition.command}\` was not found ${where}. ${install}, or set \`pythonEnvDir\` in services settings to the Python environment that has it.`;
}

/**
 * Runs the pre-flight checks (program installed, port free, working folder
 * present), writes generated files and returns the plan. Throws HubError naming the field and the fix.
 */
export async function prepareLaunch(definition: ServiceDefinition, context: LaunchContext): Promise<LaunchPlan> {
  const program = resolveProgram(definition.command, context.search);
  if (!program) throw new HubError('INVALID_STATE', `Cannot start service \`${definition.name}\`: ${describeMissingProgram(definition, context)}`);

  const port = await choosePort(definition, context);
  const values: Record<string, string> = {
    port: port === null ? '' : String(port),
    dataDir: context.dataDir,
    serviceDir: context.serviceDir,
    hubHost: context.hubHost ?? '',
    tokenFile: context.tokenFile,
  };
  const expand = (text: string): string => text.replace(/\{(port|dataDir|serviceDir|hubHost|tokenFile)\}/g, (_match, key: string) => values[key] ?? '');

  fs.mkdirSync(context.serviceDir, { recursive: true, mode: 0o700 });
  const cwd = path.resolve(context.serviceDir, expand(definition.cwd ?? '{serviceDir}'));
  if (!isDirectory(cwd)) {
    throw new HubError('INVALID_PARAMETER_VALUE', `Cannot start service \`${definition.name}\`: working folder ${cwd} (\`cwd\`) does not exist. Create it or fix \`cwd\` in ${context.origin}.`);
  }

  for (const file of definition.files) {
    const target = expand(file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    fs.writeFileSync(target, expand(file.content), { mode: 0o600 });
  }

  return {
    program,
    args: definition.args.map(expand),
    cwd,
    env: Object.fromEntries(Object.entries(definition.env).map(([key, value]) => [key, expand(value)])),
    port,
    readinessUrl: definition.readiness.type === 'http' ? expand(definition.readiness.url) : null,
  };
}

async function choosePort(definition: ServiceDefinition, context: LaunchContext): Promise<number | null> {
  if (definition.port === null) return definition.pickFreePort ? pickFreePort() : null;
  if (await isPortFree(definition.port)) return definition.port;
  if (definition.pickFreePort) return pickFreePort();

  const holder = findPortHolder(definition.port);
  const owner = holder ? `pid ${holder.pid} (\`${holder.command.slice(0, 120)}\`)` : 'another process';
  // mlops.yaml spells fields in snake_case, services settings in camelCase.
  const pickField = context.origin.includes('mlops.yaml') ? 'pick_free_port: true' : 'pickFreePort: true';

  throw new HubError(
    'RESOURCE_CONFLICT',
    `Cannot start service \`${definition.name}\`: port ${definition.port} is in use by ${owner}. Stop that process, set another \`port\` in ${context.origin}, or set \`${pickField}\`.`,
  );
}

function isDirectory(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}
