import { execFile } from 'node:child_process';
import fs from 'node:fs';

import type { CallContext } from '../../../common/contract';
import { HubError } from '../../../common/errors';
import type { Logger } from '../logger';

/** Resolves the parent pid of `pid`, or null when the process is gone or unreadable. */
export type ReadParentPid = (pid: number) => Promise<number | null>;

/** Deepest parent chain followed; real process trees are far shallower, and the bound stops a loop. */
const maxAncestorDepth = 64;

/** Parent pid from Linux's `/proc/<pid>/stat` (field 4), or from `ps -o ppid= -p <pid>` elsewhere (macOS). */
export const readSystemParentPid: ReadParentPid = async (pid) => {
  if (process.platform === 'linux') {
    const text = await fs.promises.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);

    return text === null ? null : parseStatParentPid(text);
  }

  return new Promise((resolve) => {
    execFile('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8', timeout: 2_000 }, (error, stdout) => {
      const parent = Number(stdout.trim());
      resolve(error || !Number.isInteger(parent) || stdout.trim() === '' ? null : parent);
    });
  });
};

/** Parent pid in a `/proc/<pid>/stat` line; the command name in brackets may contain spaces, so fields start after the last ')'. */
export function parseStatParentPid(stat: string): number | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const parent = Number(fields[1]);

  return Number.isInteger(parent) && parent >= 0 ? parent : null;
}

/**
 * Resolves true when `pid` is `ancestor` or one of its descendants, false when
 * its parent chain ends elsewhere, and null when the first parent cannot be
 * read (the process is gone or belongs to an unreadable namespace).
 */
export async function isSelfOrDescendant(pid: number, ancestor: number, readParentPid: ReadParentPid): Promise<boolean | null> {
  let current = pid;
  for (let depth = 0; depth < maxAncestorDepth; depth++) {
    if (current === ancestor) return true;

    const parent = await readParentPid(current);
    if (parent === null) return depth === 0 ? null : false;
    if (parent <= 0 || parent === current) return false;
    current = parent;
  }

  return false;
}

/**
 * Raises INVALID_PARAMETER_VALUE when the connection's peer process is known and
 * the request's `pid` is neither that process nor one of its descendants. When
 * the transport has no peer lookup or the peer cannot be resolved, the request
 * passes as before and the case is logged at trace level.
 */
export async function checkPeerProcess(pid: number, context: CallContext, readParentPid: ReadParentPid, log: Logger): Promise<void> {
  const peerPid = context.resolvePeerPid ? await context.resolvePeerPid() : null;
  if (peerPid === null) {
    log.trace(`request(): caller's pid unknown transport=${context.transport}; accepting pid=${pid} as declared`);
    return;
  }

  const related = await isSelfOrDescendant(pid, peerPid, readParentPid);
  // null: the pid is not running; the liveness check that follows reports that with its own message.
  if (related !== false) return;

  log.warn(`request(): rejected pid=${pid}: not the calling process pid=${peerPid} or one of its children`);
  throw new HubError(
    'INVALID_PARAMETER_VALUE',
    `leases:request: \`pid\` ${pid} is not the calling process (pid ${peerPid}) or one of its children; pass os.getpid() of the process that does the work`,
  );
}
