import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The C sources of the hardware helper and its Makefile. */
export const nativeDir = path.resolve(import.meta.dirname, '../../../native');

/** The helper binary that `make -C native` builds. */
export const helperPath = path.join(nativeDir, 'build', 'hwhelper');

/** Builds the helper with `make -C native` and throws with make's stderr when the build fails. */
export function buildNativeHelper(): void {
  const build = spawnSync('make', ['-C', nativeDir], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`make -C native failed: ${build.stderr}`);
}

/** Creates a fresh temporary folder and points `MLOPS_HUB_HOME` at it. */
export function createTempHome(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = dir;

  return dir;
}
