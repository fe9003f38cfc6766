import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ServiceLog } from '../../../../src/main/core/services/logFiles';

function tempLogFile(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = folder;

  return path.join(folder, 'logs', 'svc.log');
}

describe('ServiceLog', () => {
  it('joins lines split across chunks and prefixes stderr', () => {
    const log = new ServiceLog({ file: tempLogFile() });

    log.write('stdout', 'hel');
    log.write('stdout', 'lo\nwor');
    log.write('stderr', 'oops\n');
    log.write('stdout', 'ld\n');

    expect(log.latest(10)).toEqual(['hello', '[stderr] oops', 'world']);
    log.close();
  });

  it('rotates at the size cap and keeps the backup count', () => {
    const file = tempLogFile();
    const log = new ServiceLog({ file, maxBytes: 1000, backups: 2 });

    for (let index = 0; index < 100; index += 1) log.write('stdout', `${'x'.repeat(99)}\n`);
    log.close();

    expect(fs.existsSync(`${file}.1`)).toBe(true);
    expect(fs.existsSync(`${file}.2`)).toBe(true);
    expect(fs.existsSync(`${file}.3`)).toBe(false);
    expect(fs.statSync(`${file}.1`).size).toBe(1000);
  });

  it('keeps the lines before a crash', () => {
    const log = new ServiceLog({ file: tempLogFile() });
    log.write('stdout', 'last words\nno newline');

    log.markCrash();
    log.write('stdout', 'after restart\n');

    expect(log.lastCrashLines()).toEqual(['last words', 'no newline']);
    log.close();
  });

  it('reloads the tail of an existing file', () => {
    const file = tempLogFile();
    const first = new ServiceLog({ file });
    first.write('stdout', 'one\ntwo\n');
    first.close();

    const second = new ServiceLog({ file });

    expect(second.latest(5)).toEqual(['one', 'two']);
    second.close();
  });
});
