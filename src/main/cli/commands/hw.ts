import { type Command, Option } from 'commander';

import { HubError } from '../../../common/errors';
import { type HardwareInfo, type HardwareSample, type HardwareStatus, type HistoryMinute, maxLiveSamples } from '../../../common/methods/hardware';
import { defaultHelperPath } from '../../core/hardware/domain';
import { readHelperInfo, readNodeInfo } from '../../core/hardware/hardwareInfo';
import { ReplaySource } from '../../core/hardware/replaySource';
import { packagePowerWatts } from '../../core/hardware/runMetrics';
import { PowermetricsStream } from '../../core/hardware/powermetricsParser';
import { describeSkipped, type ParsedTrace, readTraceFile } from '../../core/hardware/traceFile';
import { isSocketAccepting } from '../../core/api/httpServer';
import { resolveHubPaths } from '../../core/paths';
import { CliError, type CliDeps } from '../deps';
import { withHub } from '../hubClient';
import { formatTable, formatTime, parseIntegerOption } from '../options';

/** `mlops-hub hw info|live|history|parse`. */
export function register(program: Command, deps: CliDeps): void {
  const hw = program.command('hw').description('Show the machine, live hardware samples and their history, or convert recorded traces.');

  hw.command('info')
    .description('Show the chip, the sample source, notices and throttling. Without a running hub, asks the helper directly.')
    .option('--json', 'print the status as JSON')
    .action(async (options: { json?: boolean }) => {
      const status = (await withHub(deps.dataDir, deps.warn, (hub) => hub.call('hardware:info', {}))) as HardwareStatus;
      const info = status.info ?? (await readInfoDirectly());
      deps.print(options.json ? JSON.stringify({ ...status, info }, null, 2) : renderInfo(status, info));
    });

  hw.command('live')
    .description('Print the latest samples as JSON lines, oldest first; with --replay, play a recorded trace instead.')
    .addOption(new Option('--count <n>', `number of samples (1 to ${maxLiveSamples})`).default(10).argParser(parseIntegerOption('--count', 1, maxLiveSamples)))
    .option('--replay <file>', 'play back a helper trace or powermetrics file at --interval-ms, printing --count samples')
    .addOption(new Option('--interval-ms <ms>', 'time between replayed samples in milliseconds (100 to 60000)').default(1000).argParser(parseIntegerOption('--interval-ms', 100, 60_000)))
    .action(async (options: { count: number; replay?: string; intervalMs: number }) => {
      if (options.replay !== undefined) {
        await replay(options.replay, options.count, options.intervalMs, deps);
        return;
      }
      const { socketPath } = resolveHubPaths(deps.dataDir);
      if (!(await isSocketAccepting(socketPath))) throw new CliError(`no hub is running (no process accepts connections on ${socketPath}); start one with \`mlops-hub serve\`, or pass --replay FILE`);

      const samples = (await withHub(deps.dataDir, deps.warn, (hub) => hub.call('hardware:live', { count: options.count }))) as HardwareSample[];
      if (samples.length === 0) deps.warn('mlops-hub: hw live: the hub has no samples yet; try again in a second');
      for (const sample of samples) deps.print(JSON.stringify(sample));
    });

  hw.command('history')
    .description('Show per-minute CPU, GPU and Neural Engine power, temperature and memory for the last N minutes (the hub keeps 30 days).')
    .addOption(new Option('--minutes <n>', 'how far back to look, in minutes (1 to 43200)').default(60).argParser(parseIntegerOption('--minutes', 1, 43_200)))
    .option('--json', 'print the minutes as JSON')
    .action(async (options: { minutes: number; json?: boolean }) => {
      const toMs = Date.now();
      const input = { fromMs: toMs - options.minutes * 60_000, toMs };
      const minutes = (await withHub(deps.dataDir, deps.warn, (hub) => hub.call('hardware:history', input))) as HistoryMinute[];
      deps.print(options.json ? JSON.stringify(minutes, null, 2) : renderHistory(minutes));
    });

  hw.command('parse')
    .description(
      'Print the samples of a recorded helper trace or `powermetrics -f plist` file as JSON lines in the helper\'s format. With `-`, read powermetrics output from stdin as it arrives: `sudo powermetrics --samplers cpu_power,gpu_power,thermal -f plist | mlops-hub hw parse -`.',
    )
    .argument('<file>', 'helper trace (JSON lines) or powermetrics plist output, or - for powermetrics on stdin')
    .action(async (file: string) => {
      if (file === '-') {
        await parseStdin(process.stdin, deps);
        return;
      }
      const trace = readTraceFile(file);
      for (const sample of trace.samples) deps.print(JSON.stringify(sample));
      warnTraceProblems(trace, `hw parse: ${file}`, deps);
    });
}

/** Reports skipped records and nulled values of a trace on stderr; the good samples are used anyway. */
export function warnTraceProblems(trace: ParsedTrace, context: string, deps: Pick<CliDeps, 'warn'>): void {
  const skipped = describeSkipped(trace);
  if (skipped) deps.warn(`mlops-hub: ${context}: ${skipped}`);
  if (trace.badValues > 0) deps.warn(`mlops-hub: ${context}: set ${trace.badValues} negative power value${trace.badValues === 1 ? '' : 's'} to null`);
}

/**
 * Prints each powermetrics record from `input` as soon as its closing NUL
 * arrives. Bad records are skipped and reported at the end; fails only when
 * no record at all could be read.
 */
