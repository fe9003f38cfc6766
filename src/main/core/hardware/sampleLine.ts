import { countNegativePower, type HardwareSample, hardwareSampleSchema } from '../../../common/methods/hardware';

/** `badValues` counts values the schema replaced with null (negative power). */
export type SampleLineResult = { ok: true; sample: HardwareSample; badValues: number } | { ok: false; reason: string };

/** Largest helper line accepted, in characters; the helper's own buffer is 8 KiB. */
export const maxSampleLineLength = 16_384;

/** Parses one JSON line of `hwhelper stream`; never throws, so one bad line cannot stop a stream. */
export function parseSampleLine(line: string): SampleLineResult {
  if (line.length > maxSampleLineLength) return { ok: false, reason: `line longer than ${maxSampleLineLength} characters` };

  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: `invalid JSON (${(error as Error).message})` };
  }

  const result = hardwareSampleSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, reason: `not a sample: ${issue ? `${issue.path.join('.') || 'value'} ${issue.message}` : 'schema mismatch'}` };
  }

  return { ok: true, sample: result.data, badValues: countNegativePower(value) };
}
