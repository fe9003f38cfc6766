import { type Command } from 'commander';

import type { LeaseOverview, LeaseResources, LeaseView } from '../../../common/methods/leases';
import { CliError, type CliDeps } from '../deps';
import { withHub } from '../hubClient';
import { formatTable } from '../options';

/** `mlops-hub leases list|release`. */
export function register(program: Command, deps: CliDeps): void {
  const leases = program.command('leases').description('List resource leases and the queue, or release a lease.');

  leases
    .command('list')
    .description('List granted and queued leases with their resources and wait reasons, then capacity, use and thermal level.')
    .option('--all', 'also list leases that ended recently')
    .option('--json', 'print the overview as JSON')
    .action(async (options: { all?: boolean; json?: boolean }) => {
      const overview = (await withHub(deps.dataDir, deps.warn, (hub) => hub.call('leases:list', {}))) as LeaseOverview;
      if (options.json) {
        deps.print(JSON.stringify(overview, null, 2));
        return;
      }

      const shown = options.all ? overview.leases : overview.leases.filter((lease) => ['queued', 'granted', 'paused'].includes(lease.state));
      deps.print(shown.length === 0 ? 'no leases' : renderLeases(shown));
      deps.print(renderSummary(overview));
    });

  leases
    .command('release')
    .description('Release a lease as the user; its holder sees it revoked. The queue moves on at once.')
    .argument('<id>', 'lease id, or a unique prefix of it as `leases list` shows it')
    .action(async (id: string) => {
      const view = (await withHub(deps.dataDir, deps.warn, async (hub) => {
        const overview = (await hub.call('leases:list', {})) as LeaseOverview;
        return hub.call('leases:release', { leaseId: resolveLeaseId(id, overview.leases) });
      })) as LeaseView;
      deps.print(`${view.leaseId}: ${view.state}${view.endReason ? ` (${view.endReason})` : ''}`);
    });
}

/** Full id of the one lease whose id starts with `prefix`. */
export function resolveLeaseId(prefix: string, leases: readonly LeaseView[]): string {
  const matches = leases.filter((lease) => lease.leaseId.startsWith(prefix));
  if (matches.length === 1 && matches[0]) return matches[0].leaseId;
  if (matches.length === 0) throw new CliError(`no lease id starts with \`${prefix}\`; run \`mlops-hub leases list --all\` to see the ids`);

  throw new CliError(`${matches.length} leases start with \`${prefix}\`; give more characters of the id`);
}

export function formatResources(resources: LeaseResources): string {
  const parts: string[] = [];
  if (resources.memoryGb > 0) parts.push(`${resources.memoryGb} GB`);
  if (resources.gpuShare > 0) parts.push(`GPU ${resources.gpuShare}`);
  if (resources.neuralEngine) parts.push('ANE');
  if (resources.cpuCores > 0) parts.push(`${resources.cpuCores} CPU`);

  return parts.join(', ') || '-';
}

function renderLeases(leases: readonly LeaseView[]): string {
  const rows = leases.map((lease) => [
    lease.leaseId.slice(0, 8),
    lease.project,
    lease.pauseRequested && lease.state === 'granted' ? 'granted (pause requested)' : lease.state,
    lease.priority,
    String(lease.pid),
    formatResources(lease.resources),
    describeLeaseNote(lease),
  ]);

  return formatTable([['ID', 'PROJECT', 'STATE', 'PRIORITY', 'PID', 'RESOURCES', 'NOTE'], ...rows]);
}

function describeLeaseNote(lease: LeaseView): string {
  if (lease.queue) return `#${lease.queue.position}: ${lease.queue.message}`;
  if (lease.pauseReason) return lease.pauseReason;
  if (lease.endReason) return lease.endReason;
  if (lease.label) return lease.label;

  return '';
}

function renderSummary(overview: LeaseOverview): string {
  const { capacity, used } = overview;
  const memory = `memory ${round(used.memoryGb)}/${capacity.memoryGb} GB`;
  const gpu = `GPU ${round(used.gpuShare)}/${capacity.gpuShare}`;
  const ane = `ANE ${used.neuralEngine}/${capacity.neuralEngine}`;
  const cpu = `CPU ${round(used.cpuCores)}/${capacity.cpuCores}`;

  return `${memory}, ${gpu}, ${ane}, ${cpu}; queue ${overview.queueLength}; thermal ${overview.thermalLevel}`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
