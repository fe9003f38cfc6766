import fs from 'node:fs';

import { HubError } from '../../../common/errors';
import { type HardwareSample } from '../../../common/methods/hardware';
import { readPowermetricsRecords } from './powermetricsParser';
import { parseSampleLine } from './sampleLine';

/** Largest trace file read, in bytes (256 MiB, about a week of 1 Hz helper lines). */
export const maxTraceBytes = 256 * 1024 * 1024;

export type TraceFormat = 'helper' | 'powermetrics';

/** Detects the format from the content: powermetrics writes XML plists, the helper JSON lines. */
export function detectTraceFormat(text: string): TraceFormat {
  const start = text.trimStart();

  return start.startsWith('<?xml') || start.startsWith('<plist') ? 'powermetrics' : 'helper';
}

/** A parsed trace: its samples, the records or lines skipped, and the values set to null. */
export interface ParsedTrace {
  format: TraceFormat;
  samples: HardwareSample[];
  /** Bad records (powermetrics) or lines (helper traces), in file order. */
  skipped: SkippedTraceEntry[];
  /** Values outside their valid range (negative power), stored as null. */
  badValues: number;
}

/** Start of a skipped entry: a byte offset for powermetrics records, a one-based line number for helper traces. */
export interface SkippedTraceEntry {
  position: { byte: number } | { line: number };
  reason: string;
}

/**
 * Parses a recorded trace tolerantly: a bad helper line or powermetrics
 * record is skipped and listed, so one truncated record does not lose the
 * rest. Throws a HubError naming the file and the first problem when no
 * sample at all can be read.
 */
export function parseTrace(text: string, fileName: string): ParsedTrace {
  const format = detectTraceFormat(text);
  const trace = format === 'powermetrics' ? parsePowermetricsTrace(text) : parseHelperTrace(text);
  if (trace.samples.length > 0) return trace;

  const first = trace.skipped[0];
  if (!first) throw new HubError('INVALID_PARAMETER_VALUE', `trace file ${fileName} contains no samples`);
  if (format === 'powermetrics') throw new HubError('INVALID_PARAMETER_VALUE', `invalid powermetrics file ${fileName}: ${first.reason}`);

  throw new HubError(
    'INVALID_PARAMETER_VALUE',
    `invalid trace file ${fileName}, ${describePosition(first)}: ${first.reason}; expected JSON lines from \`hwhelper stream\` or \`powermetrics -f plist\` output`,
  );
}

/** Returns one sentence for stderr or a notice, such as `skipped 1 malformed record at byte 2140: ...`; null when nothing was skipped. */
export function describeSkipped(trace: ParsedTrace): string | null {
  const first = trace.skipped[0];
  if (!first) return null;

  const count = trace.skipped.length;
  const noun = trace.format === 'powermetrics' ? 'record' : 'line';
  const positions = trace.skipped.slice(0, 10).map(describePosition);
  const more = count > positions.length ? ` and ${count - positions.length} more` : '';

  return `skipped ${count} malformed ${noun}${count === 1 ? '' : 's'} at ${positions.join(', ')}${more} (first: ${first.reason})`;
}

function describePosition(entry: SkippedTraceEntry): string {
  return 'byte' in entry.position ? `byte ${entry.position.byte}` : `line ${entry.position.line}`;
}

function parsePowermetricsTrace(text: string): ParsedTrace {
  const { samples, skipped, badValues } = readPowermetricsRecords(text);

  return { format: 'powermetrics', samples, skipped: skipped.map(({ byteOffset, reason }) => ({ position: { byte: byteOffset }, reason })), badValues };
}

function parseHelperTrace(text: string): ParsedTrace {
  const trace: ParsedTrace = { format: 'helper', samples: [], skipped: [], badValues: 0 };

  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;

    const result = parseSampleLine(line);
    if (result.ok) {
      trace.samples.push(result.sample);
      trace.badValues += result.badValues;
    } else {
      trace.skipped.push({ position: { line: index + 1 }, reason: result.reason });
    }
  }

  return trace;
}

/** Reads and parses a trace file; a missing or oversized file, or one without a single valid sample, raises a HubError. */
export function readTraceFile(file: string): ParsedTrace {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    throw new HubError('RESOURCE_DOES_NOT_EXIST', `trace file ${file} not found or not readable (${(error as NodeJS.ErrnoException).code ?? 'error'}); pass a file recorded with \`hwhelper stream\` or \`powermetrics -f plist\``, { cause: error });
  }
  if (size > maxTraceBytes) throw new HubError('INVALID_PARAMETER_VALUE', `trace file ${file} is ${size} bytes; the maximum is ${maxTraceBytes}`);

  return parseTrace(fs.readFileSync(file, 'utf8'), file);
}
