import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { HubError } from '../../../../src/common/errors';
import { validateInput } from '../../../../src/main/core/api/validateInput';

const schema = z.object({ path: z.string().min(1), count: z.number().int().optional(), mode: z.enum(['a', 'b']).optional() }).strict();

function captureError(rawInput: unknown): HubError {
  try {
    validateInput('projects:add', schema, rawInput);
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error('validateInput accepted invalid input');
}

describe('validateInput', () => {
  it('returns the parsed input when valid', () => {
    expect(validateInput('projects:add', schema, { path: '/x' })).toEqual({ path: '/x' });
  });

  it('names field, received value and expected type', () => {
    const error = captureError({ path: 3 });

    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.status).toBe(400);
    expect(error.message).toBe('projects:add: invalid `path`: expected string, received number 3');
  });

  it('reports a missing field as received nothing', () => {
    expect(captureError({}).message).toBe('projects:add: invalid `path`: expected string, received nothing');
  });

  it('lists the allowed values of an enum', () => {
    expect(captureError({ path: '/x', mode: 'c' }).message).toBe('projects:add: invalid `mode`: expected one of "a", "b", received string "c"');
  });

  it('names unknown fields', () => {
    expect(captureError({ path: '/x', colour: 'red' }).message).toBe('projects:add: unknown field `colour` in input; remove it');
  });

  it('reports a non-object input', () => {
    expect(captureError([1, 2]).message).toBe('projects:add: invalid input: expected object, received array of 2');
  });

  it('treats a null input as an empty object', () => {
    expect(captureError(null).message).toContain('invalid `path`');
  });
});
