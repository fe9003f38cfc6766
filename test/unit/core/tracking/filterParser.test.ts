import { describe, expect, it } from 'vitest';

import { HubError } from '../../../../src/common/errors';
import { parseFilter, parseOrderBy } from '../../../../src/main/core/tracking/filterParser';
import { matchesLike } from '../../../../src/main/core/tracking/runFilter';

describe('parseFilter', () => {
  it('returns no clauses for an empty or blank filter', () => {
    expect(parseFilter(undefined)).toEqual([]);
    expect(parseFilter('')).toEqual([]);
    expect(parseFilter('   ')).toEqual([]);
  });

  it('parses clauses of every entity type joined by AND', () => {
    const clauses = parseFilter("attributes.status = 'FINISHED' and metrics.acc > 0.5 AND params.opt = \"adam\" AND tags.team LIKE 'ml%'");

    expect(clauses).toEqual([
      { type: 'attribute', key: 'status', comparator: '=', value: 'FINISHED' },
      { type: 'metric', key: 'acc', comparator: '>', value: 0.5 },
      { type: 'param', key: 'opt', comparator: '=', value: 'adam' },
      { type: 'tag', key: 'team', comparator: 'LIKE', value: 'ml%' },
    ]);
  });

  it('accepts the type aliases of MLflow', () => {
    const types = ['metric.a > 1', 'param.a = "x"', 'parameter.a = "x"', 'parameters.a = "x"', 'tag.a = "x"', 'attr.run_name = "x"', 'run.run_name = "x"'].map((filter) => parseFilter(filter)[0]?.type);

    expect(types).toEqual(['metric', 'param', 'param', 'param', 'tag', 'attribute', 'attribute']);
  });

  it('treats a bare key as an attribute', () => {
    expect(parseFilter('start_time >= 1000')).toEqual([{ type: 'attribute', key: 'start_time', comparator: '>=', value: 1000 }]);
  });

  it('reads keys quoted with double quotes or backticks', () => {
    expect(parseFilter('metrics."f1 score" <= 0.9 AND tags.`user-name` != \'bob\'')).toEqual([
      { type: 'metric', key: 'f1 score', comparator: '<=', value: 0.9 },
      { type: 'tag', key: 'user-name', comparator: '!=', value: 'bob' },
    ]);
  });

  it('reads keys with dots and negative and exponent numbers', () => {
    expect(parseFilter('metrics.val.loss < -1.5e-3')).toEqual([{ type: 'metric', key: 'val.loss', comparator: '<', value: -0.0015 }]);
  });

  it('parses IN and NOT IN lists', () => {
    expect(parseFilter("attributes.run_id IN ('a', \"b\") AND run_id NOT IN ('c')")).toEqual([
      { type: 'attribute', key: 'run_id', comparator: 'IN', value: ['a', 'b'] },
      { type: 'attribute', key: 'run_id', comparator: 'NOT IN', value: ['c'] },
    ]);
  });

  it('parses ILIKE case-insensitively and escaped quotes', () => {
    expect(parseFilter("params.name ilike 'it''s%'")).toEqual([{ type: 'param', key: 'name', comparator: 'ILIKE', value: "it's%" }]);
  });

  it.each([
    "params.a = 'x' OR params.b = 'y'",
    'metrics.acc >',
    "params.a = 'unterminated",
    "colors.a = 'x'",
    "(params.a = 'x')",
    "params.a 'x'",
    'run_id IN ()',
  ])('rejects %j with INVALID_PARAMETER_VALUE', (filter) => {
    expect(() => parseFilter(filter)).toThrow(HubError);
    try {
      parseFilter(filter);
    } catch (error) {
      expect((error as HubError).code).toBe('INVALID_PARAMETER_VALUE');
    }
  });
});

describe('parseOrderBy', () => {
  it('defaults to ascending', () => {
    expect(parseOrderBy('metrics.rmse')).toEqual({ type: 'metric', key: 'rmse', ascending: true });
  });

  it('reads DESC and quoted keys', () => {
    expect(parseOrderBy('params.`learning rate` DESC')).toEqual({ type: 'param', key: 'learning rate', ascending: false });
    expect(parseOrderBy('attributes.start_time asc')).toEqual({ type: 'attribute', key: 'start_time', ascending: true });
  });

  it('rejects extra words', () => {
    expect(() => parseOrderBy('metrics.a DESC NULLS LAST')).toThrow(/Invalid order_by/);
  });
});

describe('matchesLike', () => {
  it.each([
    ['adam', 'adam', true],
    ['adam', 'a%', true],
    ['adam', '%am', true],
    ['adam', 'a_a_', true],
    ['adam', 'a_a', false],
    ['adam', '%d%', true],
    ['adam', '%x%', false],
    ['', '%', true],
    ['', '_', false],
    ['a.b', 'a.b', true],
    ['axb', 'a.b', false],
    ['mississippi', 'm%iss%ppi', true],
  ])('matches %j against %j: %s', (text, pattern, expected) => {
    expect(matchesLike(text, pattern)).toBe(expected);
  });

  it('stays fast on many wildcards against a long value', () => {
    expect(matchesLike('a'.repeat(8000), `${'%a'.repeat(50)}%b`)).toBe(false);
  });
});
