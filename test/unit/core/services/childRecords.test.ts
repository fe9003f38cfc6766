import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { isSameProcess, readChildRecords, writeChildRecords, type ChildRecord } from '../../../../src/main/core/services/childRecords';
import { createSilentLogger } from '../../../../src/main/core/logger';
import { readCommandLine, readStartTime } from '../../../../src/main/core/services/processInfo';

/** A record of this test process itself, as if the hub had spawned it. */
function recordOfSelf(): ChildRecord {
  const commandLine = readCommandLine(process.pid)!;

  return { service: 'self', pid: process.pid, pgid: process.pid, startTime: readStartTime(process.pid)!, command: commandLine, stopSignal: 'SIGTERM', stopTimeoutMs: 1000 };
}

describe('isSameProcess', () => {
  it('matches start time and command', () => {
    expect(isSameProcess(recordOfSelf())).toBe(true);
  });

  it('rejects another start time', () => {
    expect(isSameProcess({ ...recordOfSelf(), startTime: '1' })).toBe(false);
  });

  it('rejects other arguments', () => {
    const record = recordOfSelf();

    expect(isSameProcess({ ...record, command: [...record.command, '--not-given'] })).toBe(false);
  });
});

describe('readChildRecords', () => {
  it('reads what writeChildRecords wrote', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    process.env['MLOPS_HUB_HOME'] = folder;
    const file = path.join(folder, 'children.json');

    writeChildRecords(file, [recordOfSelf()]);

    expect(readChildRecords(file, createSilentLogger())).toEqual([recordOfSelf()]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('treats a malformed file as empty', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    const file = path.join(folder, 'children.json');
    fs.writeFileSync(file, '{"not": "a list"');

    expect(readChildRecords(file, createSilentLogger())).toEqual([]);
  });
});
