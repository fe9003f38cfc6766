import { useHub } from '../hooks';
import type { RunColumn } from './runColumns';

/** Renders the sticky header of the runs table. A click sorts by the column, and a second click reverses the order. */
export function RunsHeader({ columns, gridTemplateColumns }: { columns: RunColumn[]; gridTemplateColumns: string }) {
  const sort = useHub((state) => state.runsSort);
  const setSort = useHub((state) => state.setRunsSort);

  const sortBy = (key: string) => {
    const descending = sort.column === key ? !sort.descending : key.startsWith('metrics.') || key === 'attributes.start_time';
    setSort({ column: key, descending });
  };

  return (
    <div className="runs-header" style={{ gridTemplateColumns }} role="row">
      <span className="cell" role="columnheader" />
      {columns.map((column) => {
        const active = sort.column === column.key;
        const direction = sort.descending ? 'descending' : 'ascending';
        let arrow = '';
        if (active) arrow = sort.descending ? ' ↓' : ' ↑';

        return (
          <button
            type="button"
            key={column.key}
            className={column.numeric ? 'cell number header-cell' : 'cell header-cell'}
            role="columnheader"
            aria-sort={active ? direction : 'none'}
            onClick={() => sortBy(column.key)}
            title={column.key}
            data-testid="runs-column-header"
            data-column={column.key}
          >
            {column.label}
            {arrow}
          </button>
        );
      })}
    </div>
  );
}
