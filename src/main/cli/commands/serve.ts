import fs from 'node:fs';
import path from 'node:path';

import { type Command, Option } from 'commander';

import { readTraceFile } from '../../core/hardware/traceFile';
import { createHub } from '../../core/hub';
import { createLogger } from '../../core/logger';
import { resolveHubPaths } from '../../core/paths';
import { defaultPort, loopbackHost } from '../../core/settings';
import { CliError, type CliDeps } from '../deps';
import { parseIntegerOption } from '../options';
import { warnTraceProblems } from './hw';

interface ServeOptions {
  port: number;
  host: string;
  staticDir?: string;
  replay?: string;
  sampleIntervalMs?: number;
}

/** `mlops-hub serve`: runs the headless hub until SIGINT or SIGTERM. */
export function register(program: Command, deps: CliDeps): void {
  program
    .command('serve')
    .description('Run the hub without the menu bar: local API on the Unix socket and on 127.0.0.1, dashboard in the browser. The first line on stdout is the dashboard URL with its token.')
    .addOption(new Option('--port <port>', 'TCP port on 127.0.0.1; 0 picks a free port').default(defaultPort).argParser(parseIntegerOption('--port', 0, 65535)))
    .addOption(new Option('--host <address>', 'address to listen on; only 127.0.0.1 is accepted, the hub never listens beyond loopback').default(loopbackHost))
    .addOption(new Option('--static-dir <folder>', 'folder of the dashboard build (default: out/renderer of this checkout)'))
    .addOption(new Option('--replay <file>', 'replay a recorded hardware trace (helper JSON lines or powermetrics plist) instead of sampling this machine, for demos and tests'))
    .addOption(new Option('--sample-interval-ms <ms>', 'time between hardware samples, in milliseconds').argParser(parseIntegerOption('--sample-interval-ms', 100, 60_000)))
    .action(async (options: ServeOptions) => serve(options, deps));
}

async function serve(options: ServeOptions, deps: CliDeps): Promise<void> {
  if (options.host !== loopbackHost) throw new CliError(`\`--host\` must be ${loopbackHost}; got \`${options.host}\` (the hub never listens beyond loopback)`);

  const replayFile = options.replay === undefined ? undefined : path.resolve(options.replay);
  if (replayFile !== undefined && !fs.existsSync(replayFile)) throw new CliError(`\`--replay\` file ${replayFile} does not exist; pass a trace recorded with \`hwhelper stream\` or \`powermetrics -f plist\``);
  if (replayFile !== undefined) checkReplayFile(replayFile, deps);

  const paths = resolveHubPaths(deps.dataDir);
  const logFile = path.join(paths.logsDir, 'hub.log');
  const log = createLogger({ file: logFile, echo: true });
  const hub = await createHub({ dataDir: deps.dataDir, log, listen: { port: options.port, staticDir: options.staticDir },
    hardware: { replayFile, intervalMs: options.sampleIntervalMs },
  });

  deps.print(`${hub.dashboardUrl ?? ''}?token=${hub.token}`);
  deps.warn(`mlops-hub: serving; MLflow tracking URI http://${loopbackHost}:${hub.port ?? ''}, socket ${paths.socketPath}, log ${logFile}`);

  const serveLog = log.child('serve');
  // A stray rejected promise in one request must not take the whole hub down.
  process.on('unhandledRejection', (reason) => serveLog.error('serve(): unhandled promise rejection', reason));

  const signal = await waitForSignal();
  serveLog.info(`serve(): stopping on ${signal}`);
  await hub.close();
}

/** Parses the replay file before the hub starts, so an unusable file fails `serve` instead of silently sampling this machine. */
function checkReplayFile(file: string, deps: CliDeps): void {
  try {
    warnTraceProblems(readTraceFile(file), `serve --replay: ${file}`, deps);
  } catch (error) {
    throw new CliError(`\`--replay\` file is unusable: ${(error as Error).message}`);
  }
}

/** Resolves with the name of the first SIGINT or SIGTERM; a second signal then ends the process at once. */
function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
