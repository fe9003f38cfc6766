import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../fakes/electron'));

import { Notification, resetElectronFake } from '../../fakes/electron';
import { createSilentLogger } from '../../../src/main/core/logger';
import { RunNotifier } from '../../../src/main/shell/notifications';
import { createStubHub, flushPromises } from './support';

describe('RunNotifier', () => {
  let hub: ReturnType<typeof createStubHub>;
  let showDashboard: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    resetElectronFake();
    showDashboard = vi.fn();
    hub = createStubHub({
      'runs:get': (input) => {
        const { runId } = input as { runId: string };
        if (runId === 'unknown') throw new Error('run not found');

        return { runId, runName: `name-of-${runId}` };
      },
    });
  });

  function startNotifier(): RunNotifier {
    const notifier = new RunNotifier({ hub, log: createSilentLogger(), showDashboard });
    notifier.start();

    return notifier;
  }

  async function emitRun(runId: string, status: string): Promise<void> {
    hub.events.emit({ type: 'runs:didChange', runId, experimentId: '1', status });
    await flushPromises();
  }

  it('notifies a finished run', async () => {
    startNotifier();

    await emitRun('r1', 'FINISHED');

    expect(Notification.instances.map((n) => n.options)).toEqual([{ title: 'Run finished', body: 'name-of-r1 finished.' }]);
    expect(Notification.instances[0]?.shown).toBe(true);
  });

  it('notifies a failed run', async () => {
    startNotifier();

    await emitRun('r2', 'FAILED');

    expect(Notification.instances[0]?.options).toEqual({ title: 'Run failed', body: 'name-of-r2 failed.' });
  });

  it('stays quiet for other statuses', async () => {
    startNotifier();

    await emitRun('r1', 'RUNNING');
    await emitRun('r1', 'KILLED');
    hub.events.emit({ type: 'metrics:didLog', runId: 'r1', keys: ['loss'] });
    await flushPromises();

    expect(Notification.instances).toHaveLength(0);
  });

  it('notifies each run end once', async () => {
    startNotifier();

    await emitRun('r1', 'FINISHED');
    await emitRun('r1', 'FINISHED');

    expect(Notification.instances).toHaveLength(1);
  });

  it('falls back to the run id', async () => {
    startNotifier();

    await emitRun('unknown', 'FAILED');

    expect(Notification.instances[0]?.options.body).toBe('unknown failed.');
  });

  it('opens the run on click', async () => {
    startNotifier();
    await emitRun('r1', 'FINISHED');

    Notification.instances[0]?.emit('click');

    expect(showDashboard).toHaveBeenCalledWith('r1');
  });

  it('shows hub notification events', async () => {
    startNotifier();

    hub.events.emit({ type: 'notification', title: 'Service failed', body: 'mlflow exited with status 1.' });
    Notification.instances[0]?.emit('click');

    expect(Notification.instances[0]?.options).toEqual({ title: 'Service failed', body: 'mlflow exited with status 1.' });
    expect(showDashboard).toHaveBeenCalledWith(undefined);
  });

  it('does nothing when unsupported', async () => {
    Notification.supported = false;
    startNotifier();

    await emitRun('r1', 'FINISHED');

    expect(Notification.instances).toHaveLength(0);
    expect(hub.events.listenerCount).toBe(0);
  });

  it('disposes its listener', () => {
    const notifier = startNotifier();

    notifier.dispose();

    expect(hub.events.listenerCount).toBe(0);
  });
});
