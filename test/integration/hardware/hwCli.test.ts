import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type HardwareSample, hardwareSampleSchema } from '../../../src/common/methods/hardware';
import { type CliDeps } from '../../../src/main/cli/deps';
import { parseStdin } from '../../../src/main/cli/commands/hw';
import { runCli } from '../../../src/main/cli/run';
import { createHub, type Hub } from '../../../src/main/core/hub';
import { createSilentLogger } from '../../../src/main/core/logger';
import { createCliHarness } from '../../unit/cli/cliHarness';

const fixture = path.resolve(import.meta.dirname, '../../unit/core/hardware/__fixtures__/pumas-powermetrics-output-m1.xml');
let home: string;
let out: string[];
let err: string[];
let deps: CliDeps;

beforeEach(() => {
  ({ home, out, err, deps } = createCliHarness());
});

afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

function cli(...args: string[]): Promise<number> {
  return runCli(['node', 'mlops-hub', ...args], deps);
}

function parsedLines(): HardwareSample[] {
  return out.flatMap((chunk) => chunk.split('\n')).map((line) => hardwareSampleSchema.parse(JSON.parse(line)));
}

describe('mlops-hub hw', () => {
  it('parses a powermetrics file into helper lines', async () => {
    const code = await cli('hw', 'parse', fixture);

    expect(code).toBe(0);
    expect(parsedLines()[0]?.cpuPowerWatts).toBeCloseTo(0.0440773, 7);
  });

  it('parses a helper trace', async () => {
    const trace = path.join(home, 'trace.jsonl');
    await cli('hw', 'parse', fixture);
    fs.writeFileSync(trace, `${out.join('\n')}\n${out.join('\n')}\n`);
    out.length = 0;

    expect(await cli('hw', 'parse', trace)).toBe(0);
    expect(parsedLines()).toHaveLength(2);
  });

  it('rejects missing and malformed files', async () => {
    const bad = path.join(home, 'bad.jsonl');
    fs.writeFileSync(bad, '{"timestampMs": 1}\n');

    expect(await cli('hw', 'parse', path.join(home, 'absent.xml'))).toBe(1);
    expect(err.join('\n')).toMatch(/hw parse: trace file .*absent\.xml not found/);
    expect(await cli('hw', 'parse', bad)).toBe(1);
    expect(err.join('\n')).toMatch(/bad\.jsonl, line 1: not a sample/);
    expect(out).toEqual([]);
  });

  it('streams powermetrics output from stdin', async () => {
    const input = new PassThrough();
    const done = parseStdin(input, deps);
    const record = fs.readFileSync(fixture, 'utf8');
    input.write(`${record}\0${record.slice(0, 200)}`);
    input.end(`${record.slice(200)}\0`);
    await done;

    expect(parsedLines()).toHaveLength(2);
  });

  it('rejects garbage on stdin', async () => {
    const input = new PassThrough();
    const done = parseStdin(input, deps);
    input.end('garbage\0');

    await expect(done).rejects.toThrow(/invalid powermetrics output on stdin: powermetrics record 1/);
  });

  it('replays a file as live lines', async () => {
    expect(await cli('hw', 'live', '--replay', fixture, '--count', '2', '--interval-ms', '100')).toBe(0);

    expect(parsedLines()).toHaveLength(2);
  });

  it('rejects an interval out of range', async () => {
    expect(await cli('hw', 'live', '--replay', fixture, '--interval-ms', '50')).not.toBe(0);
  });

  it('keeps the good record before a truncated one', async () => {
    const record = fs.readFileSync(fixture, 'utf8');
    const cut = path.join(home, 'cut.xml');
    fs.writeFileSync(cut, `${record}\0${record.slice(0, 300)}`);

    expect(await cli('hw', 'parse', cut)).toBe(0);
    expect(parsedLines()).toHaveLength(1);
    expect(err.join('\n')).toContain(`skipped 1 malformed record at byte ${Buffer.byteLength(record) + 1} `);
  });

  it('keeps the good record before a truncated one on stdin', async () => {
    const record = fs.readFileSync(fixture, 'utf8');
    const input = new PassThrough();
    const done = parseStdin(input, deps);
    input.end(`${record}\0${record.slice(0, 300)}`);
    await done;

    expect(parsedLines()).toHaveLength(1);
    expect(err.join('\n')).toContain(`stdin: skipped 1 malformed record at byte ${Buffer.byteLength(record) + 1} `);
  });

  it('keeps the good lines of a helper trace', async () => {
    await cli('hw', 'parse', fixture);
    const line = out[0] ?? '';
    out.length = 0;
    const trace = path.join(home, 'mixed.jsonl');
    fs.writeFileSync(trace, `${line}\n{oops\n${line.replace(/"cpuPowerWatts":[^,]+/, '"cpuPowerWatts":-5')}\n`);

    expect(await cli('hw', 'parse', trace)).toBe(0);
    expect(parsedLines().map((sample) => sample.cpuPowerWatts)).toEqual([expect.any(Number), null]);
    expect(err.join('\n')).toMatch(/skipped 1 malformed line at line 2 \(first: invalid JSON/);
    expect(err.join('\n')).toMatch(/set 1 negative power value to null/);
  });

  it('rejects an unusable serve --replay file before starting', async () => {
    const noise = path.join(home, 'noise.bin');
    fs.writeFileSync(noise, Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a]));
    const empty = path.join(home, 'empty.jsonl');
    fs.writeFileSync(empty, '');

    expect(await cli('serve', '--port', '0', '--replay', noise)).toBe(1);
    expect(err.join('\n')).toMatch(/`--replay` file is unusable: invalid trace file .*noise\.bin, line 1: invalid JSON/);
    expect(await cli('serve', '--port', '0', '--replay', empty)).toBe(1);
    expect(err.join('\n')).toMatch(/empty\.jsonl contains no samples/);
    expect(out).toEqual([]);
  });

  it('fails live without a running hub', async () => {
    expect(await cli('hw', 'live')).toBe(1);
    expect(err.join('\n')).toMatch(/no hub is running/);
  });

  it('shows the core count without the helper', async () => {
    const previous = process.env['MLOPS_HUB_HWHELPER'];
    process.env['MLOPS_HUB_HWHELPER'] = path.join(home, 'absent');
    try {
      expect(await cli('hw', 'info')).toBe(0);
    } finally {
      if (previous === undefined) delete process.env['MLOPS_HUB_HWHELPER'];
      else process.env['MLOPS_HUB_HWHELPER'] = previous;
    }

    expect(out.join('\n')).toContain(`cores:         ${os.cpus().length} (performance/efficiency split unknown)`);
  });

  it('reads info, live samples and history from a running hub', async () => {
    const trace = path.join(home, 'trace.jsonl');
    await cli('hw', 'parse', fixture);
    fs.writeFileSync(trace, `${out.join('\n')}\n`);
    out.length = 0;
    const hub: Hub = await createHub({ dataDir: home, log: createSilentLogger(), listen: { port: null }, hardware: { intervalMs: 100, replayFile: trace } });
    try {
      while (((await hub.call('hardware:live', { count: 3 }, { transport: 'internal' })) as unknown[]).length < 3) await new Promise((resolve) => setTimeout(resolve, 50));

      expect(await cli('hw', 'info')).toBe(0);
      expect(out.join('\n')).toMatch(/source: +replay every 100 ms/);
      out.length = 0;
      expect(await cli('hw', 'live', '--count', '3')).toBe(0);
      expect(parsedLines()).toHaveLength(3);
      out.length = 0;
      expect(await cli('hw', 'history', '--minutes', '5')).toBe(0);
      expect(out.join('\n')).toMatch(/MINUTE +CPU %/);
    } finally {
      await hub.close();
    }
  });
});
