import fs from 'node:fs';
import path from 'node:path';

import { HubError } from '../../../common/errors';
import type { ServiceInfo, ServiceLogs, TrackingTarget } from '../../../common/methods/services';
import type { EventBus } from '../eventBus';
import type { Logger } from '../logger';
import { readChildRecords, stopRecordedChild, writeChildRecords, type ChildRecord } from './childRecords';
import type { ServiceDefinition, ServicesSettings } from './definition';
import { dependentsOf, findDependencyErrors, startOrder } from './dependencies';
import { listProcesses } from './processInfo';
import { Reaper } from './reaper';
import { ServiceRunner } from './serviceRunner';

/** The hub's addresses as injected into project services. */
export interface HubAddress {
  /** `http://127.0.0.1:5180`, or null without a TCP listener. */
  url: string | null;
  socketPath: string;
  tokenFile: string;
}

export interface SupervisorOptions {
  dataDir: string;
  logsDir: string;
  childrenFile: string;
  log: Logger;
  events: EventBus;
  now?: () => number;
  settings: ServicesSettings;
  hubAddress: () => HubAddress;
  /** Size at which a service's log file is rotated, in bytes (default 10 MiB). */
  logMaxBytes?: number;
  /** PATH searched for programs and given to children; defaults to the hub's own. */
  pathVariable?: string;
}

/** A definition with where it comes from: `builtin` or a project slug. */
export interface SourcedDefinition {
  definition: ServiceDefinition;
  source: string;
}

/** Runs the managed services: ordering, orphan recovery, records of children, events and the tracking target. */
export class Supervisor {
  private readonly runners = new Map<string, ServiceRunner>();
  /** Errors in each project's `services` block, by project slug; a project without errors has no entry. */
  private readonly configErrors = new Map<string, string[]>();
  private records: ChildRecord[] = [];
  private readonly log: Logger;
  private readonly now: () => number;
  private trackingPreference: 'embedded' | 'managed';
  private readonly reaper: Reaper;

  constructor(private readonly options: SupervisorOptions) {
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.trackingPreference = options.settings.trackingTarget;
    this.reaper = new Reaper(options.log);
  }

  /**
   * Replaces the definitions of one source. Running services that disappear
   * are stopped, and running services that change are restarted. A dependency
   * problem rejects the whole source with a message naming the fix, while the
   * services already known keep running.
   */
  async setDefinitions(source: string, definitions: readonly ServiceDefinition[]): Promise<void> {
    const others = [...this.runners.values()].filter((runner) => runner.source !== source).map((runner) => runner.definition);
    const errors = findDependencyErrors([...others, ...definitions]);
    if (errors.length > 0) throw new HubError('INVALID_PARAMETER_VALUE', errors.join(' '));

    const restart: string[] = [];
    for (const runner of [...this.runners.values()]) {
      const next = definitions.find((definition) => definition.name === runner.name);
      if (runner.source !== source || (next && JSON.stringify(next) === JSON.stringify(runner.definition))) continue;

      if (next && runner.isActive) restart.push(runner.name);
      await runner.dispose();
      this.runners.delete(runner.name);
    }
    for (const definition of definitions) {
      if (!this.runners.has(definition.name)) this.runners.set(definition.name, this.createRunner(definition, source));
    }

    // A changed service that was running comes back with its new definition.
    for (const name of restart) {
      this.log.info(`setDefinitions(): restarting changed service=${name}`);
      await this.start(name).catch((error: unknown) => this.log.error(`setDefinitions(): cannot restart changed service=${name}`, error));
    }
  }

  list(): ServiceInfo[] {
    const processes = listProcesses();
    const services = [...this.runners.values()].map((runner) => {
      if (!runner.isActive) runner.refreshInstalled();

      return runner.info(processes);
    });

    return [...services, ...[...this.configErrors].map(([project, errors]) => configErrorEntry(project, errors))];
  }

  /** Replaces the errors of a project's `services` block that `list` shows and `start` reports. */
  setConfigErrors(project: string, errors: readonly string[]): void {
    if (errors.length === 0) this.configErrors.delete(project);
    else this.configErrors.set(project, [...errors]);
  }

  names(): string[] {
    return [...this.runners.keys()];
  }

  sourceOf(name: string): string | null {
    return this.runners.get(name)?.source ?? null;
  }

  get(name: string): ServiceInfo {
    return this.require(name).info(listProcesses());
  }

