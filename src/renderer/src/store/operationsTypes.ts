import type { HardwareSample, HardwareStatus, HistoryMinute, ThermalPressure } from '../../../common/methods/hardware';
import type { LeaseOverview } from '../../../common/methods/leases';
import type { ServiceInfo, ServiceLogs, TrackingTarget } from '../../../common/methods/services';
import type { ShownError } from '../messages';
import type { LoadStatus } from './types';

export interface ServicesSlice {
  services: ServiceInfo[];
  servicesStatus: LoadStatus;
  servicesError: ShownError | null;
  /** Service whose log tail is open, or null. */
  openLogsService: string | null;
  serviceLogs: ServiceLogs | null;
  serviceLogsError: ShownError | null;
  /** Names of services with a start, stop or restart request in flight. */
  pendingServices: string[];
  /** Error sentence of the last failed start, stop or restart, per service name. */
  serviceActionErrors: Record<string, string>;
  loadServices(): Promise<void>;
  runServiceAction(name: string, action: ServiceAction): Promise<void>;
  openServiceLogs(name: string | null): Promise<void>;
  loadServiceLogs(): Promise<void>;
  /** Tracking destination: the embedded store or the managed MLflow server; null until read. */
  trackingTarget: TrackingTarget | null;
  trackingTargetError: string | null;
  /** Reads the tracking target. With a preference, sets it first and then reloads the experiments and runs already loaded. */
  loadTrackingTarget(preference?: 'embedded' | 'managed'): Promise<void>;
}

export type ServiceAction = 'start' | 'stop' | 'restart';

/** Length of the hardware history shown, in milliseconds. */
export type HardwareRangeMs = number;

export interface HardwareSlice {
  hardwareStatus: HardwareStatus | null;
  hardwareState: LoadStatus;
  hardwareError: ShownError | null;
  /** Latest samples, oldest first, at most `maxLiveSamplesKept`. */
  liveSamples: HardwareSample[];
  /** Thermal pressure changes seen in the samples, oldest first. */
  thermalTimeline: ThermalChange[];
  hardwareRangeMs: HardwareRangeMs;
  hardwareHistory: HistoryMinute[];
  hardwareHistoryError: ShownError | null;
  loadHardware(): Promise<void>;
  /** Adds samples pushed by `hardware:didSample` events; ignores anything that is not a sample. */
  addHardwareSamples(samples: readonly unknown[]): void;
  setHardwareRange(rangeMs: HardwareRangeMs): Promise<void>;
  loadHardwareHistory(): Promise<void>;
}

/** One change of thermal pressure: the level in force from `atMs` on (milliseconds since the Unix epoch). */
export interface ThermalChange {
  atMs: number;
  level: ThermalPressure | 'unknown';
}

/** Each project's dominant share at one load of `leases:list`. */
export interface ShareSnapshot {
  atMs: number;
  /** Project slug to dominant share, 0 to 1. */
  shares: Record<string, number>;
}

export interface LeasesSlice {
  leaseOverview: LeaseOverview | null;
  leasesStatus: LoadStatus;
  leasesError: ShownError | null;
  /** Shares over time, oldest first, at most `maxShareSnapshots`. */
  shareHistory: ShareSnapshot[];
  /** Changes of the arbiter's thermal level seen by this dashboard, oldest first. */
  leaseThermalEvents: ThermalChange[];
  loadLeases(): Promise<void>;
  releaseLease(leaseId: string): Promise<void>;
}
