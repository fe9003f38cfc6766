import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { type CliDeps } from '../../../src/main/cli/deps';

/** Test state for `runCli` calls: a fresh data folder and the lines the CLI printed. */
export interface CliHarness {
  /** The data folder and working directory, which `MLOPS_HUB_HOME` points at. */
  home: string;
  /** Lines passed to `print`. */
  out: string[];
  /** Lines passed to `warn`. */
  err: string[];
  deps: CliDeps;
}

/** Creates a temporary data folder, points `MLOPS_HUB_HOME` at it and returns deps that collect the CLI's output. */
export function createCliHarness(): CliHarness {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = home;
  const out: string[] = [];
  const err: string[] = [];
  const deps: CliDeps = { dataDir: home, cwd: home, print: (line) => out.push(line), warn: (line) => err.push(line) };

  return { home, out, err, deps };
}
