import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { type Command, InvalidArgumentError, Option } from 'commander';

import { HubError } from '../../../common/errors';
import type { LeaseView } from '../../../common/methods/leases';
import { defaultProjectName, type ProjectSummary } from '../../../common/methods/projects';
import { CliError, type CliDeps } from '../deps';
import { GroupReaper } from '../groupReaper';
import { connectHub, type HubConnection } from '../hubClient';
import { parseIntegerOption } from '../options';

interface RunOptions {
  memory?: number;
  gpu?: boolean | string;
  ane?: boolean;
  cpu?: number;
  priority?: 'high' | 'normal' | 'low';
  project?: string;
  timeout?: number;
  expectedDuration?: number;
  ttl: number;
  preemptible: boolean;
  label?: string;
}

/** Maximum long-poll of `leases:wait`, in milliseconds. Each poll also renews the heartbeat. */
const maxPollTimeoutMs = 5_000;

/** Backoff between retries after a connection error, in milliseconds; the maximum stays well inside the default 30 s TTL. */
const initialRetryDelayMs = 250;
const maxRetryDelayMs = 4_000;

/** `mlops-hub run [resources] -- CMD ARGS...`: runs a command under a lease. */
export function register(program: Command, deps: CliDeps): void {
  program
    .command('run')
    .description(
      'Run a command under a resource lease: wait in the queue, start the command in its own process group with MLOPS_HUB_LEASE_ID and MLOPS_HUB_MEMORY_LIMIT_BYTES set, stop and continue the group with SIGSTOP and SIGCONT when the hub pauses and resumes the lease, send it SIGTERM when the lease is revoked or expires, and release the lease when the command exits. Exits with the command\'s exit code.',
    )
    .addOption(new Option('--memory <size>', 'unified memory to lease, in GB (`8`, `8G`, `8GB`) or MB (`512M`)').argParser(parseMemorySize))
    .option('--gpu [share]', 'lease the GPU; an optional share from 0 to 1 (default 1)')
    .option('--ane', 'lease the Neural Engine (exclusive)')
    .addOption(new Option('--cpu <cores>', 'CPU cores to lease').argParser(parseIntegerOption('--cpu', 1, 1024)))
    .addOption(new Option('--priority <class>', 'priority class; the project\'s mlops.yaml priority when absent').choices(['high', 'normal', 'low']))
    .option('--project <name>', 'project slug (default: MLOPS_HUB_PROJECT, else the registered project whose folder contains the current folder, else `default`)')
    .addOption(new Option('--timeout <seconds>', 'longest wait in the queue, in seconds').argParser(parseIntegerOption('--timeout', 0, 7 * 24 * 3600)))
    .addOption(new Option('--expected-duration <seconds>', 'expected run time, in seconds, for the queue estimates of other requests').argParser(parseIntegerOption('--expected-duration', 1, 30 * 24 * 3600)))
    .addOption(new Option('--ttl <seconds>', 'heartbeat time-to-live of the lease, in seconds; the hub expires the lease when this process stops renewing it for that long').default(30).argParser(parseIntegerOption('--ttl', 1, 3600)))
    .option('--no-preemptible', 'never ask this command to pause for a higher-priority request or at heavy thermal pressure')
    .option('--label <text>', 'label shown in `leases list` (default: the command line)')
    .argument('<command...>', 'command and its arguments, after `--`')
    .action(async (command: string[], options: RunOptions) => {
      const code = await runUnderLease(command, options, deps);

      // runCli turns a CliError into the process exit code.
      if (code !== 0) throw new CliError(`\`${command.join(' ')}\` exited with code ${code}`, code);
    });
}

/** Parses `8`, `8G`, `8GB`, `8GiB` as GB and `512M`, `512MB` as MB; returns GB. */
export function parseMemorySize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(g|gb|gib|m|mb|mib)?$/i.exec(value.trim());
  const amount = match ? Number(match[1]) : Number.NaN;
  if (!match || !Number.isFinite(amount) || amount <= 0) {
    throw new InvalidArgumentError(`\`--memory\` must be a positive size such as 8G or 512M; got \`${value}\``);
  }

  return (match[2] ?? 'g').toLowerCase().startsWith('m') ? amount / 1024 : amount;
}

