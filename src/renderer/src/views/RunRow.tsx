import { memo } from 'react';

import type { RunSummary } from '../api';
import { StatusBadge } from '../components/StatusBadge';
import type { RunColumn } from './runColumns';

interface RunRowProps {
  run: RunSummary;
  columns: RunColumn[];
  gridTemplateColumns: string;
  /** Pixels from the top of the table body; rows are absolutely placed. */
  topPx: number;
  selected: boolean;
  onToggle(runId: string): void;
  onOpen(runId: string): void;
}

/** Renders one row of the virtualized runs table at its absolute position. */
export const RunRow = memo(function RunRow({ run, columns, gridTemplateColumns, topPx, selected, onToggle, onOpen }: RunRowProps) {
  return (
    <div
      className={selected ? 'run-row selected' : 'run-row'}
      style={{ gridTemplateColumns, transform: `translateY(${topPx}px)` }}
      onClick={() => onOpen(run.runId)}
      role="row"
      data-testid="run-row"
      data-run-id={run.runId}
      data-run-name={run.runName}
    >
      <span className="cell" role="cell">
        <input
          type="checkbox"
          checked={selected}
          onClick={(event) => event.stopPropagation()}
          onChange={() => onToggle(run.runId)}
          aria-label={`Compare ${run.runName || run.runId}`}
          data-testid="compare-checkbox"
        />
      </span>
      {columns.map((column) => {
        const text = column.render(run);

        return (
          <span key={column.key} className={column.numeric ? 'cell number' : 'cell'} role="cell" data-column={column.key} title={text}>
            {column.key === 'attributes.status' ? <StatusBadge status={text} /> : text}
          </span>
        );
      })}
    </div>
  );
});
