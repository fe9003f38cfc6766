import type { LeaseView } from '../../../../common/methods/leases';
import { formatDuration } from '../../format';
import { describeResources, formatEstimate, queuedLeases } from './leaseRows';

/** Queued requests, next in line first, with the reason each one waits and an estimate. */
export function LeaseQueueTable({ leases, nowMs }: { leases: LeaseView[]; nowMs: number }) {
  const queue = queuedLeases(leases);
  if (queue.length === 0) return <p className="muted" data-testid="lease-queue-empty">Nothing is waiting: every request so far fit at once.</p>;

  return (
    <table className="table" data-testid="lease-queue">
      <thead>
        <tr>
          <th className="number">#</th>
          <th>Project</th>
          <th>Holder</th>
          <th>Asks for</th>
          <th>Waiting because</th>
          <th className="number">Waited</th>
          <th>Estimate</th>
        </tr>
      </thead>
      <tbody>
        {queue.map((lease) => (
          <tr key={lease.leaseId} data-testid="queued-lease-row" data-lease-id={lease.leaseId}>
            <td className="number">{lease.queue?.position ?? '–'}</td>
            <td className="strong">{lease.project}</td>
            <td>
              {lease.label || 'unnamed'} <span className="muted small">pid {lease.pid}</span>
            </td>
            <td>{describeResources(lease.resources)}</td>
            <td data-testid="queue-reason">{lease.queue?.message ?? '–'}</td>
            <td className="number">{formatDuration(nowMs - lease.requestedAt)}</td>
            <td>{formatEstimate(lease.queue?.estimateMs ?? null)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
