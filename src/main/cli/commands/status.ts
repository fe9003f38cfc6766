import fs from 'node:fs';

import { type Command } from 'commander';

import { type HubStatus } from '../../../common/methods/hub';
import { isSocketAccepting } from '../../core/api/httpServer';
import { resolveHubPaths } from '../../core/paths';
import { CliError, type CliDeps } from '../deps';
import { callHub } from '../hubClient';
import { formatTime } from '../options';

/** `mlops-hub status`: prints the running hub's addresses; exits 1 when no hub runs. */
export function register(program: Command, deps: CliDeps): void {
  program
    .command('status')
    .description('Show whether the hub is running, its version, addresses and active runs. Exits with 1 when no hub is running.')
    .option('--json', 'print the status as JSON')
    .action(async (options: { json?: boolean }) => {
      const { socketPath, tokenFile } = resolveHubPaths(deps.dataDir);
      if (!(await isSocketAccepting(socketPath))) throw new CliError(`the hub is not running (no process accepts connections on ${socketPath}); start it with \`mlops-hub serve\``);

      const reply = (await callHub(socketPath, 'hub:status', {})) as HubStatus;
      // The dashboard's login page sends users here for the URL, so it carries the token as `serve` prints it.
      const status = { ...reply, dashboardUrl: reply.dashboardUrl === null ? null : withToken(reply.dashboardUrl, tokenFile, deps) };
      if (options.json) {
        deps.print(JSON.stringify(status, null, 2));
        return;
      }
      deps.print(`MLOps Hub ${status.version}: running since ${formatTime(status.startedAt)}`);
      deps.print(`dashboard:   ${status.dashboardUrl ?? 'TCP listener off'}`);
      deps.print(`socket:      ${status.socketPath}`);
      deps.print(`data folder: ${status.dataDir}`);
      deps.print(`active runs: ${status.activeRuns}`);
    });
}

/**
 * Appends `?token=` with the token from the user's own token file (mode
 * 0600) to the dashboard URL. Without a readable token the bare URL is
 * returned with a warning that names the reason.
 */
function withToken(dashboardUrl: string, tokenFile: string, deps: CliDeps): string {
  let token: string;
  try {
    token = fs.readFileSync(tokenFile, 'utf8').trim();
  } catch (error) {
    deps.warn(`mlops-hub: cannot read the token file ${tokenFile} (${(error as Error).message}); the dashboard will ask for the token`);
    return dashboardUrl;
  }

  return `${dashboardUrl}?token=${encodeURIComponent(token)}`;
}
