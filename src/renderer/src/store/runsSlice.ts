import type { RunSummary } from '../api';
import { describeError } from '../messages';
import type { HubTransport } from '../transport/hubTransport';
import type { RunsScope, RunsSlice, SliceCreator } from './types';

/** Runs fetched per `runs:list` call. */
const pageSize = 5000;
/** Most runs the table loads; the hub's own `maxResults` limit is 50,000. */
const maxLoadedRuns = 50_000;

export const createRunsSlice: SliceCreator<RunsSlice> = (transport) => (set, get) => {
  // Only the latest load may write, so a slow old reply never replaces a newer one.
  let loadSequence = 0;

  return {
    runs: [],
    runsTotal: 0,
    runsStatus: 'idle',
    runsError: null,
    runsScope: {},
    runsFilter: '',
    runsSort: { column: 'attributes.start_time', descending: true },

    async loadRuns() {
      const sequence = ++loadSequence;
      const { runsScope, runsFilter, runsStatus } = get();
      set({ runsStatus: runsStatus === 'ready' ? 'ready' : 'loading' });

      try {
        const { runs, total } = await fetchAllRuns(transport, runsScope, runsFilter);
        if (sequence === loadSequence) set({ runs, runsTotal: total, runsStatus: 'ready', runsError: null });
      } catch (error) {
        if (sequence === loadSequence) set({ runs: [], runsTotal: 0, runsStatus: 'error', runsError: describeError(error) });
      }
    },

    setRunsScope(scope) {
      // Drop the old scope's rows at once so they never show under the new title.
      set({ runsScope: scope, runs: [], runsTotal: 0, runsStatus: 'loading', runsError: null });
      void get().loadRuns();
    },

    setRunsFilter(filter) {
      set({ runsFilter: filter });
      void get().loadRuns();
    },

    setRunsSort(sort) {
      set({ runsSort: sort });
    },

    async refreshRun(runId) {
      const index = get().runs.findIndex((run) => run.runId === runId);
      if (index === -1 || get().runsFilter.trim() !== '') return get().loadRuns();

      try {
        const detail = await transport.call('runs:get', { runId });
        const runs = get().runs.slice();
        const current = runs.findIndex((run) => run.runId === runId);
        if (current === -1) return;
        runs[current] = detail;
        set({ runs, runDetails: { ...get().runDetails, [runId]: detail } });
      } catch {
        // The run may have been deleted in between: reload the whole table.
        await get().loadRuns();
      }
    },
  };
};

async function fetchAllRuns(transport: HubTransport, scope: RunsScope, filter: string): Promise<{ runs: RunSummary[]; total: number }> {
  const runs: RunSummary[] = [];
  let pageToken: string | undefined;
  let total = 0;

  do {
    const page = await transport.call('runs:list', {
      ...(scope.project ? { project: scope.project } : {}),
      ...(scope.experimentIds ? { experimentIds: scope.experimentIds } : {}),
      ...(filter.trim() ? { filter: filter.trim() } : {}),
      maxResults: pageSize,
      ...(pageToken ? { pageToken } : {}),
    });
    runs.push(...page.runs);
    total = page.total;
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken && runs.length < maxLoadedRuns);

  return { runs, total };
}
