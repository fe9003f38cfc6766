import { ErrorNotice } from '../../components/ErrorNotice';
import { useHub } from '../../hooks';

/** Shows the open service's latest log lines, and the lines it printed before its last crash. */
export function ServiceLogsPanel() {
  const name = useHub((state) => state.openLogsService);
  const logs = useHub((state) => state.serviceLogs);
  const error = useHub((state) => state.serviceLogsError);
  const reload = useHub((state) => state.loadServiceLogs);
  const close = useHub((state) => state.openServiceLogs);
  if (name === null) return null;

  return (
    <section className="logs-panel" data-testid="service-logs" data-service={name}>
      <div className="view-header">
        <h2>Log of {name}</h2>
        <span className="spacer" />
        <button type="button" onClick={() => void reload()}>Reload</button>
        <button type="button" onClick={() => void close(null)}>Close</button>
      </div>
      {error ? <ErrorNotice error={error} onRetry={reload} /> : null}
      {logs && logs.crashLines.length > 0 ? (
        <>
          <h3 className="danger-text">Before the last crash</h3>
          <pre className="log-tail crash" data-testid="service-crash-lines">{logs.crashLines.join('\n')}</pre>
        </>
      ) : null}
      {logs && logs.crashLines.length > 0 ? <h3>Latest lines</h3> : null}
      {logs ? (
        <pre className="log-tail" data-testid="service-log-lines">
          {logs.lines.length > 0 ? logs.lines.join('\n') : 'The service has printed nothing yet.'}
        </pre>
      ) : null}
    </section>
  );
}
