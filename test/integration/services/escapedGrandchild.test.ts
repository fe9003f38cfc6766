import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { readChildRecords, writeChildRecords } from '../../../src/main/core/services/childRecords';
import { createSilentLogger } from '../../../src/main/core/logger';
import { readStartTime } from '../../../src/main/core/services/processInfo';
import { createHarness, isAlive, waitFor, type Harness } from './supervisorHarness';

/** The tester's fixture: `setsid` moves the first sleep out of the service's process group, but it keeps the stdout and stderr pipes. */
const escapeService = { name: 'escape', command: 'sh', args: ['-c', 'setsid sleep 300001 & sleep 300002'], readiness: { type: 'alive' as const, forMs: 100 }, stopTimeoutMs: 2000 };

let harness: Harness | null = null;

afterEach(async () => {
  await harness?.close();
  harness = null;
  for (const pid of findSleeps('300001')) process.kill(pid, 'SIGKILL');
});

/** Pids of live `sleep SECONDS` processes, found through /proc. */
function findSleeps(seconds: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const commandLine = fs.readFileSync(path.join('/proc', entry, 'cmdline'), 'utf8').split('\0');
        return commandLine[0]?.endsWith('sleep') === true && commandLine[1] === seconds;
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter(isAlive);
}

describe('ServiceRunner with a grandchild that left the process group', () => {
  it('stops once the group is empty although the escaped grandchild holds the pipes', async () => {
    harness = await createHarness([escapeService]);
    await harness.supervisor.start('escape');
    await harness.supervisor.waitUntilRunning('escape');
    await waitFor(() => findSleeps('300001').length === 1, 'the escaped sleep');

    await harness.supervisor.stop('escape');

    expect(harness.supervisor.get('escape').state).toBe('stopped');
    expect(findSleeps('300002')).toEqual([]);
    expect(readChildRecords(path.join(harness.dataDir, 'children.json'), createSilentLogger())).toEqual([]);
  });

  it('runs one instance when start, stop and start are requested together', async () => {
    harness = await createHarness([escapeService]);
    await harness.supervisor.start('escape');
    await harness.supervisor.waitUntilRunning('escape');

    const requests = [harness.supervisor.stop('escape'), harness.supervisor.start('escape'), harness.supervisor.stop('escape'), harness.supervisor.start('escape')];
    await Promise.all(requests);
    await harness.supervisor.waitUntilRunning('escape');

    await waitFor(() => findSleeps('300002').length >= 1, 'the service sleep');
    expect(findSleeps('300002')).toHaveLength(1);
    const records = readChildRecords(path.join(harness.dataDir, 'children.json'), createSilentLogger());
    expect(records.map((record) => record.pid)).toEqual([harness.supervisor.get('escape').pid]);
  });

  it('closes the supervisor while the escaped grandchild still runs', async () => {
    harness = await createHarness([escapeService]);
    await harness.supervisor.start('escape');
    await harness.supervisor.waitUntilRunning('escape');

    await harness.close();
    harness = null;

    expect(findSleeps('300002')).toEqual([]);
    expect(findSleeps('300001')).toHaveLength(1);
  });
});

describe('Supervisor.recoverOrphans after a user stop', () => {
  it('keeps a user-stopped service stopped after a crash', async () => {
    harness = await createHarness([escapeService]);
    const childrenFile = path.join(harness.dataDir, 'children.json');
    const stopping = spawn('sleep', ['300003'], { detached: true, stdio: 'ignore' });
    const pid = stopping.pid!;
    await waitFor(() => readStartTime(pid) !== null, 'the sleep');
    writeChildRecords(childrenFile, [
      { service: 'escape', pid, pgid: pid, startTime: readStartTime(pid)!, command: ['sleep', '300003'], stopSignal: 'SIGTERM', stopTimeoutMs: 1000, stopRequested: true },
    ]);

    const restartNames = await harness.supervisor.recoverOrphans();

    expect(restartNames).toEqual([]);
    await waitFor(() => !isAlive(pid), 'the recorded sleep to stop');
  });
});
