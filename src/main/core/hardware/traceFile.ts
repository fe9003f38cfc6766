import fs from 'node:fs';

import { HubError } from '../../../common/errors';
import { type HardwareSample } from '../../../common/methods/hardware';
import { parsePowermetrics } from './powermetricsParser';
import { parseSampleLine } from './sampleLine';

/** Largest trace file read, in bytes (256 MiB, about a week of 1 Hz helper lines). */
export const maxTraceBytes = 256 * 1024 * 1024;

export type TraceFormat = 'helper' | 'powermetrics';

/** Detects the format from the content: powermetrics writes XML plists, the helper JSON lines. */
export function detectTraceFormat(text: string): TraceFormat {
  const start = text.trimStart();

  return start.startsWith('<?xml') || start.startsWith('<plist') ? 'powermetrics' : 'helper';
}

/**
 * Parses a recorded trace strictly: every non-empty line of a helper trace
 * must be a valid sample, and every powermetrics record must convert. Throws
 * a HubError naming the file and the first bad line or record.
 */
export function parseTrace(text: string, fileName: string): { format: TraceFormat; samples: HardwareSample[] } {
  const format = detectTraceFormat(text);

  if (format === 'powermetrics') {
    try {
      return { format, samples: parsePowermetrics(text) };
    } catch (error) {
      throw new HubError('INVALID_PARAMETER_VALUE', `invalid powermetrics file ${fileName}: ${(error as Error).message}`, { cause: error });
    }
  }

  const samples: HardwareSample[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;

    const result = parseSampleLine(line);
    if (!result.ok) {
      throw new HubError('INVALID_PARAMETER_VALUE', `invalid trace file ${fileName}, line ${index + 1}: ${result.reason}; expected JSON lines from \`hwhelper stream\` or \`powermetrics -f plist\` output`);
    }
    samples.push(result.sample);
  }
  if (samples.length === 0) throw new HubError('INVALID_PARAMETER_VALUE', `trace file ${fileName} contains no samples`);

  return { format, samples };
}

/** Reads and parses a trace file; a missing, oversized or malformed file raises a HubError. */
export function readTraceFile(file: string): { format: TraceFormat; samples: HardwareSample[] } {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    throw new HubError('RESOURCE_DOES_NOT_EXIST', `trace file ${file} not found or not readable (${(error as NodeJS.ErrnoException).code ?? 'error'}); pass a file recorded with \`hwhelper stream\` or \`powermetrics -f plist\``, { cause: error });
  }
  if (size > maxTraceBytes) throw new HubError('INVALID_PARAMETER_VALUE', `trace file ${file} is ${size} bytes; the maximum is ${maxTraceBytes}`);

  return parseTrace(fs.readFileSync(file, 'utf8'), file);
}
