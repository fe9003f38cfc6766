import { spawn } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { parsePsOutput, sumTree, systemProcessProbe } from '../../../../src/main/core/arbiter/processProbe';

describe('parsePsOutput', () => {
  it('reads pid, parent pid and RSS in KiB', () => {
    const table = parsePsOutput('    1     0  1024\n  200     1   512\nbad line\n  201   200   256\n');

    expect(table.get(200)).toEqual({ ppid: 1, residentBytes: 512 * 1024 });
    expect(table.size).toBe(3);
  });
});

describe('sumTree', () => {
  it('sums a process and its descendants', () => {
    const table = parsePsOutput('1 0 1000\n200 1 100\n201 200 10\n202 201 1\n300 1 5000\n');

    expect(sumTree(200, table)).toBe(111 * 1024);
    expect(sumTree(999, table)).toBe(0);
  });
});

describe('systemProcessProbe', () => {
  it('reports this process alive', () => {
    expect(systemProcessProbe.isAlive(process.pid)).toBe(true);
  });

  it('reports an exited process dead', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.once('exit', resolve));

    expect(systemProcessProbe.isAlive(child.pid ?? 0)).toBe(false);
  });

  it('measures resident memory of this process', async () => {
    const bytes = await systemProcessProbe.readTreeResidentBytes([process.pid]);

    expect(bytes.get(process.pid)).toBeGreaterThan(1024 * 1024);
  });
});
