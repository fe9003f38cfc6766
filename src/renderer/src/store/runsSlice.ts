import type { RunSummary } from '../api';
import { describeError, errorCodeOf, isInvalidInputError, isRetryableError } from '../messages';
import type { HubTransport } from '../transport/hubTransport';
import type { RunsScope, RunsSlice, SliceCreator } from './types';

/** Runs fetched per `runs:list` call. */
const pageSize = 5000;
/** Most runs the table loads; the hub's own `maxResults` limit is 50,000. */
const maxLoadedRuns = 50_000;

export const createRunsSlice: SliceCreator<RunsSlice> = (transport) => (set, get) => {
  // Only the latest load may write, so a slow old reply never replaces a newer one.
  let loadSequence = 0;
  let inFlight: { requestKey: string; promise: Promise<void> } | null = null;
  // Scope and filter of the latest load that failed with a 4xx error, which hub events must not resend.
  let rejectedRequestKey: string | null = null;

  const currentRequestKey = (): string => JSON.stringify([get().runsScope, get().runsFilter.trim()]);

  const fetchAndStore = async (requestKey: string): Promise<void> => {
    const sequence = ++loadSequence;
    const { runsScope, runsFilter, runsStatus } = get();
    set({ runsStatus: runsStatus === 'ready' ? 'ready' : 'loading' });

    try {
      const { runs, total } = await fetchAllRuns(transport, runsScope, runsFilter);
      if (sequence !== loadSequence) return;
      rejectedRequestKey = null;
      set({ runs, runsTotal: total, runsStatus: 'ready', runsError: null, runsErrorRetryable: false });
    } catch (error) {
      if (sequence !== loadSequence) return;
      const retryable = isRetryableError(error);
      if (!retryable) rejectedRequestKey = requestKey;
      set({ runs: [], runsTotal: 0, runsStatus: 'error', runsError: { message: describeLoadError(error, runsFilter), code: errorCodeOf(error) }, runsErrorRetryable: retryable });
    }
  };

  return {
    runs: [],
    runsTotal: 0,
    runsStatus: 'idle',
    runsError: null,
    runsErrorRetryable: false,
    runsScope: {},
    runsFilter: '',
    runsSort: { column: 'attributes.start_time', descending: true },

    loadRuns() {
      const requestKey = currentRequestKey();
      if (inFlight?.requestKey === requestKey) return inFlight.promise;

      const promise = fetchAndStore(requestKey);
      const entry = { requestKey, promise };
      inFlight = entry;
      void promise.finally(() => {
        if (inFlight === entry) inFlight = null;
      });

      return promise;
    },

    reloadRuns() {
      return currentRequestKey() === rejectedRequestKey ? Promise.resolve() : get().loadRuns();
    },

    setRunsScope(scope) {
      // Drop the old scope's rows at once so they never show under the new title.
      set({ runsScope: scope, runs: [], runsTotal: 0, runsStatus: 'loading', runsError: null, runsErrorRetryable: false });
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
      if (index === -1 || get().runsFilter.trim() !== '') return get().reloadRuns();

      try {
        const detail = await transport.call('runs:get', { runId });
        const runs = get().runs.slice();
        const current = runs.findIndex((run) => run.runId === runId);
        if (current === -1) return;
        runs[current] = detail;
        set({ runs, runDetails: { ...get().runDetails, [runId]: detail } });
      } catch {
        // The run may have been deleted in between: reload the whole table.
        await get().reloadRuns();
      }
    },
  };
};

/** Describes a failed load. For an invalid filter it adds the next step, because reloading cannot help. */
function describeLoadError(error: unknown, filter: string): string {
  const message = describeError(error);

  return isInvalidInputError(error) && filter.trim() !== '' ? `${message} Fix the filter, then press Apply.` : message;
}

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