function parseGpuShare(gpu: boolean | string | undefined): number {
  if (gpu === undefined || gpu === false) return 0;
  if (gpu === true) return 1;

  const share = Number(gpu);
  if (!Number.isFinite(share) || share <= 0 || share > 1) throw new CliError(`\`--gpu\` share must be a number above 0 and at most 1; got \`${gpu}\``);

  return share;
}

async function runUnderLease(command: string[], options: RunOptions, deps: CliDeps): Promise<number> {
  const hub = await connectHub(deps.dataDir, deps.warn);
  try {
    if (!hub.remote) throw new CliError('no hub is running, and leases live only inside one: start it with `mlops-hub serve` or the desktop app');

    const project = options.project ?? process.env['MLOPS_HUB_PROJECT'] ?? (await findProjectOfFolder(hub, deps.cwd)) ?? defaultProjectName;
    const request = buildRequest(command, project, options);
    let lease = await requestLease(hub, request);
    const pollMs = pollTimeout(options.ttl);
    lease = await waitForGrant({ hub, request, pollMs, deps }, lease);
    if (lease.state !== 'granted') throw new CliError(`lease ${lease.leaseId} ${lease.state} before it was granted: ${lease.endReason ?? 'no reason given'}`);

    return await superviseCommand(hub, lease, command, pollMs, deps);
  } finally {
    await hub.close();
  }
}

/**
 * Returns the registered project whose folder contains `folder` (the innermost one), or null.
 * Registered paths are real paths, so `folder` is resolved through symbolic links first.
 */
export async function findProjectOfFolder(hub: HubConnection, folder: string): Promise<string | null> {
  const projects = (await hub.call('projects:list', {})) as ProjectSummary[];
  const realFolder = resolveRealPath(folder);
  const containing = projects.filter((project) => project.path !== null && (realFolder === project.path || realFolder.startsWith(project.path + path.sep)));
  containing.sort((a, b) => (b.path?.length ?? 0) - (a.path?.length ?? 0));

  return containing[0]?.name ?? null;
}

function resolveRealPath(folder: string): string {
  try {
    return fs.realpathSync(folder);
  } catch {
    return path.resolve(folder);
  }
}

/** `run` flag of each resource field of `leases:request`, for hub messages that name the field. */
const resourceFlags: Record<string, string> = { memoryGb: '--memory', gpuShare: '--gpu', neuralEngine: '--ane', cpuCores: '--cpu' };

/** Requests the lease; a rejection names the `run` flags (`--cpu`) in place of the API fields (`resources.cpuCores`). */
async function requestLease(hub: HubConnection, request: Record<string, unknown>): Promise<LeaseView> {
  try {
    return (await hub.call('leases:request', request)) as LeaseView;
  } catch (error) {
    if (!(error instanceof HubError)) throw error;

    throw new HubError(error.code, replaceResourceFields(error.message, resourceFlags));
  }
}

/** Replaces the resource fields of the lease API (`memoryGb`, `resources.cpuCores`) in `message` with `names`. */
export function replaceResourceFields(message: string, names: Record<string, string>): string {
  return message.replace(/\b(?:resources\.)?(memoryGb|gpuShare|neuralEngine|cpuCores)\b/g, (field, name: string) => names[name] ?? field);
}

function buildRequest(command: string[], project: string, options: RunOptions): Record<string, unknown> {
  return {
    project,
    pid: process.pid,
    resources: { memoryGb: options.memory ?? 0, gpuShare: parseGpuShare(options.gpu), neuralEngine: options.ane ?? false, cpuCores: options.cpu ?? 0 },
    ...(options.priority ? { priority: options.priority } : {}),
    ...(options.timeout !== undefined ? { maxWaitMs: options.timeout * 1000 } : {}),
    ...(options.expectedDuration !== undefined ? { expectedDurationMs: options.expectedDuration * 1000 } : {}),
    preemptible: options.preemptible,
    ttlMs: options.ttl * 1000,
    label: (options.label ?? command.join(' ')).slice(0, 200),
  };
}

/** Context of the queue wait of `run`. */
interface QueueWaiter {
  hub: HubConnection;
  /** Body of the original `leases:request`, sent again when a restarted hub no longer has the lease. */
  request: Record<string, unknown>;
  /** Long-poll length of `leases:wait`, in milliseconds. */
  pollMs: number;
  deps: CliDeps;
}

