import { type z } from 'zod';

import { HubError } from '../../../common/errors';

/**
 * Validates a method's raw input with its contract schema. A failure becomes
 * HubError INVALID_PARAMETER_VALUE naming the field path, the received value
 * and the expected type, for example
 * "projects:add: invalid `path`: expected string, received number 3".
 */
export function validateInput<S extends z.ZodType>(method: string, schema: S, rawInput: unknown): z.output<S> {
  const result = schema.safeParse(rawInput ?? {}, { reportInput: true });
  if (result.success) return result.data;

  const details = result.error.issues.slice(0, 3).map(describeIssue).join('; ');
  const more = result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : '';

  throw new HubError('INVALID_PARAMETER_VALUE', `${method}: ${details}${more}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length === 0 ? 'input' : `\`${issue.path.map(String).join('.')}\``;
  const received = 'input' in issue ? renderReceived(issue.input) : 'nothing';

  switch (issue.code) {
    case 'invalid_type':
      return `invalid ${field}: expected ${issue.expected}, received ${received}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `\`${key}\``).join(', ')} in ${field}; remove ${issue.keys.length > 1 ? 'them' : 'it'}`;
    case 'invalid_value':
      return `invalid ${field}: expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}, received ${received}`;
    case 'too_small':
      return `invalid ${field}: expected ${issue.origin === 'string' ? 'length ' : ''}${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}, received ${received}`;
    case 'too_big':
      return `invalid ${field}: expected ${issue.origin === 'string' ? 'length ' : ''}${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}, received ${received}`;
    default:
      return `invalid ${field}: ${issue.message}, received ${received}`;
  }
}

/** Type and a short rendering of a received value: `number 3`, `string "x"`, `nothing`. */
function renderReceived(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (typeof value === 'object') return 'object';

  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);

  return `${typeof value} ${text.length > 80 ? `${text.slice(0, 80)}…` : text}`;
}
