/** Shows the params or tags of a run, sorted by key. */
export function KeyValueTable({ entries, empty, testId }: { entries: Record<string, string>; empty: string; testId: string }) {
  const keys = Object.keys(entries).sort();
  if (keys.length === 0) return <p className="muted">{empty}</p>;

  return (
    <table className="table compact" data-testid={testId}>
      <tbody>
        {keys.map((key) => (
          <tr key={key}>
            <th scope="row">{key}</th>
            <td className="path">{entries[key]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
