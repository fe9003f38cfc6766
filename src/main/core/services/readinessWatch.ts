import type { ServiceDefinition } from './definition';
import { probeHttp, probeTcp } from './readiness';

/** Interval between readiness probes while a service starts, in milliseconds. */
const startProbeIntervalMs = 100;

/** Called with true when the service became or stays ready; with false and a reason when a probe fails. */
export type ReadinessListener = (ready: boolean, reason: string | null) => void;

/**
 * Probes one service: every 100 ms until it is ready or the start timeout
 * passes, then every `healthIntervalMs` while it runs. Alive-for readiness has
 * no later health checks.
 */
export class ReadinessWatch {
  private generation = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly definition: ServiceDefinition,
    private readonly now: () => number,
    private readonly listener: ReadinessListener,
  ) {}

  /** Starts watching a freshly spawned process that listens on `port` (null: none). */
  watch(port: number | null, url: string | null): void {
    this.cancel();
    const generation = this.generation;
    const { readiness } = this.definition;

    if (readiness.type === 'alive') {
      this.schedule(generation, readiness.forMs, () => this.listener(true, null));

      return;
    }

    const probe = readiness.type === 'http' && url ? () => probeHttp(url) : port !== null ? () => probeTcp(port) : null;
    if (!probe) {
      this.listener(true, null); // a TCP check without a port has nothing to probe

      return;
    }

    const target = readiness.type === 'http' ? url : `127.0.0.1:${port}`;
    this.pollUntilReady(generation, probe, target ?? '', this.now() + this.definition.startTimeoutMs);
  }

  cancel(): void {
    this.generation += 1;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private pollUntilReady(generation: number, probe: () => Promise<boolean>, target: string, deadlineMs: number): void {
    this.schedule(generation, startProbeIntervalMs, async () => {
      const ok = await probe();
      if (generation !== this.generation) return;

      if (ok) {
        this.listener(true, null);
        this.monitorHealth(generation, probe, target);
      } else if (this.now() >= deadlineMs) {
        this.listener(false, `not ready within ${this.definition.startTimeoutMs / 1000} s: ${target} did not answer`);
      } else {
        this.pollUntilReady(generation, probe, target, deadlineMs);
      }
    });
  }

  private monitorHealth(generation: number, probe: () => Promise<boolean>, target: string): void {
    this.schedule(generation, this.definition.healthIntervalMs, async () => {
      const ok = await probe();
      if (generation !== this.generation) return;

      this.listener(ok, ok ? null : `health check failed: ${target} did not answer`);
      this.monitorHealth(generation, probe, target);
    });
  }

  private schedule(generation: number, delayMs: number, task: () => void | Promise<void>): void {
    this.timer = setTimeout(() => {
      if (generation === this.generation) void task();
    }, delayMs);
    // Health checks alone must not keep a process alive that is otherwise done.
    this.timer.unref();
  }
}
