import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type CliDeps } from '../../../src/main/cli/deps';
import { runCli } from '../../../src/main/cli/run';
import { createHub, type Hub } from '../../../src/main/core/hub';
import { createSilentLogger } from '../../../src/main/core/logger';
import { createCliHarness } from '../../unit/cli/cliHarness';
import { sendRequest } from '../api/httpClient';

describe('mlops-hub runs list', () => {
  let home: string;
  let hub: Hub;
  let out: string[];
  let err: string[];
  let deps: CliDeps;

  async function mlflow(endpoint: string, body: unknown): Promise<Record<string, unknown>> {
    const response = await sendRequest({ socketPath: hub.paths.socketPath }, { method: 'POST', path: `/api/2.0/mlflow/${endpoint}`, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status, response.text).toBe(200);

    return response.json() as Record<string, unknown>;
  }

  async function createRun(experimentId: string, name: string, accuracy: number): Promise<string> {
    const created = (await mlflow('runs/create', { experiment_id: experimentId, run_name: name, start_time: Date.now() })) as { run: { info: { run_id: string } } };
    const runId = created.run.info.run_id;
    await mlflow('runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'val_acc', value: accuracy, timestamp: Date.now(), step: 1 },
        { key: 'system/cpu_utilization_percentage', value: 50, timestamp: Date.now(), step: 0 },
      ],
    });

    return runId;
  }

  beforeEach(async () => {
    ({ home, out, err, deps } = createCliHarness());
    hub = await createHub({ dataDir: home, log: createSilentLogger(), listen: { port: null } });
  });

  afterEach(async () => {
    await hub.close();
  });

  it('prints runs with script metrics first', async () => {
    const experiment = (await mlflow('experiments/create', { name: 'digits' })) as { experiment_id: string };
    const runId = await createRun(experiment.experiment_id, 'alpha-small', 0.91234);

    expect(await runCli(['node', 'mlops-hub', 'runs', 'list'], deps)).toBe(0);
    expect(err).toEqual([]);
    expect(out[0]).toMatch(/^RUN ID\s+NAME\s+PROJECT\s+EXPERIMENT\s+STATUS\s+START\s+DURATION\s+LATEST METRICS/m);
    expect(out[0]).toContain(runId);
    expect(out[0]).toMatch(/alpha-small\s+default\s+\d+\s+RUNNING/);
    expect(out[0]).toContain('val_acc=0.9123 system/cpu_utilization_percentage=50');
  });

  it('passes filter and max to the hub', async () => {
    const experiment = (await mlflow('experiments/create', { name: 'digits' })) as { experiment_id: string };
    await createRun(experiment.experiment_id, 'low', 0.5);
    await createRun(experiment.experiment_id, 'high', 0.95);
    await createRun(experiment.experiment_id, 'higher', 0.97);

    expect(await runCli(['node', 'mlops-hub', 'runs', 'list', '--filter', 'metrics.val_acc > 0.9', '--max', '1', '--json'], deps)).toBe(0);
    const page = JSON.parse(out[0]!) as { runs: { runName: string }[]; total: number };

    expect(page.runs).toHaveLength(1);
    expect(page.total).toBe(2);
  });

  it('reports an invalid filter in one line', async () => {
    expect(await runCli(['node', 'mlops-hub', 'runs', 'list', '--filter', 'bogus'], deps)).toBe(1);
    expect(err.at(-1)).toMatch(/^mlops-hub: runs list: Invalid filter 'bogus'/);
  });

  it('rejects --max outside 1 to 50000', async () => {
    expect(await runCli(['node', 'mlops-hub', 'runs', 'list', '--max', '0'], deps)).toBe(1);
  });
});
