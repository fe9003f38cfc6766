import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { hardwareSampleSchema } from '../../../../src/common/methods/hardware';
import { parsePlist, PlistSyntaxError } from '../../../../src/main/core/hardware/plistParser';
import { parsePowermetrics, PowermetricsFormatError, PowermetricsStream, readPowermetricsRecords } from '../../../../src/main/core/hardware/powermetricsParser';

const fixtures = path.join(import.meta.dirname, '__fixtures__');
const m1 = fs.readFileSync(path.join(fixtures, 'pumas-powermetrics-output-m1.xml'), 'utf8');
const m1Short = fs.readFileSync(path.join(fixtures, 'pumas-powermetrics-output-m1-2.xml'), 'utf8');

/** Builds a minimal powermetrics record with `clusterCount` clusters of two CPUs each. */
function syntheticRecord(clusterCount: number): string {
  const cpu = (idle: number): string => `<dict><key>cpu</key><integer>0</integer><key>idle_ratio</key><real>${idle}</real></dict>`;
  const clusters = Array.from(
    { length: clusterCount },
    (_, index) => `<dict><key>name</key><string>C${index}</string><key>freq_hz</key><real>2e+09</real><key>cpus</key><array>${cpu(0.5)}${cpu(0.75)}</array></dict>`,
  ).join('');

  return `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>elapsed_ns</key><integer>1000000000</integer>
<key>timestamp</key><date>2024-01-02T03:04:05Z</date>
<key>processor</key><dict><key>clusters</key><array>${clusters}</array>
<key>cpu_energy</key><integer>5000</integer><key>gpu_energy</key><integer>2500</integer></dict>
<key>thermal_pressure</key><string>Heavy</string>
</dict></plist>`;
}

describe('parsePowermetrics', () => {
  it('reads the recorded M1 record with its units', () => {
    const [sample] = parsePowermetrics(m1);

    expect(sample?.timestampMs).toBe(Date.parse('2023-04-01T13:18:36Z'));
    expect(sample?.intervalMs).toBeCloseTo(2019.17875, 5);
    expect(sample?.cpuPowerWatts).toBeCloseTo(0.0440773, 7);
    expect(sample?.gpuPowerWatts).toBeCloseTo(0.0153528, 7);
    expect(sample?.anePowerWatts).toBe(0);
    expect(sample?.gpuFreqMhz).toBeCloseTo(714.836, 3);
    expect(sample?.gpuActiveRatio).toBeCloseTo(1 - 0.983341, 6);
    expect(sample?.thermalPressure).toBe('nominal');
  });

  it('reads both M1 clusters with Hz frequencies as MHz', () => {
    const [sample] = parsePowermetrics(m1);

    expect(sample?.cpuClusters.map((cluster) => cluster.name)).toEqual(['E-Cluster', 'P-Cluster']);
    expect(sample?.cpuClusters.map((cluster) => cluster.cores)).toEqual([4, 4]);
    expect(sample?.cpuClusters[0]?.freqMhz).toBeCloseTo(1022.87, 2);
    expect(sample?.cpuClusters[1]?.freqMhz).toBeCloseTo(618.173, 3);
  });

  it('derives cluster use from per-CPU idle ratios', () => {
    const [sample] = parsePowermetrics(m1);
    const eCluster = sample?.cpuClusters[0];

    // Per-CPU idle_ratio of the E cluster: 0.907821, and three more; the cluster's own 0.772993 is ignored.
    expect(eCluster?.usageRatio).toBeGreaterThan(0);
    expect(eCluster?.usageRatio).toBeLessThan(1 - 0.772993);
    expect(sample?.cpuUsageRatio).toBeCloseTo(((eCluster?.usageRatio ?? 0) + (sample?.cpuClusters[1]?.usageRatio ?? 0)) / 2, 9);
  });

  it('splits NUL-separated records', () => {
    const samples = parsePowermetrics(`${m1}\0${m1Short}\0`);

    expect(samples).toHaveLength(2);
    expect(samples[1]?.intervalMs).toBeCloseTo(525.992374, 5);
    expect(samples[1]?.gpuFreqMhz).toBeCloseTo(715.009, 3);
  });

  it('produces samples that match the helper schema', () => {
    for (const sample of parsePowermetrics(`${m1}\0${m1Short}`)) expect(hardwareSampleSchema.safeParse(sample).success).toBe(true);
  });

  it('reads six clusters as on Ultra chips', () => {
    const [sample] = parsePowermetrics(syntheticRecord(6));

    expect(sample?.cpuClusters).toHaveLength(6);
    expect(sample?.cpuClusters[5]).toEqual({ name: 'C5', cores: 2, usageRatio: 0.375, freqMhz: 2000 });
    expect(sample?.cpuUsageRatio).toBeCloseTo(0.375, 9);
  });

  it('falls back to energy over the window without power keys', () => {
    const [sample] = parsePowermetrics(syntheticRecord(1));

    expect(sample?.cpuPowerWatts).toBeCloseTo(5, 9);
    expect(sample?.gpuPowerWatts).toBeCloseTo(2.5, 9);
    expect(sample?.anePowerWatts).toBeNull();
    expect(sample?.thermalPressure).toBe('heavy');
  });

  it('rejects a record without elapsed_ns', () => {
    const record = syntheticRecord(1).replace('<key>elapsed_ns</key><integer>1000000000</integer>', '');

    expect(() => parsePowermetrics(record)).toThrow(PowermetricsFormatError);
    expect(() => parsePowermetrics(record)).toThrow(/record 1: missing or invalid elapsed_ns/);
  });

  it('names the record that is truncated', () => {
    expect(() => parsePowermetrics(`${m1}\0${m1.slice(0, 500)}`)).toThrow(/^powermetrics record 2: /);
  });
});

