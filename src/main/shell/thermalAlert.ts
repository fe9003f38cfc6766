/** Thermal pressure levels, mildest first, as the hardware samples name them. */
const levels = ['nominal', 'moderate', 'heavy', 'trapping', 'sleeping'];

/** Index from which a level counts as hot enough to notify: `heavy`. */
const alertIndex = levels.indexOf('heavy');

/** Index at or below which the alert re-arms: `nominal`, so that a level flapping between moderate and heavy notifies once. */
const rearmIndex = levels.indexOf('nominal');

/** A notification to show: title and body. */
export interface ThermalAlert {
  title: string;
  body: string;
}

/**
 * Watches the thermal pressure of successive samples and returns an alert the
 * first time it reaches heavy or worse. It alerts again only after the level
 * has gone back to nominal. Unknown or missing levels change nothing.
 */
export class ThermalPressureWatch {
  private armed = true;

  update(sample: unknown): ThermalAlert | null {
    const level = (sample as { thermalPressure?: unknown } | null)?.thermalPressure;
    const index = typeof level === 'string' ? levels.indexOf(level) : -1;
    if (index < 0) return null;

    if (index <= rearmIndex) {
      this.armed = true;
      return null;
    }
    if (index < alertIndex || !this.armed) return null;

    this.armed = false;

    return {
      title: `Thermal pressure ${level}`,
      body: 'The chip is throttling to cool down, so training slows. The arbiter asks low-priority preemptible leases to pause until it cools.',
    };
  }
}
