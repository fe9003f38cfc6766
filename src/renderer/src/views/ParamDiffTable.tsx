import type { RunDetail } from '../api';

/** Shows the params of the compared runs side by side. Rows whose values differ are highlighted and listed first. */
export function ParamDiffTable({ runs }: { runs: RunDetail[] }) {
  const keys = [...new Set(runs.flatMap((run) => Object.keys(run.params)))].sort();
  const differs = (key: string) => new Set(runs.map((run) => run.params[key] ?? '')).size > 1;
  const ordered = [...keys.filter(differs), ...keys.filter((key) => !differs(key))];

  if (ordered.length === 0) return <p className="muted">None of these runs logged params.</p>;

  return (
    <table className="table compact" data-testid="param-diff-table">
      <thead>
        <tr>
          <th>Param</th>
          {runs.map((run) => (
            <th key={run.runId}>{run.runName || run.runId}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {ordered.map((key) => (
          <tr key={key} className={differs(key) ? 'differs' : ''} data-testid="param-diff-row" data-differs={differs(key)}>
            <th scope="row">{key}</th>
            {runs.map((run) => (
              <td key={run.runId}>{run.params[key] ?? '–'}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
