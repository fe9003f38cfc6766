import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { type BenchModule, type BenchRow, formatTable, readMachineInfo } from './harness';

/**
 * Runs every `bench/*.bench.ts` module in name order and prints one Markdown
 * table: `npm run bench`, or `npm run bench -- logBatch` to run only the
 * modules whose file name contains `logBatch`.
 */
async function main(): Promise<void> {
  const folder = path.dirname(fileURLToPath(import.meta.url));
  const only = process.argv[2];
  const files = fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.bench.ts') && (only === undefined || name.includes(only)))
    .sort();
  if (files.length === 0) throw new Error(`no bench/*.bench.ts file matches ${only ?? '(any)'}`);

  const machine = readMachineInfo();
  process.stdout.write(`# Benchmark run ${new Date().toISOString()}\n\n`);
  process.stdout.write(`Command: \`npm run bench${only ? ` -- ${only}` : ''}\`. Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}.\n\n`);

  const rows: BenchRow[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(folder, file)).href)) as { default: BenchModule };
    process.stderr.write(`bench: running ${file} (${module.default.title})\n`);
    try {
      rows.push(...(await module.default.run()));
    } catch (error) {
      process.stderr.write(`bench: ${file} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      rows.push({ benchmark: module.default.title, result: 'failed', target: '-', status: 'missed', note: error instanceof Error ? error.message : String(error) });
    }
  }

  process.stdout.write(`${formatTable(rows)}\n`);
}

await main();
