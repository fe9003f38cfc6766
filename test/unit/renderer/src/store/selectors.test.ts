import { describe, expect, it } from 'vitest';

import { createHubStore } from '../../../../../src/renderer/src/store';
import { selectRunColumns, selectSortedRuns } from '../../../../../src/renderer/src/store/selectors';
import { createFakeTransport, makeRun } from './fakeTransport';

function createStoreWithRuns(runs: ReturnType<typeof makeRun>[]) {
  const fake = createFakeTransport({ 'runs:list': () => ({ runs, nextPageToken: null, total: runs.length }) });

  return createHubStore(fake.transport).store;
}

describe('selectSortedRuns', () => {
  it('sorts by a metric and keeps missing and NaN values last', async () => {
    const store = createStoreWithRuns([
      makeRun(1, { latestMetrics: { accuracy: 0.5 } }),
      makeRun(2, { latestMetrics: {} }),
      makeRun(3, { latestMetrics: { accuracy: 'NaN' } }),
      makeRun(4, { latestMetrics: { accuracy: 0.9 } }),
    ]);
    await store.getState().loadRuns();

    store.getState().setRunsSort({ column: 'metrics.accuracy', descending: true });
    const descending = selectSortedRuns(store.getState()).map((run) => run.runId);
    store.getState().setRunsSort({ column: 'metrics.accuracy', descending: false });
    const ascending = selectSortedRuns(store.getState()).map((run) => run.runId);

    expect(descending.slice(0, 2)).toEqual(['run4', 'run1']);
    expect(ascending.slice(0, 2)).toEqual(['run1', 'run4']);
    expect(new Set(ascending.slice(2))).toEqual(new Set(['run2', 'run3']));
  });

  it('sorts params as numbers where they look like numbers', async () => {
    const store = createStoreWithRuns([makeRun(1, { params: { epochs: '10' } }), makeRun(2, { params: { epochs: '9' } })]);
    await store.getState().loadRuns();

    store.getState().setRunsSort({ column: 'params.epochs', descending: false });

    expect(selectSortedRuns(store.getState()).map((run) => run.runId)).toEqual(['run2', 'run1']);
  });

  it('returns the same array while runs and sort are unchanged', async () => {
    const store = createStoreWithRuns([makeRun(1), makeRun(2)]);
    await store.getState().loadRuns();

    expect(selectSortedRuns(store.getState())).toBe(selectSortedRuns(store.getState()));
  });
});

describe('selectRunColumns', () => {
  it('collects the union of param and metric keys', async () => {
    const store = createStoreWithRuns([makeRun(1, { params: { b: '1' }, latestMetrics: { loss: 1 } }), makeRun(2, { params: { a: '2' } })]);
    await store.getState().loadRuns();

    expect(selectRunColumns(store.getState())).toEqual({ paramKeys: ['a', 'b'], metricKeys: ['accuracy', 'loss'] });
  });
});
