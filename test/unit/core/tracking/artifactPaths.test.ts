import { describe, expect, it } from 'vitest';

import { HubError } from '../../../../src/common/errors';
import { parseRunArtifactPath, splitArtifactPath } from '../../../../src/main/core/tracking/artifactPaths';

function rejection(raw: string): HubError {
  try {
    splitArtifactPath(raw);
  } catch (error) {
    return error as HubError;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe('splitArtifactPath', () => {
  it('splits relative paths into segments', () => {
    expect(splitArtifactPath('model/weights.bin')).toEqual(['model', 'weights.bin']);
    expect(splitArtifactPath('docs/')).toEqual(['docs']);
    expect(splitArtifactPath('')).toEqual([]);
    expect(splitArtifactPath('100% done.txt')).toEqual(['100% done.txt']);
  });

  it.each([
    ['../../etc/passwd', "'.', '..'"],
    ['a/../../b', "'.', '..'"],
    ['%2e%2e/%2e%2e/etc/passwd', "'.', '..'"],
    ['%252e%252e%252fetc', "'.', '..'"],
    ['/etc/passwd', 'absolute'],
    ['%2Fetc%2Fpasswd', 'absolute'],
    ['C:/Windows', 'absolute'],
    ['a\u0000b', 'NUL'],
    ['a%00b', 'NUL'],
    ['..\\..\\etc', 'backslash'],
    ['a;b/../c', "';'"],
    ['a//b', 'empty segment'],
    ['./a', "'.'"],
  ])('rejects %j', (raw, reason) => {
    const error = rejection(raw);

    expect(error).toBeInstanceOf(HubError);
    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toContain(reason);
  });

  it('rejects paths still encoded after five decodings', () => {
    const deep = encodeURIComponent(encodeURIComponent(encodeURIComponent(encodeURIComponent(encodeURIComponent(encodeURIComponent('a b'))))));

    expect(rejection(deep).message).toContain('still URL-encoded');
  });
});

describe('parseRunArtifactPath', () => {
  it('splits experiment, run and the path below artifacts', () => {
    expect(parseRunArtifactPath('3/abc123/artifacts/model/weights.bin')).toEqual({ experimentId: '3', runId: 'abc123', segments: ['model', 'weights.bin'] });
    expect(parseRunArtifactPath('3/abc123/artifacts')).toEqual({ experimentId: '3', runId: 'abc123', segments: [] });
  });

  it.each(['', '3', '3/abc123', '3/abc123/other/x', 'x/abc123/artifacts', '3/a.b/artifacts'])('rejects %j without the run prefix', (raw) => {
    expect(() => parseRunArtifactPath(raw)).toThrow(/must start with '<experiment_id>\/<run_id>\/artifacts'/);
  });
});