/**
 * Long-polls until the lease leaves the queue, printing its position and reason whenever they change.
 * Connection errors, such as a hub restart, are retried with the backoff of the follow loop: the restarted
 * hub re-adopts the saved queued lease. A lease the restarted hub does not have (it died before saving the
 * lease) is requested again with the same resources.
 */
async function waitForGrant(waiter: QueueWaiter, initial: LeaseView): Promise<LeaseView> {
  const { hub, pollMs, deps } = waiter;
  let lease = initial;
  let printed = '';
  let failures = 0;
  while (lease.state === 'queued') {
    const line = `mlops-hub run: queued at position ${lease.queue?.position ?? '?'}: ${lease.queue?.message ?? 'waiting'}${formatEstimate(lease.queue?.estimateMs ?? null)}`;
    if (line !== printed) deps.warn(line);
    printed = line;

    try {
      lease = (await hub.call('leases:wait', { leaseId: lease.leaseId, afterVersion: lease.version, timeoutMs: pollMs })) as LeaseView;
      failures = 0;
    } catch (error) {
      if (failures > 0 && error instanceof HubError && error.code === 'RESOURCE_DOES_NOT_EXIST') {
        lease = await requestLeaseAgain(waiter, lease);
        failures = 0;
        continue;
      }
      if (!isConnectionError(error)) throw error;

      if (failures === 0) deps.warn(`mlops-hub run: waiting for lease ${lease.leaseId} failed: ${errorMessage(error)}; retrying`);
      await delay(retryDelayMs(failures));
      failures += 1;
    }
  }
  if (printed !== '' && lease.state === 'granted') deps.warn(`mlops-hub run: lease ${lease.leaseId} granted`);

  return lease;
}

/** Requests the lease again after a restarted hub lost `lost`; the new request joins the end of the queue and its `--timeout` starts over. */
async function requestLeaseAgain(waiter: QueueWaiter, lost: LeaseView): Promise<LeaseView> {
  const lease = await requestLease(waiter.hub, waiter.request);
  waiter.deps.warn(`mlops-hub run: the restarted hub no longer had lease ${lost.leaseId}; requested lease ${lease.leaseId} with the same resources`);

  return lease;
}

/** Delay before retry number `failures` (from 0) after a connection error, in milliseconds: doubling, capped at `maxRetryDelayMs`. */
function retryDelayMs(failures: number): number {
  return Math.min(maxRetryDelayMs, initialRetryDelayMs * 2 ** failures);
}

/** Long-poll length in milliseconds that renews the lease three times per TTL, as the Python SDK does. */
function pollTimeout(ttlSeconds: number): number {
  return Math.max(500, Math.min(maxPollTimeoutMs, Math.floor((ttlSeconds * 1000) / 3)));
}

function formatEstimate(estimateMs: number | null): string {
  return estimateMs === null ? '' : ` (estimate ${Math.ceil(estimateMs / 1000)} s)`;
}

/**
 * Starts the command in its own process group, follows pause and resume requests, and releases the lease on exit.
 * A reaper process ends the group if this process dies first, because the hub then frees the lease at once.
 */
async function superviseCommand(hub: HubConnection, lease: LeaseView, command: string[], pollMs: number, deps: CliDeps): Promise<number> {
  const [file, ...args] = command;
  if (file === undefined) throw new CliError('no command given; put it after `--`');

  const reaper = new GroupReaper();
  const child = spawn(file, args, {
    stdio: 'inherit',
    detached: true,
    env: leaseEnvironment(lease),
  });
  if (child.pid !== undefined) reaper.watch(child.pid);
  const exited = waitForExit(child);
  const forward = (signal: NodeJS.Signals): void => signalGroup(child, signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);

  let running = true;
  const markExited = (): void => {
    running = false;
  };
  void exited.then(markExited, markExited);
  // The release below changes the lease, which ends the pending long-poll of followLease at once.
  void followLease({ hub, child, pollMs, deps }, lease, () => running).catch((error: unknown) => deps.warn(`mlops-hub run: following lease ${lease.leaseId} failed: ${String(error)}`));
  try {
    return await exited;
  } finally {
    reaper.disarm();
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    await hub.call('leases:release', { leaseId: lease.leaseId, pid: process.pid }).catch((error: unknown) => deps.warn(`mlops-hub run: releasing lease ${lease.leaseId} failed: ${String(error)}`));
  }
}

