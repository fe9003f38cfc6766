import path from 'node:path';

import { HubError } from '../../../common/errors';
import type { ServiceInfo, ServiceState } from '../../../common/methods/services';
import type { Logger } from '../logger';
import { RestartBudget, shouldRestart } from './backoff';
import type { ChildRecord } from './childRecords';
import type { ServiceDefinition } from './definition';
import { resolveProgram, type ProgramSearch } from './detection';
import { describeMissingProgram, prepareLaunch, type LaunchContext, type LaunchPlan } from './launchPlan';
import { ServiceLog } from './logFiles';
import { releasePipes, signalGroup, spawnGroup, terminateGroup, waitForLeaderExit, type GroupChild, type LeaderExit } from './processGroup';
import type { ProcessSnapshot } from './processInfo';
import { readStartTime } from './processInfo';
import { ReadinessWatch } from './readinessWatch';
import type { HubAddress } from './supervisor';

/** Collaborators that the supervisor passes to each runner. */
export interface RunnerContext {
  log: Logger;
  now: () => number;
  dataDir: string;
  logsDir: string;
  /** Size at which the log file is rotated, in bytes. */
  logMaxBytes?: number;
  search: () => ProgramSearch;
  hubAddress: () => HubAddress;
  /** Variables every child gets before the definition's own `env` (PATH, HOME, hub address). */
  baseEnv: (definition: ServiceDefinition) => Record<string, string>;
  onDidChangeState: (runner: ServiceRunner) => void;
  onCrashLoop: (runner: ServiceRunner) => void;
  addRecord: (record: ChildRecord) => void;
  markStopRequested: (pid: number) => void;
  removeRecord: (pid: number) => void;
}

type ExitResult = LeaderExit;

/** One service's lifecycle: pre-flight, spawn, readiness, restarts with backoff, graceful stop. */
export class ServiceRunner {
  state: ServiceState = 'stopped';
  private reason: string | null = null;
  private child: GroupChild | null = null;
  private pid: number | null = null;
  private startedAt: number | null = null;
  private port: number | null = null;
  private restarts = 0;
  private lastExitCode: number | null = null;
  /** True between a start request and a stop request or a give-up. */
  private wantRunning = false;
  private exited: Promise<void> = Promise.resolve();
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly readiness: ReadinessWatch;
  private readonly budget: RestartBudget;
  private readonly output: ServiceLog;
  private readonly waiters = new Set<() => void>();
  private cpuSample: { cpuSeconds: number; atMs: number } | null = null;
  /** Tail of the start, stop and crash-restart operations, which run one at a time so two instances never overlap. */
  private operations: Promise<unknown> = Promise.resolve();

  constructor(
    readonly definition: ServiceDefinition,
    readonly source: string,
    private readonly serviceDir: string,
    private readonly context: RunnerContext,
  ) {
    this.budget = new RestartBudget(definition.backoff);
    const logFile = path.join(context.logsDir, 'services', `${definition.name}.log`);
    this.output = new ServiceLog({ file: logFile, ...(context.logMaxBytes ? { maxBytes: context.logMaxBytes } : {}) });
    this.readiness = new ReadinessWatch(definition, context.now, (ready, reason) => this.onReadiness(ready, reason));
    this.refreshInstalled();
  }

  get name(): string {
    return this.definition.name;
  }

  /** Restarts made by the restart policy since the last start by the user. */
  get restartCount(): number {
    return this.restarts;
  }

  get dependsOn(): readonly string[] {
    return this.definition.dependsOn;
  }

  /** Whether a process runs or is being started. */
  get isActive(): boolean {
    return this.state === 'starting' || this.state === 'running' || this.state === 'unhealthy' || this.state === 'stopping' || this.state === 'backoff';
  }

  /** Re-checks whether the program is installed while no process runs. */
  refreshInstalled(): void {
    if (this.child || this.state === 'backoff') return;

    const installed = resolveProgram(this.definition.command, this.context.search()) !== null;
    if (!installed) this.setState('not-installed', describeMissingProgram(this.definition, this.launchContext()));
    else if (this.state === 'not-installed') this.setState('stopped', null);
  }

  /** Starts the service as the user asked: the restart count and crash history start over. */
  start(): Promise<void> {
    return this.serialize(() => this.startNow());
  }

  private async startNow(): Promise<void> {
    this.budget.reset();
    this.restarts = 0;
    this.wantRunning = true;
    this.clearRestartTimer();
    if (this.child) return;

    try {
      await this.launch();
    } catch (error) {
      this.wantRunning = false;
      const message = error instanceof Error ? error.message : String(error);
      this.setState(error instanceof HubError && message.includes('was not found') ? 'not-installed' : 'failed', message);
      throw error;
    }
  }

  /** Resolves when the service is running; rejects when it ends failed, stopped or not installed. */
  waitUntilRunning(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (this.state === 'running') resolve();
        else if (!this.wantRunning && !this.isActive) reject(new HubError('INVALID_STATE', `Service \`${this.name}\` did not start: ${this.reason ?? this.state}.`));
        else return false;

        return true;
      };
      if (check()) return;

