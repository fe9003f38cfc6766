import { describe, expect, it } from 'vitest';

import { describeError, isAuthError, isRetryableError } from '../../../../src/renderer/src/messages';
import { HubCallError } from '../../../../src/renderer/src/transport/hubTransport';

describe('describeError', () => {
  it('keeps the hub message and adds what to do', () => {
    const error = new HubCallError('RESOURCE_ALREADY_EXISTS', 'Project name "demo" is already taken', 'projects:add');

    expect(describeError(error)).toBe('Project name "demo" is already taken. Choose another name.');
  });

  it('explains a lost connection without the raw fetch error', () => {
    const text = describeError(new HubCallError('NETWORK_ERROR', 'TypeError: Failed to fetch', 'projects:list'));

    expect(text).toContain('mlops-hub serve');
    expect(text).not.toContain('TypeError');
  });

  it('never shows a stack trace for an unexpected error', () => {
    const text = describeError(new Error('boom\n    at foo (bar.js:1:1)'));

    expect(text).not.toContain('boom');
    expect(text).not.toContain('bar.js');
  });

  it('recognizes a rejected token', () => {
    expect(isAuthError(new HubCallError('UNAUTHENTICATED', '', 'projects:list'))).toBe(true);
    expect(isAuthError(new HubCallError('INTERNAL_ERROR', '', 'projects:list'))).toBe(false);
  });
});

describe('isRetryableError', () => {
  it('accepts network, 5xx and busy errors', () => {
    for (const code of ['NETWORK_ERROR', 'INTERNAL_ERROR', 'TEMPORARILY_UNAVAILABLE', 'REQUEST_LIMIT_EXCEEDED'] as const) {
      expect(isRetryableError(new HubCallError(code, '', 'runs:list')), code).toBe(true);
    }
  });

  it('rejects invalid input and dashboard errors', () => {
    for (const code of ['INVALID_PARAMETER_VALUE', 'BAD_REQUEST', 'RESOURCE_DOES_NOT_EXIST', 'UNAUTHENTICATED'] as const) {
      expect(isRetryableError(new HubCallError(code, '', 'runs:list')), code).toBe(false);
    }
    expect(isRetryableError(new Error('boom'))).toBe(false);
  });
});
