import { type Command, Option } from 'commander';

import { type ProjectSummary } from '../../../common/methods/projects';
import { type RunPage, type RunSummary } from '../../../common/methods/tracking';
import { CliError, type CliDeps } from '../deps';
import { type HubConnection, withHub } from '../hubClient';
import { formatTable, formatTime, parseIntegerOption } from '../options';

interface RunsListOptions {
  project?: string;
  experiment?: string[];
  filter?: string;
  orderBy?: string[];
  max: number;
  json?: boolean;
}

/** `mlops-hub runs list`. */
export function register(program: Command, deps: CliDeps): void {
  const runs = program.command('runs').description('Inspect tracked runs.');

  runs
    .command('list')
    .description('List runs, newest first, with their status, start time, duration and latest metrics.')
    .option('--project <name>', 'only runs of this project')
    .option('--experiment <id>', 'only runs of this experiment id; repeat for several', collect)
    .option('--filter <expression>', "MLflow search filter, for example \"metrics.val_acc > 0.9 and params.alpha = '0.001'\"")
    .option('--order-by <clause>', 'MLflow order_by clause, for example "metrics.val_acc DESC"; repeat for several', collect)
    .addOption(new Option('--max <count>', 'maximum number of runs to print (1 to 50000)').default(100).argParser(parseIntegerOption('--max', 1, 50_000)))
    .option('--json', 'print the runs as JSON')
    .action(async (options: RunsListOptions) => {
      const input = { project: options.project, experimentIds: options.experiment, filter: options.filter, orderBy: options.orderBy, maxResults: options.max };
      const page = (await withHub(deps.dataDir, deps.warn, async (hub) => {
        if (options.project !== undefined) await requireProject(hub, options.project);
        return hub.call('runs:list', input);
      })) as RunPage;

      deps.print(options.json ? JSON.stringify(page, null, 2) : renderRuns(page));
    });
}

/** Rejects an unknown --project, which would otherwise list no runs as if the project were empty. */
async function requireProject(hub: HubConnection, name: string): Promise<void> {
  const projects = (await hub.call('projects:list', {})) as ProjectSummary[];
  if (projects.some((project) => project.name === name)) return;

  throw new CliError(`project \`${name}\` does not exist; list projects with \`mlops-hub projects list\``);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function renderRuns(page: RunPage): string {
  if (page.runs.length === 0) return 'No runs match.';

  const rows = page.runs.map((run) => [run.runId, run.runName, run.project, run.experimentId, run.status, formatTime(run.startTime), formatDuration(run), formatMetrics(run)]);
  const table = formatTable([['RUN ID', 'NAME', 'PROJECT', 'EXPERIMENT', 'STATUS', 'START', 'DURATION', 'LATEST METRICS'], ...rows]);

  return page.total > page.runs.length ? `${table}\n(${page.runs.length} of ${page.total} runs; raise --max to see more)` : table;
}

function formatDuration(run: RunSummary): string {
  if (!run.endTime || !run.startTime) return '-';

  const seconds = Math.max(0, Math.round((run.endTime - run.startTime) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60}s`;

  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}

/**
 * Formats at most four `key=value` pairs, numbers rounded to four significant
 * digits. The script's own metrics come before the hub's `system/` ones.
 */
function formatMetrics(run: RunSummary): string {
  const rank = (key: string): number => (key.startsWith('system/') ? 1 : 0);
  const entries = Object.entries(run.latestMetrics).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  const firstFour = entries.slice(0, 4).map(([key, value]) => `${key}=${typeof value === 'number' ? Number(value.toPrecision(4)) : value}`);

  return entries.length > 4 ? `${firstFour.join(' ')} …` : firstFour.join(' ') || '-';
}