      const waiter = (): void => {
        if (check()) this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * Sends the stop signal to the whole group, then SIGKILL after the deadline.
   * The service counts as stopped once its leader has exited and its group is
   * empty; pipes that an escaped descendant keeps open are not waited for.
   */
  stop(): Promise<void> {
    return this.serialize(() => this.stopNow());
  }

  private async stopNow(): Promise<void> {
    this.wantRunning = false;
    this.clearRestartTimer();
    const pid = this.pid;
    if (pid === null) {
      if (this.state !== 'not-installed') this.setState('stopped', null);
      this.refreshInstalled();

      return;
    }

    this.setState('stopping', null);
    this.context.markStopRequested(pid);
    this.context.log.info(`stop(): stopping service=${this.name} pid=${pid} signal=${this.definition.stopSignal}`);
    const { killed } = await terminateGroup(pid, this.definition.stopSignal, this.definition.stopTimeoutMs);
    if (killed) this.output.note(`did not stop within ${this.definition.stopTimeoutMs} ms of ${this.definition.stopSignal}; sent SIGKILL to the group`);
    await this.exited;
    if (this.state === 'stopping') this.setState('stopped', null);
  }

  /** Snapshot for the API; `processes` is one listing of all processes, shared by every service. */
  info(processes: readonly ProcessSnapshot[]): ServiceInfo {
    const usage = this.measureUsage(processes);

    return {
      name: this.name,
      description: this.definition.description,
      source: this.source,
      state: this.state,
      pid: this.pid,
      startedAt: this.pid === null ? null : this.startedAt,
      restarts: this.restarts,
      port: this.port ?? this.definition.port,
      url: (this.port ?? this.definition.port) === null ? null : `http://127.0.0.1:${this.port ?? this.definition.port}/`,
      cpuCores: usage?.cpuCores ?? null,
      memoryBytes: usage?.memoryBytes ?? null,
      reason: this.reason,
      installCommand: this.state === 'not-installed' ? this.installHint() : null,
      dependsOn: [...this.definition.dependsOn],
      lastExitCode: this.lastExitCode,
    };
  }

  /** Returns the catalog's install command, or for a project service the two ways to fix a missing program. */
  private installHint(): string | null {
    if (this.definition.installCommand || this.source === 'builtin') return this.definition.installCommand;

    return `install ${this.definition.command} or fix \`command\` in mlops.yaml`;
  }

  logs(count: number): { lines: string[]; crashLines: string[] } {
    return { lines: this.output.latest(count), crashLines: this.output.lastCrashLines() };
  }

  /** Port in use now (it differs from the definition after pick-free-port), or the configured one. */
  get activePort(): number | null {
    return this.port ?? this.definition.port;
  }

  /** Stops the process if any and closes the log file. */
  async dispose(): Promise<void> {
    await this.stop();
    this.output.close();
  }

  private async launch(): Promise<void> {
    const plan = await prepareLaunch(this.definition, this.launchContext());
    if (!this.wantRunning || this.child) return; // stopped while checking the port

    this.spawn(plan);
  }

  private spawn(plan: LaunchPlan): void {
    const env = { ...this.context.baseEnv(this.definition), ...plan.env };
    const child = spawnGroup({ file: plan.program, args: plan.args, cwd: plan.cwd, env });
    this.child = child;
    this.pid = child.pid ?? null;
    this.startedAt = this.context.now();
    this.port = plan.port;
    this.cpuSample = null;

    child.stdout.on('data', (chunk: Buffer) => this.output.write('stdout', chunk));
    child.stderr.on('data', (chunk: Buffer) => this.output.write('stderr', chunk));
    this.exited = waitForLeaderExit(child).then((result) => this.onExit(child, result));

    if (this.pid !== null) this.recordChild(this.pid, plan);
    this.output.note(`started pid=${this.pid ?? 'none'} command=${[plan.program, ...plan.args].join(' ')}`);
    this.context.log.info(`spawn(): started service=${this.name} pid=${this.pid ?? 'none'} port=${plan.port ?? 'none'}`);
    this.setState('starting', null);
    this.readiness.watch(plan.port, plan.readinessUrl);
  }

  private recordChild(pid: number, plan: LaunchPlan): void {
    const startTime = readStartTime(pid);
    if (startTime === null) return; // already gone; onExit handles it

    this.context.addRecord({
      service: this.name,
      pid,
      pgid: pid,
      startTime,
      command: [plan.program, ...plan.args],
      stopSignal: this.definition.stopSignal,
      stopTimeoutMs: this.definition.stopTimeoutMs,
    });
  }

  private onReadiness(ready: boolean, reason: string | null): void {
    if (!this.child) return;

    if (ready) {
      if (this.state !== 'running') this.context.log.info(`onReadiness(): service=${this.name} is ready pid=${this.pid}`);
      this.setState('running', null);
    } else if (this.state === 'starting' && reason) {
      // Not ready within the start timeout: the exit that follows counts as a crash.
      this.reason = reason;
      this.output.note(reason);
      if (this.pid !== null) void terminateGroup(this.pid, this.definition.stopSignal, Math.min(this.definition.stopTimeoutMs, 5000));
    } else if (this.state === 'running') {
      this.setState('unhealthy', reason);
    }
  }

  private onExit(child: GroupChild, result: ExitResult): void {
    if (this.child !== child) return;

    const pid = this.pid;
    const uptimeMs = this.context.now() - (this.startedAt ?? this.context.now());
    this.child = null;
    this.pid = null;
    this.readiness.cancel();
    this.lastExitCode = result.exitCode ?? null;
    releasePipes(child);
    if (pid !== null) this.context.removeRecord(pid);

    const exitText = describeExit(result);
    this.output.note(exitText);
    if (!this.wantRunning) {
      this.context.log.info(`onExit(): stopped service=${this.name} pid=${pid} ${exitText}`);
      // During a stop, stopNow() sets the state once the rest of the group is gone too.
      if (this.state !== 'stopping') this.setState('stopped', null);

      return;
    }

    // Grandchildren may outlive the leader and keep its port.
    if (pid !== null) signalGroup(pid, 'SIGKILL');
    // A clean exit is not a crash, so it leaves the excerpt of the last crash as it was.
    if (result.failed || result.signal || this.reason) this.output.markCrash();
    this.handleCrash(this.reason && this.state === 'starting' ? this.reason : exitText, uptimeMs, result);
  }

  private handleCrash(reason: string, uptimeMs: number, result: ExitResult): void {
    this.context.log.warn(`handleCrash(): service=${this.name} ${reason} uptimeMs=${uptimeMs}`);
    if (!shouldRestart(this.definition.restart, result.exitCode ?? null, result.signal ?? (result.failed && result.exitCode === undefined ? 'spawn' : null))) {
      this.wantRunning = false;
      this.setState(result.exitCode === 0 && !result.signal ? 'stopped' : 'failed', result.exitCode === 0 ? null : reason);

      return;
    }

    const delayMs = this.budget.recordCrash(this.context.now(), uptimeMs);
    if (delayMs === null) {
      this.wantRunning = false;
      const { maxRestarts, windowMs } = this.definition.backoff;
      this.setState('failed', `crash loop: more than ${maxRestarts} restarts within ${windowMs / 1000} s; last: ${reason}. Fix the cause, then start it again.`);
      this.context.onCrashLoop(this);

      return;
    }

    this.setState('backoff', reason);
    this.restartTimer = setTimeout(() => void this.serialize(() => this.restartAfterCrash()), delayMs);
  }

  private async restartAfterCrash(): Promise<void> {
    this.restartTimer = null;
    if (!this.wantRunning) return;

    this.restarts += 1;
    this.context.log.info(`restartAfterCrash(): restarting service=${this.name} restarts=${this.restarts}`);
    try {
      await this.launch();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.output.note(message);
      this.handleCrash(message, 0, { exitCode: 1, failed: true, message });
    }
  }

  /** Runs `operation` after the ones requested before it; a failure does not block the next. */
  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.operations.then(operation, operation);
    this.operations = result.catch(() => undefined);

    return result;
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  private setState(state: ServiceState, reason: string | null): void {
    const changed = this.state !== state || this.reason !== reason;
    this.state = state;
    this.reason = reason;
    if (!changed) return;

    this.context.onDidChangeState(this);
    for (const waiter of [...this.waiters]) waiter();
  }

  private measureUsage(processes: readonly ProcessSnapshot[]): { cpuCores: number; memoryBytes: number } | null {
    if (this.pid === null) return null;

    const members = processes.filter((entry) => entry.pgid === this.pid && !entry.zombie);
    const cpuSeconds = members.reduce((total, entry) => total + entry.cpuSeconds, 0);
    const memoryBytes = members.reduce((total, entry) => total + entry.rssBytes, 0);
    const nowMs = this.context.now();

    // CPU since the previous listing, or since the start on the first one.
    const previous = this.cpuSample ?? { cpuSeconds: 0, atMs: this.startedAt ?? nowMs };
    const elapsedSeconds = Math.max((nowMs - previous.atMs) / 1000, 0.001);
    this.cpuSample = { cpuSeconds, atMs: nowMs };

    return { cpuCores: Math.max(0, (cpuSeconds - previous.cpuSeconds) / elapsedSeconds), memoryBytes };
  }

  private launchContext(): LaunchContext {
    const origin = this.source === 'builtin' ? 'services settings' : `the mlops.yaml of project \`${this.source}\``;

    const address = this.context.hubAddress();
    const hubHost = address.url ? new URL(address.url).host : null;

    return { dataDir: this.context.dataDir, serviceDir: this.serviceDir, origin, search: this.context.search(), hubHost, tokenFile: address.tokenFile };
  }
}

function describeExit(result: ExitResult): string {
  if (result.signal) return `killed by ${result.signal}`;
  if (result.exitCode !== undefined) return `exited with code ${result.exitCode}`;

  return `failed to spawn: ${result.message ?? 'unknown error'}`;
}
