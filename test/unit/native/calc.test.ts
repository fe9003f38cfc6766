import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

const nativeDir = path.resolve(import.meta.dirname, '../../../native');

describe('native calc', () => {
  it('passes the C arithmetic tests', () => {
    // Builds into a temporary folder so a concurrent `make` of the helper is not disturbed.
    const buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    const result = spawnSync('make', ['-C', nativeDir, `BUILD=${buildDir}`, 'test'], { encoding: 'utf8' });
    fs.rmSync(buildDir, { recursive: true, force: true });

    expect(result.error).toBeUndefined();
    expect(result.stderr).not.toMatch(/FAIL/);
    expect(result.stdout).toMatch(/test_calc: all checks passed/);
    expect(result.status).toBe(0);
  });
});
