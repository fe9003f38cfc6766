import type { CallContext } from '../../../common/contract';
import { HubError } from '../../../common/errors';
import { isActive, type LeaseRecord } from './leaseRecord';

/** Returns the lease with `leaseId`, or raises RESOURCE_DOES_NOT_EXIST. */
export function requireLease(leases: ReadonlyMap<string, LeaseRecord>, leaseId: string): LeaseRecord {
  const lease = leases.get(leaseId);
  if (!lease) throw new HubError('RESOURCE_DOES_NOT_EXIST', `lease ${leaseId} not found; it never existed or ended long ago. Request a new lease`);

  return lease;
}

/** Raises INVALID_STATE unless the lease is queued, granted or paused. */
export function requireActive(lease: LeaseRecord, verb: string): void {
  if (isActive(lease)) return;

  throw new HubError('INVALID_STATE', `leases:${verb}: lease ${lease.leaseId} is ${lease.state} (${lease.endReason ?? 'ended'}); request a new lease`);
}

/** Raises PERMISSION_DENIED when a caller names a project or pid other than the lease's. */
export function checkOwner(lease: LeaseRecord, pid: number | undefined, project: string | undefined, verb: string): void {
  if (project !== undefined && project !== lease.project) {
    throw new HubError('PERMISSION_DENIED', `leases:${verb}: lease ${lease.leaseId} belongs to project ${lease.project}, not ${project}; a project may only ${verb} its own leases`);
  }
  if (pid !== undefined && pid !== lease.pid) {
    throw new HubError('PERMISSION_DENIED', `leases:${verb}: lease ${lease.leaseId} belongs to pid ${lease.pid}, not ${pid}`);
  }
}

/**
 * Raises when a request's pid is not the one the caller declared, or not running.
 * The HTTP transports do not declare a pid; `checkPeerProcess` compares the
 * request's pid with the connection's peer process instead.
 */
export function checkCaller(pid: number, context: CallContext, isPidAlive: (pid: number) => boolean): void {
  if (context.declaredPid !== undefined && context.declaredPid !== pid) {
    throw new HubError('PERMISSION_DENIED', `leases:request: pid ${pid} is not the caller's (the caller declared pid ${context.declaredPid}); request leases for your own process`);
  }
  if (!isPidAlive(pid)) {
    throw new HubError('INVALID_PARAMETER_VALUE', `leases:request: pid ${pid} is not a running process; pass the pid of the process that will use the lease`);
  }
}
