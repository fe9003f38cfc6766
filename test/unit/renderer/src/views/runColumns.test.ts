import { describe, expect, it } from 'vitest';

import { buildRunColumns } from '../../../../../src/renderer/src/views/runColumns';
import { makeRun } from '../store/fakeTransport';

describe('buildRunColumns', () => {
  it('labels the energy metric and puts it first', () => {
    const columns = buildRunColumns({ paramKeys: [], metricKeys: ['accuracy', 'system/cpu_power_watts', 'system/energy_joules'] });
    const metricLabels = columns.filter((column) => column.key.startsWith('metrics.')).map((column) => column.label);

    expect(metricLabels).toEqual(['Energy (J)', 'accuracy', 'system/cpu_power_watts']);
  });

  it('shows energy in whole joules', () => {
    const [energy] = buildRunColumns({ paramKeys: [], metricKeys: ['system/energy_joules'] }).filter((column) => column.key === 'metrics.system/energy_joules');
    const run = makeRun(1, { latestMetrics: { 'system/energy_joules': 1234.56 } });

    expect(energy?.render(run)).toBe('1235');
    expect(energy?.render(makeRun(2, { latestMetrics: { 'system/energy_joules': 'NaN' } }))).toBe('NaN');
  });

  it('shows a dash for unmeasured energy', () => {
    const [energy] = buildRunColumns({ paramKeys: [], metricKeys: ['system/energy_joules'] }).filter((column) => column.key === 'metrics.system/energy_joules');

    expect(energy?.render(makeRun(3, { latestMetrics: {} }))).toBe('—');
  });

  it('keeps the metric key as the sort key', () => {
    const columns = buildRunColumns({ paramKeys: [], metricKeys: ['system/energy_joules'] });

    expect(columns.map((column) => column.key)).toContain('metrics.system/energy_joules');
  });
});
