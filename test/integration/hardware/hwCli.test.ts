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

const fixture = path.resolve(import.meta.dirname, '../../unit/core/hardware/__fixtures__/pumas-powermetrics-output-m1.xml');
let home: string;
let out: string[];
let err: string[];
let deps: CliDeps;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = home;
  out = [];
  err = [];
  deps = { dataDir: home, cwd: home, print: (line) => out.push(line), warn: (line) => err.push(line) };
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
    out = [];

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

  it('reads info, live samples and history from a running hub', async () => {
    const trace = path.join(home, 'trace.jsonl');
    await cli('hw', 'parse', fixture);
    fs.writeFileSync(trace, `${out.join('\n')}\n`);
    out = [];
    const hub: Hub = await createHub({ dataDir: home, log: createSilentLogger(), listen: { port: null }, hardware: { intervalMs: 100, replayFile: trace } });
    try {
      while (((await hub.call('hardware:live', { count: 3 }, { transport: 'internal' })) as unknown[]).length < 3) await new Promise((resolve) => setTimeout(resolve, 50));

      expect(await cli('hw', 'info')).toBe(0);
      expect(out.join('\n')).toMatch(/source: +replay every 100 ms/);
      out = [];
      expect(await cli('hw', 'live', '--count', '3')).toBe(0);
      expect(parsedLines()).toHaveLength(3);
      out = [];
      expect(await cli('hw', 'history', '--minutes', '5')).toBe(0);
      expect(out.join('\n')).toMatch(/MINUTE +CPU %/);
    } finally {
      await hub.close();
    }
  });
});
