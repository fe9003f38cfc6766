import { afterEach, describe, expect, it, vi } from 'vitest';

import { createHubStore } from '../../../../../src/renderer/src/store';
import { HubCallError } from '../../../../../src/renderer/src/transport/hubTransport';
import { createFakeTransport, makeRun } from './fakeTransport';

describe('RunsSlice', () => {
  it('loads every page of runs', async () => {
    const all = Array.from({ length: 7 }, (_, index) => makeRun(index));
    const fake = createFakeTransport({
      'runs:list': (input) => {
        const offset = Number(input.pageToken ?? 0);
        const size = 5;

        return { runs: all.slice(offset, offset + size), nextPageToken: offset + size < all.length ? String(offset + size) : null, total: all.length };
      },
    });
    const { store } = createHubStore(fake.transport);

    await store.getState().loadRuns();

    expect(store.getState().runs).toHaveLength(7);
    expect(store.getState().runsTotal).toBe(7);
    expect(fake.calls.filter((call) => call.name === 'runs:list')).toHaveLength(2);
  });

  it('passes scope and filter to runs:list', async () => {
    const fake = createFakeTransport({ 'runs:list': () => ({ runs: [], nextPageToken: null, total: 0 }) });
    const { store } = createHubStore(fake.transport);

    store.getState().setRunsScope({ project: 'demo' });
    store.getState().setRunsFilter(" params.lr = '0.1' ");
    await store.getState().loadRuns();

    expect(fake.calls.at(-1)?.input).toMatchObject({ project: 'demo', filter: "params.lr = '0.1'" });
  });

  it('shows the hub message for an invalid filter', async () => {
    const fake = createFakeTransport({
      'runs:list': () => {
        throw new HubCallError('INVALID_PARAMETER_VALUE', "Invalid filter 'metrics.acc >>'", 'runs:list');
      },
    });
    const { store } = createHubStore(fake.transport);

    await store.getState().loadRuns();

    expect(store.getState().runsStatus).toBe('error');
    expect(store.getState().runsError?.message).toBe("Invalid filter 'metrics.acc >>'.");
  });

  it('replaces one run in place on refreshRun', async () => {
    const runs = [makeRun(1), makeRun(2)];
    const fake = createFakeTransport({
      'runs:list': () => ({ runs, nextPageToken: null, total: 2 }),
      'runs:get': (input) => makeRun(2, { runId: String(input.runId), status: 'RUNNING' }),
    });
    const { store } = createHubStore(fake.transport);
    await store.getState().loadRuns();

    await store.getState().refreshRun('run2');

    expect(store.getState().runs[1]?.status).toBe('RUNNING');
    expect(store.getState().runs[0]).toBe(runs[0]);
    expect(fake.calls.filter((call) => call.name === 'runs:list')).toHaveLength(1);
  });

  it('sends one request per Apply of an invalid filter', async () => {
    vi.useFakeTimers();
    const fake = createFakeTransport({
      'runs:list': () => {
        throw new HubCallError('INVALID_PARAMETER_VALUE', "Invalid filter 'metrics.acc >>'", 'runs:list');
      },
    });
    const { store, dispose } = createHubStore(fake.transport);

    store.getState().setRunsFilter('metrics.acc >>');
    await store.getState().loadRuns();
    // System metrics keep arriving for running runs; each burst used to resend the rejected filter.
    for (const runId of ['run1', 'run2', 'run3']) fake.emit({ type: 'metrics:didLog', runId, keys: ['system/cpu_utilization_percentage'] });
    await vi.advanceTimersByTimeAsync(1000);
    fake.emit({ type: 'projects:didChange' });
    await vi.advanceTimersByTimeAsync(1000);

    expect(fake.calls.filter((call) => call.name === 'runs:list')).toHaveLength(1);
    dispose();
  });

  it('shares a load already in flight', async () => {
    const fake = createFakeTransport({ 'runs:list': () => ({ runs: [], nextPageToken: null, total: 0 }) });
    const { store } = createHubStore(fake.transport);

    await Promise.all([store.getState().loadRuns(), store.getState().loadRuns(), store.getState().reloadRuns()]);

    expect(fake.calls.filter((call) => call.name === 'runs:list')).toHaveLength(1);
  });

  it('asks to fix an invalid filter without a retry', async () => {
    const fake = createFakeTransport({
      'runs:list': () => {
        throw new HubCallError('INVALID_PARAMETER_VALUE', "Invalid filter 'metrics.acc >>'", 'runs:list');
      },
    });
    const { store } = createHubStore(fake.transport);

    store.getState().setRunsFilter('metrics.acc >>');
    await store.getState().loadRuns();

    expect(store.getState().runsError?.message).toBe("Invalid filter 'metrics.acc >>'. Fix the filter, then press Apply.");
    expect(store.getState().runsErrorRetryable).toBe(false);
  });

  it('offers a retry after a hub failure', async () => {
    let failures = 1;
    const fake = createFakeTransport({
      'runs:list': () => {
        if (failures-- > 0) throw new HubCallError('INTERNAL_ERROR', 'HTTP 500', 'runs:list');
        return { runs: [makeRun(1)], nextPageToken: null, total: 1 };
      },
    });
    const { store } = createHubStore(fake.transport);

    await store.getState().loadRuns();
    expect(store.getState().runsErrorRetryable).toBe(true);

    await store.getState().reloadRuns();
    expect(store.getState().runsError).toBeNull();
    expect(store.getState().runs).toHaveLength(1);
  });

  it('sends the same invalid filter again on Apply', async () => {
    const fake = createFakeTransport({
      'runs:list': () => {
        throw new HubCallError('INVALID_PARAMETER_VALUE', 'Invalid filter', 'runs:list');
      },
    });
    const { store } = createHubStore(fake.transport);

    store.getState().setRunsFilter('metrics.acc >>');
    await store.getState().loadRuns();
    store.getState().setRunsFilter('metrics.acc >>');
    await store.getState().loadRuns();

    expect(fake.calls.filter((call) => call.name === 'runs:list')).toHaveLength(2);
  });
});

afterEach(() => {
  vi.useRealTimers();
});