export async function parseStdin(input: NodeJS.ReadableStream, deps: CliDeps): Promise<void> {
  const stream = new PowermetricsStream();
  let printed = 0;
  const print = (samples: readonly HardwareSample[]): void => {
    for (const sample of samples) deps.print(JSON.stringify(sample));
    printed += samples.length;
  };

  input.setEncoding('utf8');
  for await (const chunk of input) print(stream.push(chunk as string));
  print(stream.end());

  const trace: ParsedTrace = { format: 'powermetrics', samples: [], skipped: stream.skipped.map(({ byteOffset, reason }) => ({ position: { byte: byteOffset }, reason })), badValues: stream.badValues };
  const first = stream.skipped[0];
  if (printed === 0 && first) throw new HubError('INVALID_PARAMETER_VALUE', `invalid powermetrics output on stdin: ${first.reason}; expected \`powermetrics -f plist\` output`);
  warnTraceProblems(trace, 'hw parse: stdin', deps);
}

async function readInfoDirectly(): Promise<HardwareInfo> {
  try {
    return await readHelperInfo(process.env['MLOPS_HUB_HWHELPER'] ?? defaultHelperPath);
  } catch {
    return readNodeInfo();
  }
}

/** Plays `count` samples of a trace, one every `intervalMs`, with the current time as their timestamps. */
async function replay(file: string, count: number, intervalMs: number, deps: CliDeps): Promise<void> {
  const trace = readTraceFile(file);
  const { samples } = trace;
  warnTraceProblems(trace, `hw live: ${file}`, deps);
  // Stepped by hand with next(), so the timer-driven start() and its callback are not used.
  const source = new ReplaySource(samples, intervalMs, () => undefined);

  deps.print(JSON.stringify(source.next()));
  for (let printed = 1; printed < count; printed++) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    deps.print(JSON.stringify(source.next()));
  }
}

function renderInfo(status: HardwareStatus, info: HardwareInfo): string {
  const cores = describeCores(info);
  const latest = status.latest;
  const lines = [
    `chip:          ${info.chip ?? 'unknown'} (${info.model ?? '-'})`,
    `cores:         ${cores}; GPU cores ${info.gpuCores ?? '-'}; Neural Engine ${info.neuralEngine === null ? 'unknown' : info.neuralEngine ? 'yes' : 'no'}`,
    `memory:        ${info.memoryBytes === null ? '-' : `${(info.memoryBytes / 2 ** 30).toFixed(1)} GiB`}`,
    `os:            ${info.osName ?? '-'} ${info.osVersion ?? ''}`.trimEnd(),
    status.sampling !== false ? `source:        ${status.source}${status.sourceDetail ? ` (${status.sourceDetail})` : ''} every ${status.intervalMs} ms; ${status.badLines} bad lines, ${status.badValues ?? 0} bad values, ${status.restarts} restarts` : 'source:        not sampling (no hub is running; start one with `mlops-hub serve`)',
    `throttling:    ${status.throttle.throttled ? `yes (${status.throttle.signal}): ${status.throttle.detail}` : 'no'}`,
  ];
  if (latest) lines.push(`latest:        ${formatTime(latest.timestampMs)}  ${summarize(latest)}`);
  if (status.notice) lines.push(`notice:        ${status.notice}`);

  return lines.join('\n');
}

function describeCores(info: HardwareInfo): string {
  if (info.performanceCores !== null) return `${info.performanceCores} performance + ${info.efficiencyCores ?? '?'} efficiency`;

  return info.cores ? `${info.cores} (performance/efficiency split unknown)` : '-';
}

function summarize(sample: HardwareSample): string {
  const power = packagePowerWatts(sample);
  const parts = [
    sample.cpuTempCelsius === null ? null : `${Math.round(sample.cpuTempCelsius)}°C`,
    power === null ? null : `${power.toFixed(1)} W`,
    sample.cpuUsageRatio === null ? null : `CPU ${Math.round(sample.cpuUsageRatio * 100)}%`,
    sample.memoryUsedBytes === null ? null : `memory ${(sample.memoryUsedBytes / 2 ** 30).toFixed(1)} GiB`,
    sample.thermalPressure === null ? null : `pressure ${sample.thermalPressure}`,
  ];

  return parts.filter((part) => part !== null).join(', ');
}

function renderHistory(minutes: readonly HistoryMinute[]): string {
  if (minutes.length === 0) return 'No hardware history in this range.';

  const mean = (minute: HistoryMinute, key: string, digits: number, scale = 1): string => {
    const aggregate = minute.values[key];
    return aggregate ? (aggregate.mean / scale).toFixed(digits) : '-';
  };
  const rows = minutes.map((minute) => [
    formatTime(minute.minuteMs),
    mean(minute, 'cpuUsageRatio', 0, 0.01),
    mean(minute, 'cpuPowerWatts', 1),
    mean(minute, 'gpuPowerWatts', 1),
    mean(minute, 'anePowerWatts', 1),
    mean(minute, 'cpuTempCelsius', 0),
    mean(minute, 'memoryUsedBytes', 1, 2 ** 30),
    minute.values['thermalPressureLevel'] ? String(minute.values['thermalPressureLevel'].max) : '-',
  ]);

  return formatTable([['MINUTE', 'CPU %', 'CPU W', 'GPU W', 'ANE W', 'CPU °C', 'MEM GiB', 'PRESSURE MAX'], ...rows]);
}
