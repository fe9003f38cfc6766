import { z } from 'zod';

import { defineMethod } from '../contract';

/** Lifecycle states of a managed service. */
export const serviceStates = ['not-installed', 'stopped', 'starting', 'running', 'unhealthy', 'stopping', 'backoff', 'failed'] as const;

export type ServiceState = (typeof serviceStates)[number];

/** Service names: lowercase letters, digits, dots and dashes; project services are `<project>.<service>`. */
export const serviceNamePattern = /^[a-z0-9][a-z0-9.-]{0,127}$/;

/** One managed service as the GUI, tray and CLI show it. */
export interface ServiceInfo {
  name: string;
  description: string;
  /** `builtin` for the catalog, else the project slug that declared it in `mlops.yaml`. */
  source: string;
  state: ServiceState;
  /** Process id of the group leader while a process exists; null otherwise. */
  pid: number | null;
  /** Milliseconds since the Unix epoch of the current process start; null when none runs. */
  startedAt: number | null;
  /** Restarts made by the restart policy since the user last started the service. */
  restarts: number;
  /** TCP port the service listens on, or null when it has none. */
  port: number | null;
  /** Address to open in a browser, for example `http://127.0.0.1:5100/`; null without a port. */
  url: string | null;
  /** CPU use of the whole process group, in cores (1 = one core busy); null when no process runs. */
  cpuCores: number | null;
  /** Resident memory of the whole process group, in bytes; null when no process runs. */
  memoryBytes: number | null;
  /** Reason the service is not-installed, failed or unhealthy; null otherwise. */
  reason: string | null;
  /** Shell command that installs the program, shown when the state is not-installed. */
  installCommand: string | null;
  dependsOn: string[];
  lastExitCode: number | null;
  /** True for a row that is not a service but the errors of a project's `services` block, in `reason`. */
  configError?: boolean;
}

export interface ServiceLogs {
  name: string;
  /** Latest lines of stdout and stderr, oldest first; stderr lines start with `[stderr] `. */
  lines: string[];
  /** The lines printed just before the last crash; empty when the service never crashed. */
  crashLines: string[];
}

/** Destination of the GUI's and the SDK's tracking calls. */
export interface TrackingTarget {
  /** The user's choice: the embedded store, or the managed MLflow server when it runs. */
  preference: 'embedded' | 'managed';
  /** Target in effect now: `managed` only when preferred and the managed server is running. */
  active: 'embedded' | 'managed';
  /** MLflow tracking URI of the managed server when active is `managed`; null otherwise. */
  managedUri: string | null;
}

const serviceNameSchema = z.string().regex(serviceNamePattern, 'must be a service name such as `mlflow` or `my-project.model-server`');

const nameInput = z.object({ name: serviceNameSchema }).strict();

export const servicesMethods = {
  'services:list': defineMethod<ServiceInfo[]>()('List managed services with their state, pid, port, CPU and memory.', z.object({}).strict()),
  'services:start': defineMethod<ServiceInfo>()('Start a service and the services it depends on.', nameInput),
  'services:stop': defineMethod<ServiceInfo>()('Stop a service and the running services that depend on it.', nameInput),
  'services:restart': defineMethod<ServiceInfo>()('Stop a service and the running services that depend on it, then start them all again.', nameInput),
  'services:logs': defineMethod<ServiceLogs>()(
    'Return the latest log lines of a service and the lines printed before its last crash.',
    z.object({ name: serviceNameSchema, lines: z.number().int().min(1).max(5000).default(200) }).strict(),
  ),
  'services:trackingTarget': defineMethod<TrackingTarget>()(
    'Return the tracking target; with `preference`, set it first (`managed` uses the managed MLflow server when it runs).',
    z.object({ preference: z.enum(['embedded', 'managed']).optional() }).strict(),
  ),
} as const;
