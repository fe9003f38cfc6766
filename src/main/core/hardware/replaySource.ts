import { type HardwareSample } from '../../../common/methods/hardware';

/**
 * Plays recorded samples back in a loop, one every `intervalMs`, for demos and
 * tests. Each sample keeps its recorded values but gets the current time as
 * `timestampMs` and the replay's pacing as `intervalMs`, so the live view,
 * history and run energy (power × window) treat it as live.
 */
export class ReplaySource {
  private timer: NodeJS.Timeout | null = null;
  private index = 0;

  constructor(
    private readonly samples: readonly HardwareSample[],
    private readonly intervalMs: number,
    private readonly onSample: (sample: HardwareSample) => void,
    private readonly now: () => number = Date.now,
  ) {
    if (samples.length === 0) throw new TypeError('Expected at least one sample to replay, got an empty trace');
  }

  start(): void {
    this.timer = setInterval(() => this.onSample(this.next()), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Returns the next recorded sample, wrapping around at the end of the trace. */
  next(): HardwareSample {
    const sample = this.samples[this.index % this.samples.length] as HardwareSample;
    this.index++;

    return { ...sample, timestampMs: this.now(), intervalMs: this.intervalMs };
  }
}
