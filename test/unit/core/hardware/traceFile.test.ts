import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HubError } from '../../../../src/common/errors';
import { ReplaySource } from '../../../../src/main/core/hardware/replaySource';
import { parseSampleLine } from '../../../../src/main/core/hardware/sampleLine';
import { describeSkipped, readTraceFile } from '../../../../src/main/core/hardware/traceFile';
import { makeSample } from './sampleFactory';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = dir;
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('parseSampleLine', () => {
  it('accepts a helper line', () => {
    const result = parseSampleLine(JSON.stringify(makeSample({ cpuUsageRatio: 0.5 })));

    expect(result.ok).toBe(true);
    expect(result.ok ? result.sample.cpuUsageRatio : null).toBe(0.5);
  });

  it('rejects garbage, wrong types and out-of-range ratios', () => {
    const cases: [string, RegExp][] = [
      ['not json', /invalid JSON/],
      ['{"timestampMs": "soon"}', /not a sample: timestampMs/],
      [JSON.stringify(makeSample({ cpuUsageRatio: 1.5 })), /not a sample: cpuUsageRatio/],
      [JSON.stringify({ ...makeSample(), thermalPressure: 'hot' }), /not a sample: thermalPressure/],
      ['x'.repeat(20_000), /longer than/],
    ];

    for (const [line, reason] of cases) {
      const result = parseSampleLine(line);
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : result.reason).toMatch(reason);
    }
  });

  it('sets negative power to null and counts it', () => {
    const result = parseSampleLine(JSON.stringify(makeSample({ cpuPowerWatts: -5, gpuPowerWatts: 2, anePowerWatts: -0.1 })));

    expect(result.ok).toBe(true);
    expect(result.ok ? result.sample.cpuPowerWatts : 'bad').toBeNull();
    expect(result.ok ? result.sample.gpuPowerWatts : 'bad').toBe(2);
    expect(result.ok ? result.sample.anePowerWatts : 'bad').toBeNull();
    expect(result.ok ? result.badValues : -1).toBe(2);
  });
});

describe('ReplaySource', () => {
  it('sets each window to the replay pacing', () => {
    const source = new ReplaySource([makeSample({ intervalMs: 2019.17875 })], 1000, () => undefined, () => 5000);

    expect(source.next()).toMatchObject({ timestampMs: 5000, intervalMs: 1000 });
  });
});

describe('readTraceFile', () => {
  it('reads a helper trace', () => {
    const file = path.join(dir, 'trace.jsonl');
    fs.writeFileSync(file, `${JSON.stringify(makeSample())}\n\n${JSON.stringify(makeSample({ timestampMs: 1_700_000_001_000 }))}\n`);

    const trace = readTraceFile(file);

    expect(trace.format).toBe('helper');
    expect(trace.samples.map((sample) => sample.timestampMs)).toEqual([1_700_000_000_000, 1_700_000_001_000]);
  });

  it('reads a powermetrics file', () => {
    const trace = readTraceFile(path.join(import.meta.dirname, '__fixtures__', 'pumas-powermetrics-output-m1.xml'));

    expect(trace.format).toBe('powermetrics');
    expect(trace.samples).toHaveLength(1);
  });

  it('keeps good lines and lists the bad ones', () => {
    const file = path.join(dir, 'mixed.jsonl');
    fs.writeFileSync(file, `${JSON.stringify(makeSample())}\n{oops\n${JSON.stringify(makeSample())}\n`);

    const trace = readTraceFile(file);

    expect(trace.samples).toHaveLength(2);
    expect(trace.skipped).toEqual([{ position: { line: 2 }, reason: expect.stringMatching(/^invalid JSON/) as unknown }]);
    expect(describeSkipped(trace)).toMatch(/^skipped 1 malformed line at line 2 \(first: invalid JSON/);
  });

  it('names the first bad line when no line is a sample', () => {
    const file = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(file, '{oops\n[1]\n');

    expect(() => readTraceFile(file)).toThrow(HubError);
    expect(() => readTraceFile(file)).toThrow(/bad\.jsonl, line 1: invalid JSON/);
  });

  it('rejects random bytes and a truncated plist', () => {
    const noise = path.join(dir, 'noise.bin');
    fs.writeFileSync(noise, Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a, 0xc3, 0x28, 0x7b]));
    const truncated = path.join(dir, 'truncated.xml');
    fs.writeFileSync(truncated, fs.readFileSync(path.join(import.meta.dirname, '__fixtures__', 'pumas-powermetrics-output-m1.xml'), 'utf8').slice(0, 400));

    expect(() => readTraceFile(noise)).toThrow(/noise\.bin, line 1: invalid JSON/);
    expect(() => readTraceFile(truncated)).toThrow(/invalid powermetrics file .*truncated\.xml: powermetrics record 1/);
  });

  it('reports the byte offset of a truncated powermetrics record', () => {
    const record = fs.readFileSync(path.join(import.meta.dirname, '__fixtures__', 'pumas-powermetrics-output-m1.xml'), 'utf8');
    const file = path.join(dir, 'cut.xml');
    fs.writeFileSync(file, `${record}\0${record.slice(0, 300)}`);

    const trace = readTraceFile(file);

    expect(trace.samples).toHaveLength(1);
    expect(describeSkipped(trace)).toMatch(new RegExp(`^skipped 1 malformed record at byte ${Buffer.byteLength(record) + 1} `));
  });

  it('rejects a missing file with RESOURCE_DOES_NOT_EXIST', () => {
    const error = captureError(() => readTraceFile(path.join(dir, 'absent.jsonl')));

    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((error as HubError).message).toMatch(/absent\.jsonl not found/);
  });

  it('rejects an empty file', () => {
    const file = path.join(dir, 'empty.jsonl');
    fs.writeFileSync(file, '\n');

    expect(() => readTraceFile(file)).toThrow(/contains no samples/);
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }

  return undefined;
}
