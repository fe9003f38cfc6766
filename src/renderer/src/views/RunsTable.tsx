import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';

import { computeVisibleRange } from '../components/virtualRange';
import { useHub } from '../hooks';
import { selectRunColumns, selectSortedRuns } from '../store/selectors';
import { buildRunColumns, gridTemplate } from './runColumns';
import { RunRow } from './RunRow';
import { RunsHeader } from './RunsHeader';

/** Fixed row height in pixels; virtualization relies on every row having it (see styles.css `.run-row`). */
export const runRowHeightPx = 30;
/** Rows rendered above and below the viewport. */
const overscanRows = 8;

/**
 * Renders the runs table virtualized: only the rows in view (plus a few) are
 * in the DOM, so it stays responsive with tens of thousands of runs.
 */
export function RunsTable() {
  const runs = useHub(selectSortedRuns);
  const runColumns = useHub(selectRunColumns);
  const compareRunIds = useHub((state) => state.compareRunIds);
  const toggleCompare = useHub((state) => state.toggleCompare);
  const openRun = useHub((state) => state.openRun);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(600);

  const columns = useMemo(() => buildRunColumns(runColumns), [runColumns]);
  const gridTemplateColumns = useMemo(() => gridTemplate(columns), [columns]);
  const selected = useMemo(() => new Set(compareRunIds), [compareRunIds]);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;

    const observer = new ResizeObserver(() => setViewportHeight(element.clientHeight));
    observer.observe(element);
    setViewportHeight(element.clientHeight);

    return () => observer.disconnect();
  }, []);

  const onScroll = useCallback(() => setScrollTop(scrollRef.current?.scrollTop ?? 0), []);
  const range = computeVisibleRange(scrollTop, viewportHeight, runRowHeightPx, runs.length, overscanRows);
  const visibleRuns = runs.slice(range.start, range.start + range.count);

  return (
    <div className="runs-scroll" ref={scrollRef} onScroll={onScroll} role="table" data-testid="runs-table" data-row-count={runs.length}>
      <RunsHeader columns={columns} gridTemplateColumns={gridTemplateColumns} />
      <div className="runs-body" style={{ height: runs.length * runRowHeightPx }}>
        {visibleRuns.map((run, offset) => (
          <RunRow
            key={run.runId}
            run={run}
            columns={columns}
            gridTemplateColumns={gridTemplateColumns}
            topPx={(range.start + offset) * runRowHeightPx}
            selected={selected.has(run.runId)}
            onToggle={toggleCompare}
            onOpen={openRun}
          />
        ))}
      </div>
    </div>
  );
}
