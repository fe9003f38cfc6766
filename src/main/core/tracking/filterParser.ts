import { invalid } from './validation';

/**
 * Parser for MLflow's search syntax: comparisons joined by AND, each
 * `<type>.<key> <comparator> <value>`, where a bare key is an attribute and
 * keys with special characters are quoted with double quotes or backticks.
 */

export type EntityType = 'metric' | 'param' | 'tag' | 'attribute';

export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';

export type ClauseValue = number | string | string[];

export interface Clause {
  type: EntityType;
  key: string;
  comparator: Comparator;
  value: ClauseValue;
}

export interface OrderTerm {
  type: EntityType;
  key: string;
  ascending: boolean;
}

type Token =
  | { kind: 'identifier'; type: EntityType; key: string }
  | { kind: 'comparator'; value: Comparator }
  | { kind: 'and' }
  | { kind: 'direction'; ascending: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'list'; values: string[] };

const typeAliases: Record<string, EntityType> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
};

const numberPattern = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/;
const wordPattern = /^[\p{L}\p{N}_.]+/u;

/** Parses a filter string; an empty or blank filter means "match everything". */
export function parseFilter(filter: string | undefined): Clause[] {
  if (filter === undefined || filter.trim() === '') return [];

  const tokens = tokenize(filter);
  const clauses: Clause[] = [];
  let index = 0;
  while (index < tokens.length) {
    if (clauses.length > 0) {
      if (tokens[index]?.kind !== 'and') throw invalid(`Invalid filter '${filter}': join comparisons with AND (OR and parentheses are not supported).`);
      index += 1;
    }
    const [identifier, comparator, value] = [tokens[index], tokens[index + 1], tokens[index + 2]];
    if (identifier?.kind !== 'identifier' || comparator?.kind !== 'comparator' || value === undefined) {
      throw invalid(`Invalid filter '${filter}': expected '<type>.<key> <comparator> <value>', for example "metrics.acc > 0.5 AND params.opt = 'adam'".`);
    }
    clauses.push({ type: identifier.type, key: identifier.key, comparator: comparator.value, value: readClauseValue(value, filter) });
    index += 3;
  }

  return clauses;
}

/** Parses one `order_by` entry such as `metrics.rmse DESC`; ASC is the default. */
export function parseOrderBy(entry: string): OrderTerm {
  const tokens = tokenize(entry);
  const [identifier, direction] = tokens;
  if (identifier?.kind !== 'identifier' || tokens.length > 2 || (direction !== undefined && direction.kind !== 'direction')) {
    throw invalid(`Invalid order_by clause '${entry}': use '<type>.<key> [ASC|DESC]', for example 'metrics.rmse DESC'.`);
  }

  return { type: identifier.type, key: identifier.key, ascending: direction?.kind === 'direction' ? direction.ascending : true };
}

function readClauseValue(token: Token, filter: string): ClauseValue {
  if (token.kind === 'number' || token.kind === 'string') return token.value;
  if (token.kind === 'list') return token.values;

  throw invalid(`Invalid filter '${filter}': a comparison needs a number, a quoted string or a list ('a', 'b') on its right side.`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    const [token, length] = readToken(rest, text);
    tokens.push(token);
    rest = rest.slice(length).trimStart();
  }

  return tokens;
}

function readToken(rest: string, text: string): [Token, number] {
  const symbol = /^(!=|<>|<=|>=|=|<|>)/.exec(rest);
  if (symbol) return [{ kind: 'comparator', value: symbol[1] === '<>' ? '!=' : (symbol[1] as Comparator) }, symbol[1]!.length];

  const first = rest.charAt(0);
  if (first === "'" || first === '"') {
    const [value, length] = readQuoted(rest, text);
    return [{ kind: 'string', value }, length];
  }
  if (first === '(') return readList(rest, text);

  const number = numberPattern.exec(rest);
  if (number && !/^[\p{L}_]/u.test(rest.slice(number[0].length))) return [{ kind: 'number', value: Number(number[0]) }, number[0].length];

  return readWord(rest, text);
}

function readWord(rest: string, text: string): [Token, number] {
  const keyword = /^(NOT\s+IN|AND|IN|I?LIKE|ASC|DESC)\b/i.exec(rest);
  if (keyword) {
    const word = keyword[1]!.toUpperCase().replace(/\s+/, ' ');
    if (word === 'AND') return [{ kind: 'and' }, keyword[0].length];
    if (word === 'ASC' || word === 'DESC') return [{ kind: 'direction', ascending: word === 'ASC' }, keyword[0].length];
    return [{ kind: 'comparator', value: word as Comparator }, keyword[0].length];
  }

  const prefix = /^([\p{L}_][\p{L}\p{N}_]*)\./u.exec(rest);
  if (prefix) {
    const type = typeAliases[prefix[1]!.toLowerCase()];
    if (type === undefined) throw invalid(`Invalid entity type '${prefix[1]}' in '${text}': use metrics, params, tags or attributes.`);
    const afterDot = rest.slice(prefix[0].length);
    const [key, keyLength] = afterDot.startsWith('"') || afterDot.startsWith('`') ? readQuoted(afterDot, text) : readBareKey(afterDot, text);
    return [{ kind: 'identifier', type, key }, prefix[0].length + keyLength];
  }

  const bare = wordPattern.exec(rest);
  if (bare) return [{ kind: 'identifier', type: 'attribute', key: bare[0] }, bare[0].length];

  throw invalid(`Invalid filter '${text}': unexpected text at '${rest.slice(0, 20)}'.`);
}

function readBareKey(rest: string, text: string): [string, number] {
  const match = wordPattern.exec(rest);
  if (!match) throw invalid(`Invalid filter '${text}': missing key after the entity type; quote keys with special characters, for example metrics."f1 score".`);

  return [match[0], match[0].length];
}

/** Reads a string quoted with ', " or `; a doubled quote or a backslash escapes the quote character. */
function readQuoted(rest: string, text: string): [string, number] {
  const quote = rest.charAt(0);
  let value = '';
  let index = 1;
  while (index < rest.length) {
    const char = rest.charAt(index);
    if (char === '\\' && index + 1 < rest.length) {
      value += rest.charAt(index + 1);
      index += 2;
    } else if (char === quote && rest.charAt(index + 1) === quote) {
      value += quote;
      index += 2;
    } else if (char === quote) {
      return [value, index + 1];
    } else {
      value += char;
      index += 1;
    }
  }

  throw invalid(`Invalid filter '${text}': unterminated string starting at ${rest.slice(0, 20)}.`);
}

function readList(rest: string, text: string): [Token, number] {
  const values: string[] = [];
  let index = 1;
  for (;;) {
    const remaining = rest.slice(index);
    index += remaining.length - remaining.trimStart().length;
    const char = rest.charAt(index);
    if (char === ')' && values.length > 0) return [{ kind: 'list', values }, index + 1];
    if (char !== "'" && char !== '"') throw invalid(`Invalid filter '${text}': IN needs a list of quoted strings such as ('a', 'b').`);

    const [value, length] = readQuoted(rest.slice(index), text);
    values.push(value);
    index += length;
    const after = rest.slice(index);
    index += after.length - after.trimStart().length;
    if (rest.charAt(index) === ',') index += 1;
  }
}
