import { describe, expect, it } from 'vitest';

import { SseParser } from '../../../../../src/renderer/src/transport/sseParser';

describe('SseParser', () => {
  it('parses an event split across chunks', () => {
    const parser = new SseParser();

    expect(parser.push('data: {"type":"proj')).toEqual([]);
    expect(parser.push('ects:didChange"}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'message', data: '{"type":"projects:didChange"}' }]);
  });

  it('joins data lines and keeps the event name', () => {
    const parser = new SseParser();

    expect(parser.push('event: hub\ndata: a\ndata: b\n\n')).toEqual([{ event: 'hub', data: 'a\nb' }]);
  });

  it('skips comments and handles CRLF line ends', () => {
    const parser = new SseParser();

    expect(parser.push(': connected\r\n\r\ndata:x\r\n\r\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('emits nothing for a block without data', () => {
    const parser = new SseParser();

    expect(parser.push('event: ping\n\n')).toEqual([]);
    expect(parser.push('data: next\n\n')).toEqual([{ event: 'message', data: 'next' }]);
  });
});