describe('PowermetricsStream', () => {
  it('returns each record once its NUL arrives', () => {
    const stream = new PowermetricsStream();
    const text = `${m1}\0${m1Short}\0`;
    const cut = m1.length + 10;

    expect(stream.push(text.slice(0, 1000))).toEqual([]);
    expect(stream.push(text.slice(1000, cut)).map((sample) => sample.intervalMs)).toEqual([2019.17875]);
    expect(stream.push(text.slice(cut)).map((sample) => sample.intervalMs)).toEqual([525.992374]);
    expect(stream.end()).toEqual([]);
  });

  it('converts a last record without a NUL at the end', () => {
    const stream = new PowermetricsStream();

    expect(stream.push(m1)).toEqual([]);
    expect(stream.end()).toHaveLength(1);
  });

  it('skips a bad record and numbers it across pushes', () => {
    const stream = new PowermetricsStream();
    stream.push(`${m1}\0`);

    expect(stream.push('<plist><dict><key>x</key></dict></plist>\0')).toEqual([]);
    expect(stream.push(`${m1}\0`)).toHaveLength(1);
    expect(stream.skipped).toHaveLength(1);
    expect(stream.skipped[0]?.reason).toMatch(/^powermetrics record 2: /);
    expect(stream.skipped[0]?.byteOffset).toBe(Buffer.byteLength(m1) + 1);
  });
});

describe('readPowermetricsRecords', () => {
  it('keeps the good record before a truncated one', () => {
    const result = readPowermetricsRecords(`${m1}\0${m1.slice(0, 500)}`);

    expect(result.samples).toHaveLength(1);
    expect(result.samples[0]?.cpuPowerWatts).toBeCloseTo(0.0440773, 7);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]?.byteOffset).toBe(Buffer.byteLength(m1) + 1);
  });

  it('sets negative power to null and counts it', () => {
    const record = syntheticRecord(1).replace('<key>cpu_energy</key><integer>5000</integer>', '<key>cpu_power</key><real>-44</real>');
    const result = readPowermetricsRecords(record);

    expect(result.samples[0]?.cpuPowerWatts).toBeNull();
    expect(result.samples[0]?.gpuPowerWatts).toBeCloseTo(2.5, 9);
    expect(result.badValues).toBe(1);
  });
});

describe('parsePlist', () => {
  it('parses scalars, arrays and nested dicts', () => {
    const value = parsePlist('<plist version="1.0"><dict><key>a</key><array><integer>1</integer><real>2.5</real><true/><false/><string>x &amp; y</string></array><key>b</key><dict/></dict></plist>');

    expect(value).toEqual({ a: [1, 2.5, true, false, 'x & y'], b: {} });
  });

  it('rejects an unsupported element', () => {
    expect(() => parsePlist('<plist><dict><key>a</key><blob>1</blob></dict></plist>')).toThrow(PlistSyntaxError);
  });

  it('rejects a non-numeric integer', () => {
    expect(() => parsePlist('<plist><integer>abc</integer></plist>')).toThrow(/invalid <integer> value "abc"/);
  });
});
