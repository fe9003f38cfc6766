import { useEffect } from 'react';

import { useHub } from '../hooks';
import { historyKey } from '../store/types';

/** Loads every (run, metric key) history that is not loaded yet; live updates reload them later. */
export function useMetricHistories(runIds: string[], metricKeys: string[]): void {
  const histories = useHub((state) => state.histories);
  const loadHistory = useHub((state) => state.loadHistory);

  useEffect(() => {
    for (const runId of runIds) {
      for (const key of metricKeys) {
        if (!histories[historyKey(runId, key)]) void loadHistory(runId, key);
      }
    }
    // Histories are left out on purpose: a finished load must not start another round.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runIds.join('\n'), metricKeys.join('\n'), loadHistory]);
}
