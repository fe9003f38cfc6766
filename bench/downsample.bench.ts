import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { EventBus } from '../src/main/core/eventBus';
import { createSilentLogger } from '../src/main/core/logger';
import { openDatabase } from '../src/main/core/storage/database';
import { allMigrations } from '../src/main/core/storage/migrations';
import { createTrackingHandlers, readMetricHistory } from '../src/main/core/tracking/handlers';
import { lttbIndices } from '../src/main/core/tracking/lttb';
import { Tracking } from '../src/main/core/tracking/tracking';
import { type MetricPoint } from '../src/main/core/tracking/types';
import { type BenchModule, type BenchRow, formatNumber, median, timeRepeated } from './harness';

const pointCount = 1_000_000;
const maxPoints = 2000;
const targetMs = 100;
const repeats = 5;

/** A noisy decaying loss curve with spikes, the kind of series a chart must not flatten. */
function makeSeries(): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(pointCount);
  const ys = new Float64Array(pointCount);
  let seed = 42;
  for (let i = 0; i < pointCount; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    xs[i] = i;
    ys[i] = 2 * Math.exp(-i / 200_000) + 0.05 * (seed / 2 ** 31) + (i % 99_991 === 0 ? 1 : 0);
  }

  return { xs, ys };
}

/**
 * Computes LTTB the textbook way, for comparison: an array of point objects,
 * one slice per bucket and a reduce for the next bucket's mean. It keeps the same points.
 */
function naiveLttb(points: { x: number; y: number }[], threshold: number): { x: number; y: number }[] {
  const bucketSize = (points.length - 2) / (threshold - 2);
  const selected = [points[0]!];
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const current = points.slice(Math.floor(bucket * bucketSize) + 1, Math.floor((bucket + 1) * bucketSize) + 1);
    const next = points.slice(Math.floor((bucket + 1) * bucketSize) + 1, Math.min(Math.floor((bucket + 2) * bucketSize) + 1, points.length));
    const mean = next.reduce((sum, point) => ({ x: sum.x + point.x / next.length, y: sum.y + point.y / next.length }), { x: 0, y: 0 });
    const a = selected[selected.length - 1]!;
    const areas = current.map((point) => Math.abs((a.x - mean.x) * (point.y - a.y) - (a.x - point.x) * (mean.y - a.y)));
    selected.push(current[areas.indexOf(Math.max(...areas))]!);
  }
  selected.push(points[points.length - 1]!);

  return selected;
}

/** End to end: the `metrics:history` handler reading 1,000,000 stored points from SQLite and reducing them. */
function measureStoredHistory(): { readMs: number; cachedMs: number } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-bench-'));
  const log = createSilentLogger();
  const db = openDatabase({ file: path.join(home, 'hub.db'), migrations: allMigrations, log });
  try {
    const tracking = new Tracking({ db, log, events: new EventBus(log) });
    const runId = tracking.createRun({ experimentId: '0', tags: [] }).row.run_id;
    const { ys } = makeSeries();
    for (let start = 0; start < pointCount; start += 1000) {
      const metrics: MetricPoint[] = [];
      for (let step = start; step < start + 1000; step++) metrics.push({ key: 'loss', value: ys[step]!, timestamp: 1_700_000_000_000 + step, step });
      tracking.logBatch(runId, { metrics, params: [], tags: [] });
    }

    const readMs = median(timeRepeated(() => readMetricHistory(tracking, runId, 'loss', maxPoints), 3));
    const handlers = createTrackingHandlers(tracking);
    const cachedMs = median(timeRepeated(() => handlers['metrics:history']({ runId, key: 'loss', maxPoints }, { transport: 'internal' }), 3));

    return { readMs, cachedMs };
  } finally {
    db.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

const bench: BenchModule = {
  title: 'metric history downsampling',
  async run(): Promise<BenchRow[]> {
    const { xs, ys } = makeSeries();
    const objects = Array.from(xs, (x, i) => ({ x, y: ys[i]! }));

    const fast = median(timeRepeated(() => lttbIndices(xs, ys, maxPoints), repeats));
    const naive = median(timeRepeated(() => naiveLttb(objects, maxPoints), repeats));
    const keptIndices = lttbIndices(xs, ys, maxPoints);
    const sameAsNaive = naiveLttb(objects, maxPoints).every((point, i) => point.x === xs[keptIndices[i]!]);
    const stored = measureStoredHistory();
    const points = `${formatNumber(pointCount)} → ${formatNumber(keptIndices.length)} points`;

    return [
      { benchmark: 'LTTB on typed arrays', result: `${formatNumber(fast, 1)} ms`, target: `< ${targetMs} ms`, status: fast < targetMs ? 'met' : 'missed', note: `${points}, median of ${repeats} after a warm-up` },
      { benchmark: 'naive LTTB on objects', result: `${formatNumber(naive, 1)} ms`, target: '-', status: 'reference', note: `same input; point objects, slice and reduce per bucket; same points kept: ${sameAsNaive ? 'yes' : 'no'}` },
      { benchmark: 'metrics:history from SQLite', result: `${formatNumber(stored.readMs, 1)} ms`, target: '-', status: 'reference', note: `${points}, read from the store and reduced, median of 3` },
      { benchmark: 'metrics:history again', result: `${formatNumber(stored.cachedMs, 2)} ms`, target: '-', status: 'reference', note: 'same request while no new point arrived, served from the handler cache' },
    ];
  },
};

export default bench;
