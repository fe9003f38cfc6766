import type { LeaseView } from '../../../../common/methods/leases';
import { formatDuration } from '../../format';
import { useHub } from '../../hooks';
import { describeResources, groupHeldLeases } from './leaseRows';
import { formatMemory } from './operationsFormat';

/** Granted and paused leases, grouped by project, with what each holds and uses; the user can revoke one. */
export function HeldLeasesTable({ leases, nowMs }: { leases: LeaseView[]; nowMs: number }) {
  const release = useHub((state) => state.releaseLease);
  const groups = groupHeldLeases(leases);
  if (groups.length === 0) return <p className="muted">No lease is granted. Scripts ask for one with <code>hub.lease(memory_gb=8, gpu=True)</code> or <code>mlops-hub run --memory 8G --gpu -- COMMAND</code>.</p>;

  return (
    <table className="table" data-testid="held-leases">
      <thead>
        <tr>
          <th>Project</th>
          <th>Holder</th>
          <th>State</th>
          <th>Resources</th>
          <th className="number">Memory used</th>
          <th>Priority</th>
          <th className="number">Held for</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {groups.flatMap((group) =>
          group.leases.map((lease, index) => (
            <tr key={lease.leaseId} data-testid="held-lease-row" data-lease-id={lease.leaseId} data-project={lease.project}>
              <td className="strong">{index === 0 ? group.project : ''}</td>
              <td>
                {lease.label || 'unnamed'} <span className="muted small">pid {lease.pid}</span>
              </td>
              <td>
                <span className={`service-state state-${lease.state}`}>{lease.pauseRequested && lease.state === 'granted' ? 'pause requested' : lease.state}</span>
                {lease.pauseReason ? <div className="muted small">{lease.pauseReason}</div> : null}
              </td>
              <td data-testid="lease-resources">{describeResources(lease.resources)}</td>
              <td className="number">
                {formatMemory(lease.memoryUsedBytes)}
                {lease.memoryLimitBytes > 0 ? <span className="muted small"> of {formatMemory(lease.memoryLimitBytes)}</span> : null}
              </td>
              <td>
                {lease.priority}
                {lease.preemptible ? '' : ', not preemptible'}
              </td>
              <td className="number">{lease.grantedAt === null ? '–' : formatDuration(nowMs - lease.grantedAt)}</td>
              <td>
                <button type="button" onClick={() => void release(lease.leaseId)} title="Revoke the lease. The holder gets a revoked event and must stop using the resources.">
                  Revoke
                </button>
              </td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}
