import { describe, expect, it } from 'vitest';

import { parseProcStat, parsePsLine } from '../../../../src/main/core/services/processInfo';
import { parseListeningInodes, parseLsofFields } from '../../../../src/main/core/services/portCheck';

describe('parseProcStat', () => {
  it('reads a command with spaces and parentheses', () => {
    const line = '4312 (my (odd) prog) S 1 4312 4312 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 987654 1000000 512 18446744073709551615';
    const snapshot = parseProcStat(line);

    expect(snapshot).toEqual({ pid: 4312, pgid: 4312, startTime: '987654', cpuSeconds: 3, rssBytes: 512 * 4096, zombie: false });
  });

  it('marks a zombie', () => {
    expect(parseProcStat('7 (x) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0 0')?.zombie).toBe(true);
  });
});

describe('parsePsLine', () => {
  it('reads a macOS ps line', () => {
    const snapshot = parsePsLine('  501   501 S      20480   1:02.50 Fri Dec  4 19:51:43 2026');

    expect(snapshot).toEqual({ pid: 501, pgid: 501, startTime: 'Fri Dec  4 19:51:43 2026', cpuSeconds: 62.5, rssBytes: 20480 * 1024, zombie: false });
  });
});

describe('parseListeningInodes', () => {
  it('finds listeners on a port', () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:13EC 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 55501 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:13EC 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 55502 1 0000000000000000 100 0 0 10 0',
    ].join('\n');

    expect(parseListeningInodes(table, 5100)).toEqual(['55501']);
  });
});

describe('parseLsofFields', () => {
  it('reads pid and command', () => {
    expect(parseLsofFields('p812\ncControlCenter\nf12\n')).toEqual({ pid: 812, command: 'ControlCenter' });
  });
});
