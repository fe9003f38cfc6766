import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HubError } from '../../../../src/common/errors';
import { parseSampleLine } from '../../../../src/main/core/hardware/sampleLine';
import { readTraceFile } from '../../../../src/main/core/hardware/traceFile';
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

  it('names the bad line of a malformed trace', () => {
    const file = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(file, `${JSON.stringify(makeSample())}\n{oops\n`);

    expect(() => readTraceFile(file)).toThrow(HubError);
    expect(() => readTraceFile(file)).toThrow(/bad\.jsonl, line 2: invalid JSON/);
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
