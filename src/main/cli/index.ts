import { resolveDataDir } from '../core/paths';
import { type CliDeps } from './deps';
import { runCli } from './run';

const deps: CliDeps = {
  dataDir: resolveDataDir(),
  cwd: process.cwd(),
  print: (line) => process.stdout.write(`${line}\n`),
  warn: (line) => process.stderr.write(`${line}\n`),
};

process.exitCode = await runCli(process.argv, deps);
