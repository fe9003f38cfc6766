/** Shows a run status as MLflow names it (RUNNING, SCHEDULED, FINISHED, FAILED, KILLED). */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`status status-${status.toLowerCase()}`}>{status}</span>;
}
