import { resolveDataDir } from '../core/paths';
import { type CliDeps } from './deps';
import { runCli } from './run';

// A reader that stops early (`mlops-hub runs list | head -1`) closes the pipe: exit quietly instead of crashing on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

const deps: CliDeps = {
  dataDir: resolveDataDir(),
  cwd: process.cwd(),
  print: (line) => process.stdout.write(`${line}\n`),
  warn: (line) => process.stderr.write(`${line}\n`),
};

process.exitCode = await runCli(process.argv, deps);
