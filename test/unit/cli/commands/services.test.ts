import { describe, expect, it } from 'vitest';

import type { ServiceInfo } from '../../../../src/common/methods/services';
import { renderServices } from '../../../../src/main/cli/commands/services';

const failed: ServiceInfo = {
  name: 'shop.api',
  description: '',
  source: 'shop',
  state: 'failed',
  pid: null,
  startedAt: null,
  restarts: 0,
  port: 8001,
  url: 'http://127.0.0.1:8001/',
  cpuCores: null,
  memoryBytes: null,
  reason: 'exited with code 1\n  Traceback: boom',
  installCommand: null,
  dependsOn: [],
  lastExitCode: 1,
};

describe('renderServices', () => {
  it('keeps a multi-line note on one row', () => {
    const table = renderServices([failed]).split('\n');

    expect(table).toHaveLength(2);
    expect(table[1]).toContain('exited with code 1 Traceback: boom');
  });
});
