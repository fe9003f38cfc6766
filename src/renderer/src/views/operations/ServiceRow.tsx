import type { ServiceInfo } from '../../../../common/methods/services';
import { useHub } from '../../hooks';
import { formatCpuCores, formatMemory, formatUptime } from './operationsFormat';

/** States in which a process exists or is about to, so Stop is the action offered. */
const activeStates = new Set(['starting', 'running', 'unhealthy', 'backoff']);

/** Renders one service: state, process figures, port link and its actions. A not-installed service shows its install command. */
export function ServiceRow({ service, nowMs }: { service: ServiceInfo; nowMs: number }) {
  const pending = useHub((state) => state.pendingServices.includes(service.name));
  const actionError = useHub((state) => state.serviceActionErrors[service.name]);
  const logsOpen = useHub((state) => state.openLogsService === service.name);
  const runAction = useHub((state) => state.runServiceAction);
  const openLogs = useHub((state) => state.openServiceLogs);
  const active = activeStates.has(service.state);
  const installable = service.state === 'not-installed';

  return (
    <>
      <tr data-testid="service-row" data-service={service.name} data-state={service.state}>
        <td>
          <div className="strong">{service.name}</div>
          <div className="muted small">{service.description || (service.source === 'builtin' ? 'built in' : `from project ${service.source}`)}</div>
        </td>
        <td>
          <span className={`service-state state-${service.state}`} data-testid="service-state">
            {service.state}
          </span>
        </td>
        <td className="number" data-testid="service-pid">{service.pid ?? '–'}</td>
        <td className="number">{formatUptime(service.startedAt, nowMs)}</td>
        <td className="number">{service.restarts}</td>
        <td>{service.url ? <a href={service.url} target="_blank" rel="noreferrer" data-testid="service-link">{service.port}</a> : (service.port ?? '–')}</td>
        <td className="number" data-testid="service-cpu">{formatCpuCores(service.cpuCores)}</td>
        <td className="number" data-testid="service-memory">{formatMemory(service.memoryBytes)}</td>
        <td className="actions">
          {active ? (
            <>
              <button type="button" disabled={pending} onClick={() => void runAction(service.name, 'stop')} data-testid="service-stop">Stop</button>
              <button type="button" disabled={pending} onClick={() => void runAction(service.name, 'restart')}>Restart</button>
            </>
          ) : (
            <button type="button" disabled={pending || installable || service.state === 'stopping'} onClick={() => void runAction(service.name, 'start')} data-testid="service-start">Start</button>
          )}
          <button type="button" className={logsOpen ? 'active' : ''} aria-pressed={logsOpen} onClick={() => void openLogs(logsOpen ? null : service.name)} data-testid="service-logs-button">Logs</button>
        </td>
      </tr>
      {installable || service.reason || actionError ? (
        <tr className="service-detail">
          <td colSpan={9}>
            {service.reason && !installable ? <span className={service.state === 'failed' || service.state === 'unhealthy' ? 'danger-text' : 'muted'}>{service.reason} </span> : null}
            {installable ? <InstallHint command={service.installCommand} reason={service.reason} /> : null}
            {actionError ? <span className="danger-text" role="alert">{actionError}</span> : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** Shows the install command first, and the hub's full reason (which lists every folder searched) only on request. */
function InstallHint({ command, reason }: { command: string | null; reason: string | null }) {
  return (
    <details className="install-hint" data-testid="service-install">
      <summary>
        {command ? (
          <>
            Not installed. Install it with <code>{command}</code>, then press Start.
          </>
        ) : (
          'Not installed. Install the program, then press Start.'
        )}
      </summary>
      {reason ? <p className="muted">{reason}</p> : null}
    </details>
  );
}