  /** Starts `name` after the services it depends on, each one running before the next starts. */
  async start(name: string): Promise<ServiceInfo> {
    this.require(name);
    const order = startOrder(this.runners, name);

    for (const current of order) {
      const runner = this.require(current);
      await runner.start();
      if (current !== name) await runner.waitUntilRunning();
    }

    return this.get(name);
  }

  /** Stops the running services that depend on `name`, dependents first, then `name`. */
  async stop(name: string): Promise<ServiceInfo> {
    this.require(name);

    for (const dependent of dependentsOf(this.runners, name)) {
      const runner = this.require(dependent);
      if (runner.isActive) await runner.stop();
    }
    await this.require(name).stop();

    return this.get(name);
  }

  /** Stops `name` and the running services that depend on it, then starts them all again, `name` first. */
  async restart(name: string): Promise<ServiceInfo> {
    const activeDependents = dependentsOf(this.runners, name).filter((dependent) => this.require(dependent).isActive);
    await this.stop(name);

    const info = await this.start(name);
    for (const dependent of activeDependents.reverse()) await this.start(dependent);

    return activeDependents.length > 0 ? this.get(name) : info;
  }

  logs(name: string, lines: number): ServiceLogs {
    return { name, ...this.require(name).logs(lines) };
  }

  /** Waits until `name` runs; rejects with the reason when it fails to start. */
  waitUntilRunning(name: string): Promise<void> {
    return this.require(name).waitUntilRunning();
  }

  /**
   * Stops the process groups that a hub which died left behind, using the
   * records file. Returns the names of the services that were running then,
   * except those the user was stopping.
   */
  async recoverOrphans(): Promise<string[]> {
    const records = readChildRecords(this.options.childrenFile, this.log);
    const names: string[] = [];
    for (const record of records) {
      const outcome = await stopRecordedChild(record, this.log);
      if (outcome !== 'pid-reused' && !record.stopRequested) names.push(record.service);
    }
    this.records = [];
    this.saveRecords();

    return [...new Set(names)];
  }

  /** Starts the services set to autostart and `extra` ones; a failure is logged and the rest still start. */
  async startAll(extra: readonly string[] = []): Promise<void> {
    const names = [...this.runners.values()].filter((runner) => runner.definition.autostart).map((runner) => runner.name);
    for (const name of new Set([...names, ...extra])) {
      if (!this.runners.has(name)) continue;

      try {
        await this.start(name);
      } catch (error) {
        this.log.error(`startAll(): cannot start service=${name}`, error);
      }
    }
  }

  /** Sets the tracking preference when given, then returns the target in effect. */
  trackingTarget(preference?: 'embedded' | 'managed'): TrackingTarget {
    if (preference) this.trackingPreference = preference;

    const mlflow = this.runners.get('mlflow');
    const running = mlflow?.state === 'running' || mlflow?.state === 'unhealthy';
    const active = this.trackingPreference === 'managed' && running ? 'managed' : 'embedded';

    const managedUri = this.options.settings.trackingServerUrl?.replace(/\/$/, '') ?? `http://127.0.0.1:${mlflow?.activePort}`;

    return { preference: this.trackingPreference, active, managedUri: active === 'managed' ? managedUri : null };
  }

  /** Bearer token for the managed MLflow server from `trackingServerTokenFile`; null when none is set or readable. */
  trackingServerToken(): string | null {
    const file = this.options.settings.trackingServerTokenFile;

    return file ? readToken(file) : null;
  }

  /** Stops every service, dependents before their dependencies, and closes the log files. */
  async close(): Promise<void> {
    const remaining = new Set(this.runners.keys());

    // Services stop in parallel, in rounds: a round takes every service that no remaining service depends on.
    while (remaining.size > 0) {
      const round = [...remaining].filter((name) => ![...remaining].some((other) => this.runners.get(other)?.dependsOn.includes(name)));
      const batch = round.length > 0 ? round : [...remaining]; // a cycle cannot pass setDefinitions; this only guards the loop
      await Promise.all(batch.map((name) => this.disposeRunner(name)));
      for (const name of batch) remaining.delete(name);
    }
    this.runners.clear();
    this.reaper.close();
  }

  private async disposeRunner(name: string): Promise<void> {
    try {
      await this.runners.get(name)?.dispose();
    } catch (error) {
      this.log.error(`close(): cannot stop service=${name}`, error);
    }
  }

  /** Sources that have definitions: `builtin` and project slugs. */
  sources(): string[] {
    return [...new Set([...[...this.runners.values()].map((runner) => runner.source), ...this.configErrors.keys()])];
  }

  /** Runners in registration order, for the metrics collector. */
  get allRunners(): ServiceRunner[] {
    return [...this.runners.values()];
  }

