import { describe, expect, it } from 'vitest';

import { MetricsRegistry, renderExposition } from '../../../../src/main/core/api/metricsRegistry';

describe('MetricsRegistry', () => {
  it('collects from registered collectors', () => {
    const registry = new MetricsRegistry();
    registry.registerCollector(() => [{ name: 'a_total', help: 'A.', type: 'counter', samples: [{ value: 1 }] }]);

    expect(registry.collect(() => undefined).map((family) => family.name)).toEqual(['a_total']);
  });

  it('stops collecting after unregistering', () => {
    const registry = new MetricsRegistry();
    const unregister = registry.registerCollector(() => [{ name: 'a', help: 'A.', type: 'gauge', samples: [] }]);
    unregister();

    expect(registry.collect(() => undefined)).toEqual([]);
  });

  it('skips a throwing collector and reports it', () => {
    const registry = new MetricsRegistry();
    const errors: unknown[] = [];
    registry.registerCollector(() => {
      throw new Error('sensor gone');
    });
    registry.registerCollector(() => [{ name: 'b', help: 'B.', type: 'gauge', samples: [{ value: 2 }] }]);

    expect(registry.collect((error) => errors.push(error)).map((family) => family.name)).toEqual(['b']);
    expect(errors).toHaveLength(1);
  });
});

describe('renderExposition', () => {
  it('renders HELP, TYPE and labelled samples', () => {
    const text = renderExposition([{ name: 'hub_x', help: 'X\nline.', type: 'gauge', samples: [{ labels: { name: 'a"b\\c' }, value: 1.5 }] }]);

    expect(text).toBe('# HELP hub_x X\\nline.\n# TYPE hub_x gauge\nhub_x{name="a\\"b\\\\c"} 1.5\n');
  });

  it('renders non-finite values as Prometheus spells them', () => {
    const text = renderExposition([{ name: 'v', help: 'V.', type: 'gauge', samples: [{ value: Number.NaN }, { value: Infinity }, { value: -Infinity }] }]);

    expect(text).toContain('v NaN\nv +Inf\nv -Inf\n');
  });

  it('drops families with invalid names', () => {
    expect(renderExposition([{ name: 'bad-name', help: '', type: 'gauge', samples: [{ value: 1 }] }])).toBe('\n');
  });
});
