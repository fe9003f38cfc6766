/** A value of an XML property list. Dates stay ISO strings and `<data>` stays base64 text. */
export type PlistValue = string | number | boolean | PlistValue[] | PlistDict;
export interface PlistDict {
  [key: string]: PlistValue;
}

/** A malformed property list; `offset` is the character position where parsing stopped. */
export class PlistSyntaxError extends Error {
  override readonly name = 'PlistSyntaxError';

  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at character ${offset}`);
  }
}

const tagPattern = /<(\/?)([a-zA-Z]+)\s*(\/?)>|<\?[^>]*\?>|<!DOCTYPE[^>]*>|<!--[\s\S]*?-->|<plist[^>]*>/y;

interface Cursor {
  text: string;
  offset: number;
}

/**
 * Parses one XML property list as Apple writes it (`<plist><dict>...`). Only
 * the elements powermetrics and similar tools emit are supported: dict,
 * array, key, string, integer, real, true, false, date and data.
 */
export function parsePlist(text: string): PlistValue {
  const cursor: Cursor = { text, offset: 0 };
  let root: PlistValue | undefined;

  for (;;) {
    const tag = nextTag(cursor);
    if (tag === null) break;
    if (tag.name === '') continue;
    if (tag.name === 'plist' && tag.closing) break;
    if (root !== undefined) throw new PlistSyntaxError(`unexpected <${tag.name}> after the root value`, cursor.offset);

    root = readValue(cursor, tag);
  }
  if (root === undefined) throw new PlistSyntaxError('no value found in the property list', cursor.offset);

  return root;
}

interface Tag {
  name: string;
  closing: boolean;
  empty: boolean;
}

/** Reads the next tag. Declarations, comments and the opening `<plist ...>` come back with an empty name. */
function nextTag(cursor: Cursor): Tag | null {
  while (cursor.offset < cursor.text.length && /\s/.test(cursor.text[cursor.offset] ?? '')) cursor.offset++;
  if (cursor.offset >= cursor.text.length) return null;

  tagPattern.lastIndex = cursor.offset;
  const match = tagPattern.exec(cursor.text);
  if (!match) throw new PlistSyntaxError('expected a tag', cursor.offset);
  cursor.offset = tagPattern.lastIndex;

  if (match[2] === undefined || (match[2] === 'plist' && match[1] !== '/')) return { name: '', closing: false, empty: false };

  return { name: match[2], closing: match[1] === '/', empty: match[3] === '/' };
}

function readValue(cursor: Cursor, tag: Tag): PlistValue {
  if (tag.closing) throw new PlistSyntaxError(`unexpected </${tag.name}>`, cursor.offset);

  switch (tag.name) {
    case 'dict':
      return tag.empty ? {} : readDict(cursor);
    case 'array':
      return tag.empty ? [] : readArray(cursor);
    case 'true':
    case 'false':
      if (!tag.empty) expectClosing(cursor, tag.name);
      return tag.name === 'true';
    case 'string':
    case 'date':
    case 'data':
      return tag.empty ? '' : decodeEntities(readText(cursor, tag.name));
    case 'integer':
    case 'real':
      return readNumber(cursor, tag.name);
    default:
      throw new PlistSyntaxError(`unsupported element <${tag.name}>`, cursor.offset);
  }
}

function readDict(cursor: Cursor): PlistDict {
  const dict: PlistDict = {};

  for (;;) {
    const tag = nextTag(cursor);
    if (tag === null) throw new PlistSyntaxError('unterminated <dict>', cursor.offset);
    if (tag.name === '') continue;
    if (tag.closing && tag.name === 'dict') return dict;
    if (tag.name !== 'key' || tag.closing) throw new PlistSyntaxError(`expected <key> in <dict>, got <${tag.name}>`, cursor.offset);

    const key = tag.empty ? '' : decodeEntities(readText(cursor, 'key'));
    const valueTag = nextTag(cursor);
    if (valueTag === null) throw new PlistSyntaxError(`missing value for key "${key}"`, cursor.offset);
    dict[key] = readValue(cursor, valueTag);
  }
}

function readArray(cursor: Cursor): PlistValue[] {
  const items: PlistValue[] = [];

  for (;;) {
    const tag = nextTag(cursor);
    if (tag === null) throw new PlistSyntaxError('unterminated <array>', cursor.offset);
    if (tag.name === '') continue;
    if (tag.closing && tag.name === 'array') return items;
    items.push(readValue(cursor, tag));
  }
}

function readText(cursor: Cursor, name: string): string {
  const end = cursor.text.indexOf(`</${name}>`, cursor.offset);
  if (end < 0) throw new PlistSyntaxError(`unterminated <${name}>`, cursor.offset);

  const text = cursor.text.slice(cursor.offset, end);
  cursor.offset = end + name.length + 3;

  return text;
}

function readNumber(cursor: Cursor, name: string): number {
  const text = readText(cursor, name).trim();
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new PlistSyntaxError(`invalid <${name}> value "${text}"`, cursor.offset);

  return value;
}

function expectClosing(cursor: Cursor, name: string): void {
  const tag = nextTag(cursor);
  if (tag === null || !tag.closing || tag.name !== name) throw new PlistSyntaxError(`expected </${name}>`, cursor.offset);
}

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos);/g, (_match, entity: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[entity] ?? '');
}