  private require(name: string): ServiceRunner {
    const runner = this.runners.get(name);
    const project = name.includes('.') ? name.slice(0, name.indexOf('.')) : name;
    const errors = this.configErrors.get(project);
    if (!runner && errors) throw new HubError('INVALID_PARAMETER_VALUE', `Service \`${name}\` is not loaded because the services block of project \`${project}\` is invalid: ${errors.join(' ')}`);
    if (!runner) throw new HubError('RESOURCE_DOES_NOT_EXIST', `Unknown service \`${name}\`: use one of ${[...this.runners.keys()].join(', ') || '(none)'} (see \`mlops-hub services list\`).`);

    return runner;
  }

  private createRunner(definition: ServiceDefinition, source: string): ServiceRunner {
    const serviceDir = path.join(this.options.dataDir, 'services', definition.name);

    return new ServiceRunner(definition, source, serviceDir, {
      log: this.log,
      now: this.now,
      dataDir: this.options.dataDir,
      logsDir: this.options.logsDir,
      ...(this.options.logMaxBytes ? { logMaxBytes: this.options.logMaxBytes } : {}),
      search: () => ({ pythonEnvDir: this.options.settings.pythonEnvDir, pathVariable: this.pathVariable() }),
      hubAddress: this.options.hubAddress,
      baseEnv: (current) => this.baseEnv(current),
      onDidChangeState: (runner) => this.options.events.emit({ type: 'services:didChange', name: runner.name, state: runner.state }),
      onCrashLoop: (runner) => {
        const reason = runner.info([]).reason ?? '';
        this.options.events.emit({ type: 'notification', title: `Service ${runner.name} failed`, body: reason });
      },
      addRecord: (record) => {
        this.records.push(record);
        this.saveRecords();
        this.reaper.add(record.pgid, record.stopSignal);
      },
      markStopRequested: (pid) => {
        this.records = this.records.map((record) => (record.pid === pid ? { ...record, stopRequested: true } : record));
        this.saveRecords();
      },
      removeRecord: (pid) => {
        this.records = this.records.filter((record) => record.pid !== pid);
        this.saveRecords();
        this.reaper.remove(pid);
      },
    });
  }

  private pathVariable(): string {
    return this.options.pathVariable ?? process.env['PATH'] ?? '/usr/bin:/bin';
  }

  /** Builds the base environment of a child: the hub's other variables do not leak into it. */
  private baseEnv(definition: ServiceDefinition): Record<string, string> {
    const env: Record<string, string> = { PATH: this.childPath() };
    for (const key of ['HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'TMPDIR', 'TZ']) {
      const value = process.env[key];
      if (value !== undefined) env[key] = value;
    }
    if (!definition.injectHubEnv) return env;

    const address = this.options.hubAddress();
    const target = this.trackingTarget();
    env['MLOPS_HUB_SOCKET'] = address.socketPath;
    if (address.url) env['MLOPS_HUB_URL'] = address.url;
    const trackingUri = target.managedUri ?? address.url;
    if (trackingUri) env['MLFLOW_TRACKING_URI'] = trackingUri;
    // The stock MLflow client sends MLFLOW_TRACKING_TOKEN as a bearer token, which the hub's API requires.
    const token = target.active === 'embedded' ? readToken(address.tokenFile) : this.trackingServerToken();
    if (token) env['MLFLOW_TRACKING_TOKEN'] = token;

    return env;
  }

  private childPath(): string {
    const { pythonEnvDir } = this.options.settings;

    return pythonEnvDir ? `${path.join(pythonEnvDir, 'bin')}${path.delimiter}${this.pathVariable()}` : this.pathVariable();
  }

  private saveRecords(): void {
    try {
      writeChildRecords(this.options.childrenFile, this.records);
    } catch (error) {
      this.log.error(`saveRecords(): cannot write ${this.options.childrenFile}`, error);
    }
  }
}

/** Builds a `services list` row for a project whose `services` block has errors. */
function configErrorEntry(project: string, errors: readonly string[]): ServiceInfo {
  return {
    name: project,
    description: `errors in the services block of project ${project}`,
    source: project,
    state: 'failed',
    pid: null,
    startedAt: null,
    restarts: 0,
    port: null,
    url: null,
    cpuCores: null,
    memoryBytes: null,
    reason: errors.join(' '),
    installCommand: null,
    dependsOn: [],
    lastExitCode: null,
    configError: true,
  };
}

function readToken(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim() || null;
  } catch {
    return null;
  }
}
