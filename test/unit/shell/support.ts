import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { vi } from 'vitest';

import type { CallContext } from '../../../src/common/contract';
import { EventBus } from '../../../src/main/core/eventBus';
import { createSilentLogger } from '../../../src/main/core/logger';

/** A hub with the real event bus whose `call` returns canned replies per method, for shell tests that need exact data. */
export function createStubHub(replies: Record<string, (input: unknown) => unknown>) {
  const events = new EventBus(createSilentLogger());
  const call = vi.fn(async (name: string, input: unknown, _context: CallContext) => {
    const reply = replies[name];
    if (!reply) throw new Error(`stub hub: no reply for ${name}`);

    return reply(input);
  });

  return { events, call, close: vi.fn(async () => undefined) };
}

/** Fresh temporary folder, also set as MLOPS_HUB_HOME. */
export function makeTempHome(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = dir;

  return dir;
}

/** Lets pending promise callbacks run. */
export async function flushPromises(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
