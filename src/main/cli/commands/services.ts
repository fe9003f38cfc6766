import { type Command } from 'commander';

import { type ServiceInfo, type ServiceLogs } from '../../../common/methods/services';
import { CliError, type CliDeps } from '../deps';
import { connectHub } from '../hubClient';
import { formatTable, parseIntegerOption } from '../options';

/** `mlops-hub services list|start|stop|restart|logs`. */
export function register(program: Command, deps: CliDeps): void {
  const services = program.command('services').description('List, start, stop and restart the managed services, and show their logs.');

  services
    .command('list')
    .description('List services with state, pid, port, CPU and memory.')
    .option('--json', 'print the services as JSON')
    .action(async (options: { json?: boolean }) => {
      const list = (await callRunningHub(deps, 'services:list', {}, false)) as ServiceInfo[];
      deps.print(options.json ? JSON.stringify(list, null, 2) : renderServices(list));
    });

  for (const verb of ['start', 'stop', 'restart'] as const) {
    services
      .command(verb)
      .description(verbDescriptions[verb])
      .argument('<name>', 'service name, as `services list` shows it')
      .action(async (name: string) => {
        const info = (await callRunningHub(deps, `services:${verb}`, { name }, true)) as ServiceInfo;
        deps.print(`${info.name}: ${info.state}${info.pid ? ` (pid ${info.pid})` : ''}${info.reason ? `: ${info.reason}` : ''}`);
      });
  }

  services
    .command('logs')
    .description('Print the latest log lines of a service and, after a crash, the lines printed before it.')
    .argument('<name>', 'service name')
    .option('-n, --lines <count>', 'number of latest lines to print (1 to 5000)', parseIntegerOption('--lines', 1, 5000), 200)
    .action(async (name: string, options: { lines: number }) => {
      const logs = (await callRunningHub(deps, 'services:logs', { name, lines: options.lines }, false)) as ServiceLogs;
      if (logs.lines.length === 0) deps.print('no log yet: the service has not been started');
      for (const line of logs.lines) deps.print(line);
      if (logs.crashLines.length > 0) {
        deps.print('--- lines before the last crash ---');
        for (const line of logs.crashLines) deps.print(line);
      }
    });
}

const verbDescriptions = {
  start: 'Start a service after the services it depends on.',
  stop: 'Stop a service after the running services that depend on it.',
  restart: 'Stop a service and the running services that depend on it, then start them all again.',
} as const;

/** Calls the running hub; commands that change services need one, because an in-process hub would stop them on exit. */
async function callRunningHub(deps: CliDeps, name: string, input: unknown, requireRunning: boolean): Promise<unknown> {
  const hub = await connectHub(deps.dataDir, deps.warn);
  try {
    if (requireRunning && !hub.remote) throw new CliError('no hub is running, and services run only inside one: start it with `mlops-hub serve` or the desktop app');

    return await hub.call(name, input);
  } finally {
    await hub.close();
  }
}

/** Formats the `services list` table; a multi-line note is joined into one line so each row stays one line. */
export function renderServices(list: readonly ServiceInfo[]): string {
  const rows = list.map((service) => [
    service.name,
    service.state,
    service.pid === null ? '-' : String(service.pid),
    service.port === null ? '-' : String(service.port),
    service.cpuCores === null ? '-' : `${(service.cpuCores * 100).toFixed(1)}%`,
    service.memoryBytes === null ? '-' : `${(service.memoryBytes / 1024 / 1024).toFixed(0)} MiB`,
    String(service.restarts),
    (service.state === 'not-installed' ? `install: ${service.installCommand ?? '-'}` : (service.reason ?? '')).replace(/\s*\n\s*/g, ' '),
  ]);

  return formatTable([['NAME', 'STATE', 'PID', 'PORT', 'CPU', 'MEMORY', 'RESTARTS', 'NOTE'], ...rows]);
}
