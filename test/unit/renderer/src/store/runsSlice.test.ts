import { describe, expect, it } from 'vitest';

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
    expect(store.getState().runsError).toBe("Invalid filter 'metrics.acc >>'.");
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
});
