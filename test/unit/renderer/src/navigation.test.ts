import { describe, expect, it } from 'vitest';

import { formatRouteHash, parseRouteHash } from '../../../../src/renderer/src/navigation';

describe('parseRouteHash', () => {
  it('reads a view and a run detail', () => {
    expect(parseRouteHash('#/runs')).toEqual({ view: 'runs' });
    expect(parseRouteHash('#/run/a78b79fe1e1c4abb')).toEqual({ view: 'run', runId: 'a78b79fe1e1c4abb' });
  });

  it('ignores empty and malformed hashes', () => {
    expect(parseRouteHash('')).toBeNull();
    expect(parseRouteHash('#/')).toBeNull();
    expect(parseRouteHash('#/run/')).toBeNull();
    expect(parseRouteHash('#/run/a b')).toBeNull();
    expect(parseRouteHash('#/runs/extra')).toBeNull();
    expect(parseRouteHash('#/Runs<script>')).toBeNull();
  });
});

describe('formatRouteHash', () => {
  it('round-trips through parseRouteHash', () => {
    expect(parseRouteHash(formatRouteHash({ view: 'run', openRunId: 'abc' }))).toEqual({ view: 'run', runId: 'abc' });
    expect(parseRouteHash(formatRouteHash({ view: 'compare', openRunId: 'abc' }))).toEqual({ view: 'compare' });
  });
});