/** Context of the follow loop of a running command. */
interface Follower {
  hub: HubConnection;
  child: ChildProcess;
  /** Long-poll length of `leases:wait`, in milliseconds. */
  pollMs: number;
  deps: CliDeps;
}

/**
 * Long-polls the lease while the command runs, which renews its heartbeat, and applies pause, resume and end.
 * Connection errors, such as a hub restart, are retried with backoff, because the restarted hub re-adopts
 * the lease and expires it unless the heartbeats continue.
 */
async function followLease(follower: Follower, initial: LeaseView, isRunning: () => boolean): Promise<void> {
  let lease = initial;
  let stopped = false;
  let failures = 0;
  while (isRunning()) {
    try {
      const next = await followStep(follower, lease, stopped);
      if (next === null) return;

      ({ lease, stopped } = next);
      failures = 0;
    } catch (error) {
      if (!isConnectionError(error)) throw error;

      if (failures === 0) follower.deps.warn(`mlops-hub run: lease ${lease.leaseId} heartbeat failed: ${errorMessage(error)}; retrying`);
      await delay(retryDelayMs(failures));
      failures += 1;
    }
  }
}

/** Waits for one lease change and applies it; returns null when the lease ended and the command received SIGTERM. */
async function followStep(follower: Follower, current: LeaseView, stopped: boolean): Promise<{ lease: LeaseView; stopped: boolean } | null> {
  const { hub, child, pollMs, deps } = follower;
  const lease = (await hub.call('leases:wait', { leaseId: current.leaseId, afterVersion: current.version, timeoutMs: pollMs })) as LeaseView;

  if (['released', 'expired', 'revoked'].includes(lease.state)) {
    // The command's own exit released the lease: nothing to stop, and its group id may already be reused.
    if (hasExited(child)) return null;

    deps.warn(`mlops-hub run: lease ${lease.leaseId} was ${lease.state} (${lease.endReason ?? 'no reason given'}); stopping the command`);
    signalGroup(child, 'SIGCONT');
    signalGroup(child, 'SIGTERM');
    return null;
  }
  // `stopped` changes only after the hub accepted the report, so a failed report is sent again. A repeated signal is harmless.
  if (lease.pauseRequested && !stopped) {
    deps.warn(`mlops-hub run: pausing: ${lease.pauseReason ?? 'requested by the hub'}`);
    signalGroup(child, 'SIGSTOP');
    return { lease: (await hub.call('leases:reportPaused', { leaseId: lease.leaseId, paused: true, pid: process.pid })) as LeaseView, stopped: true };
  }
  if (!lease.pauseRequested && stopped) {
    deps.warn('mlops-hub run: resuming');
    signalGroup(child, 'SIGCONT');
    return { lease: (await hub.call('leases:reportPaused', { leaseId: lease.leaseId, paused: false, pid: process.pid })) as LeaseView, stopped: false };
  }

  return { lease, stopped };
}

/** True for failures to reach the hub (refused, reset, hang-up, timeout), as opposed to the hub rejecting the call. */
function isConnectionError(error: unknown): boolean {
  if (error instanceof HubError) return error.code === 'TEMPORARILY_UNAVAILABLE';

  return error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('E');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Returns the command's environment: the lease id, and the memory grant in bytes when the lease has one (0 would starve MLX). */
export function leaseEnvironment(lease: LeaseView, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, MLOPS_HUB_LEASE_ID: lease.leaseId };
  if (lease.memoryLimitBytes > 0) env['MLOPS_HUB_MEMORY_LIMIT_BYTES'] = String(lease.memoryLimitBytes);
  else delete env['MLOPS_HUB_MEMORY_LIMIT_BYTES'];

  return env;
}

/** Sends `signal` to the child's whole process group (negative pid); a group that is gone is ignored. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || hasExited(child)) return;

  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves with the exit code, or 128 + the signal number when a signal ended the command, as shells report it. */
function waitForExit(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new CliError(`cannot start \`${child.spawnfile}\`: ${error.message}`, 127)));
    child.once('exit', (code, signal) => {
      if (code !== null) resolve(code);
      else resolve(128 + (signal ? (os.constants.signals[signal] ?? 0) : 0));
    });
  });
}
