import type { Logger } from '../logger';
import type { LeaseRecord } from './leaseRecord';
import type { ProcessProbe } from './processProbe';

export interface LeaseWatchOptions {
  log: Logger;
  probe: ProcessProbe;
  pidCheckIntervalMs: number;
  /** 0 turns the memory check off. */
  memoryCheckIntervalMs: number;
  leases(): LeaseRecord[];
  /** Runs every `pidCheckIntervalMs`; the arbiter checks pids, heartbeats and maximum waits there. */
  onTick(): void;
  onMemory(lease: LeaseRecord, residentBytes: number): void;
}

/**
 * Timers that watch lease holders: a pid and heartbeat tick, and a resident
 * memory check of each holder's process tree. Timers are unref'd so they
 * never keep a process alive on their own.
 */
export class LeaseWatch {
  private readonly tickTimer: NodeJS.Timeout;
  private readonly memoryTimer: NodeJS.Timeout | null;
  private memoryCheckRunning = false;
  private memoryFailureLogged = false;

  constructor(private readonly options: LeaseWatchOptions) {
    this.tickTimer = setInterval(() => this.runTick(), options.pidCheckIntervalMs);
    this.tickTimer.unref();
    this.memoryTimer = options.memoryCheckIntervalMs > 0 ? setInterval(() => void this.checkMemory(), options.memoryCheckIntervalMs) : null;
    this.memoryTimer?.unref();
  }

  isPidAlive(pid: number): boolean {
    return this.options.probe.isAlive(pid);
  }

  readStartTime(pid: number): string | null {
    return this.options.probe.readStartTime(pid);
  }

  /** False when the pid exited, or when it now belongs to another process started later. */
  isLeaseProcessAlive(lease: LeaseRecord): boolean {
    if (!this.options.probe.isAlive(lease.pid)) return false;
    if (lease.pidStartTime === null) return true;

    return this.options.probe.readStartTime(lease.pid) === lease.pidStartTime;
  }

  close(): void {
    clearInterval(this.tickTimer);
    if (this.memoryTimer) clearInterval(this.memoryTimer);
  }

  private runTick(): void {
    try {
      this.options.onTick();
    } catch (error) {
      this.options.log.error('runTick(): lease check failed', error);
    }
  }

  private async checkMemory(): Promise<void> {
    const holders = this.options.leases().filter((lease) => lease.state === 'granted' || lease.state === 'paused');
    if (holders.length === 0 || this.memoryCheckRunning) return;

    this.memoryCheckRunning = true;
    try {
      const bytes = await this.options.probe.readTreeResidentBytes(holders.map((lease) => lease.pid));
      for (const lease of holders) this.options.onMemory(lease, bytes.get(lease.pid) ?? 0);
      this.memoryFailureLogged = false;
    } catch (error) {
      // Logged once per failure streak: `ps` failing every 2 s would flood the log.
      if (!this.memoryFailureLogged) this.options.log.error('checkMemory(): reading resident memory failed', error);
      this.memoryFailureLogged = true;
    } finally {
      this.memoryCheckRunning = false;
    }
  }
}
