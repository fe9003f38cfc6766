import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createTrackingFixture, type TrackingFixture } from './trackingFixture';

let fixture: TrackingFixture;
let experimentId: string;
const runIds: Record<string, string> = {};

/** Five runs: r0..r4 with start_time 1000+i, acc = i/10 (r4 lacks acc), lr alternating, r3 FINISHED. */
beforeEach(() => {
  fixture = createTrackingFixture();
  ({ experiment_id: experimentId } = fixture.ok('POST', 'experiments/create', { name: 'search' }) as { experiment_id: string });
  for (let i = 0; i < 5; i++) {
    const { run } = fixture.ok('POST', 'runs/create', { experiment_id: experimentId, run_name: `r${i}`, start_time: 1000 + i }) as { run: { info: { run_id: string } } };
    runIds[`r${i}`] = run.info.run_id;
    const metrics = i < 4 ? [{ key: 'acc', value: i / 10, timestamp: 1, step: 0 }] : [];
    fixture.ok('POST', 'runs/log-batch', { run_id: run.info.run_id, metrics, params: [{ key: 'lr', value: i % 2 ? '0.1' : '0.01' }], tags: [{ key: 'team', value: i < 2 ? 'Vision' : 'audio' }] });
  }
  fixture.ok('POST', 'runs/update', { run_id: runIds['r3'], status: 'FINISHED', end_time: 5000 });
});

afterEach(() => {
  fixture.close();
});

function search(fields: Record<string, unknown>): { names: string[]; token?: string } {
  const body = fixture.ok('POST', 'runs/search', { experiment_ids: [experimentId], ...fields }) as { runs?: { info: { run_name: string } }[]; next_page_token?: string };

  return { names: (body.runs ?? []).map((run) => run.info.run_name), token: body.next_page_token };
}

describe('Tracking.searchRuns', () => {
  it('orders by start_time DESC by default', () => {
    expect(search({}).names).toEqual(['r4', 'r3', 'r2', 'r1', 'r0']);
  });

  it('filters on metrics and leaves out runs without the metric', () => {
    expect(search({ filter: 'metrics.acc >= 0.1' }).names).toEqual(['r3', 'r2', 'r1']);
    expect(search({ filter: 'metrics.acc != 0.1' }).names).toEqual(['r3', 'r2', 'r0']);
  });

  it('filters on params, tags and attributes', () => {
    expect(search({ filter: "params.lr = '0.1'" }).names).toEqual(['r3', 'r1']);
    expect(search({ filter: "tags.team ILIKE 'vis%'" }).names).toEqual(['r1', 'r0']);
    expect(search({ filter: "tags.team LIKE 'vis%'" }).names).toEqual([]);
    expect(search({ filter: "attributes.status = 'FINISHED'" }).names).toEqual(['r3']);
    expect(search({ filter: 'attributes.end_time > 0' }).names).toEqual(['r3']);
    expect(search({ filter: 'attributes.start_time < 1002' }).names).toEqual(['r1', 'r0']);
    expect(search({ filter: "attributes.run_name = 'r2'" }).names).toEqual(['r2']);
    expect(search({ filter: "run_name LIKE 'r_'" }).names).toHaveLength(5);
  });

  it('filters on run_id IN and NOT IN', () => {
    expect(search({ filter: `attributes.run_id IN ('${runIds['r0']}', '${runIds['r2']}')` }).names).toEqual(['r2', 'r0']);
    expect(search({ filter: `run_id NOT IN ('${runIds['r0']}')` }).names).toHaveLength(4);
  });

  it('combines clauses with AND', () => {
    expect(search({ filter: "params.lr = '0.01' AND metrics.acc > 0" }).names).toEqual(['r2']);
  });

  it('orders by a metric with missing values last in both directions', () => {
    expect(search({ order_by: ['metrics.acc DESC'] }).names).toEqual(['r3', 'r2', 'r1', 'r0', 'r4']);
    expect(search({ order_by: ['metrics.acc ASC'] }).names).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });

  it('orders by a param then breaks ties by start_time DESC', () => {
    expect(search({ order_by: ['params.lr ASC'] }).names).toEqual(['r4', 'r2', 'r0', 'r3', 'r1']);
  });

  it('pages with max_results and next_page_token until the last page', () => {
    const first = search({ max_results: 2 });
    const second = search({ max_results: 2, page_token: first.token });
    const third = search({ max_results: 2, page_token: second.token });

    expect([first.names, second.names, third.names]).toEqual([['r4', 'r3'], ['r2', 'r1'], ['r0']]);
    expect(third.token).toBeUndefined();
  });

  it('treats an empty filter string as no filter', () => {
    expect(search({ filter: '' }).names).toHaveLength(5);
  });

  it('returns {} for unknown experiment ids', () => {
    expect(fixture.ok('POST', 'runs/search', { experiment_ids: ['424242', 'x'] })).toEqual({});
  });

  it('reports the total over all pages', () => {
    const page = fixture.tracking.searchRuns({ experimentIds: [experimentId], viewType: 'ACTIVE_ONLY', maxResults: 2, orderBy: [] });

    expect(page.total).toBe(5);
    expect(page.runs).toHaveLength(2);
  });
});
