import { describe, expect, it } from 'vitest';

import type { CallContext } from '../../../../src/common/contract';
import { HubError } from '../../../../src/common/errors';
import { checkPeerProcess, isSelfOrDescendant, parseStatParentPid, readSystemParentPid, type ReadParentPid } from '../../../../src/main/core/arbiter/callerCheck';
import { createSilentLogger } from '../../../../src/main/core/logger';

// A process tree: 1 → 100 → 200 → 300, and 1 → 400. Pids 10 and 11 name each other as parent.
const parents = new Map([
  [1, 0],
  [100, 1],
  [200, 100],
  [300, 200],
  [400, 1],
  [10, 11],
  [11, 10],
]);
const readParentPid: ReadParentPid = (pid) => Promise.resolve(parents.get(pid) ?? null);
const log = createSilentLogger();

function peerContext(peerPid: number | null): CallContext {
  return { transport: 'unix', resolvePeerPid: () => Promise.resolve(peerPid) };
}

async function rejection(promise: Promise<void>): Promise<HubError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error('expected a HubError');
}

describe('isSelfOrDescendant', () => {
  it('accepts the process itself', async () => {
    expect(await isSelfOrDescendant(300, 300, readParentPid)).toBe(true);
  });

  it('accepts a grandchild', async () => {
    expect(await isSelfOrDescendant(300, 100, readParentPid)).toBe(true);
  });

  it('rejects a process in another branch', async () => {
    expect(await isSelfOrDescendant(400, 100, readParentPid)).toBe(false);
  });

  it('rejects an ancestor', async () => {
    expect(await isSelfOrDescendant(100, 300, readParentPid)).toBe(false);
  });

  it('returns null for a process that is gone', async () => {
    expect(await isSelfOrDescendant(999, 100, readParentPid)).toBeNull();
  });

  it('stops in a parent loop', async () => {
    expect(await isSelfOrDescendant(10, 100, readParentPid)).toBe(false);
  });
});

describe('parseStatParentPid', () => {
  it('reads the parent after a command name with spaces and brackets', () => {
    expect(parseStatParentPid('1234 (my (odd) job) S 567 1234 1234 0 -1 4194560')).toBe(567);
  });

  it('returns null for a truncated line', () => {
    expect(parseStatParentPid('1234 (job)')).toBeNull();
  });
});

describe('readSystemParentPid', () => {
  it('reads the parent of this process', async () => {
    expect(await readSystemParentPid(process.pid)).toBe(process.ppid);
  });
});

describe('checkPeerProcess', () => {
  it('accepts a child of the caller', async () => {
    await expect(checkPeerProcess(300, peerContext(200), readParentPid, log)).resolves.toBeUndefined();
  });

  it('rejects a pid outside the caller tree', async () => {
    const error = await rejection(checkPeerProcess(400, peerContext(200), readParentPid, log));

    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toBe(
      'leases:request: `pid` 400 is not the calling process (pid 200) or one of its children; pass os.getpid() of the process that does the work',
    );
  });

  it('accepts when the caller is unknown', async () => {
    await expect(checkPeerProcess(400, peerContext(null), readParentPid, log)).resolves.toBeUndefined();
  });

  it('accepts without a peer lookup', async () => {
    await expect(checkPeerProcess(400, { transport: 'ipc' }, readParentPid, log)).resolves.toBeUndefined();
  });

  it('leaves a pid that is gone to the liveness check', async () => {
    await expect(checkPeerProcess(999, peerContext(200), readParentPid, log)).resolves.toBeUndefined();
  });
});
