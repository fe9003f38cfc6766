import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createHub, type Hub } from '../../../src/main/core/hub';
import { createSilentLogger } from '../../../src/main/core/logger';
import { sendRequest } from '../api/httpClient';

/** A second, real hub that plays the managed MLflow server: it serves the MLflow REST API on 127.0.0.1. */
export interface MlflowServerHub {
  hub: Hub;
  /** `http://127.0.0.1:PORT` of its TCP listener. */
  url: string;
  /** Sends one MLflow REST call with the hub's token and returns the JSON body; throws on an error status. */
  mlflow(method: 'GET' | 'POST', endpoint: string, body?: unknown): Promise<Record<string, unknown>>;
}

export async function startMlflowServerHub(): Promise<MlflowServerHub> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  const hub = await createHub({ dataDir, log: createSilentLogger(), listen: { port: 0, staticDir: path.join(dataDir, 'no-build') } });
  const port = hub.port!;

  const mlflow = async (method: 'GET' | 'POST', endpoint: string, body?: unknown): Promise<Record<string, unknown>> => {
    const headers: Record<string, string> = { Authorization: `Bearer ${hub.token}`, 'Content-Type': 'application/json' };
    const response = await sendRequest({ port }, { method, path: `/api/2.0/mlflow/${endpoint}`, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (response.status !== 200) throw new Error(`${method} ${endpoint} returned ${response.status}: ${response.text}`);

    return response.json() as Record<string, unknown>;
  };

  return { hub, url: `http://127.0.0.1:${port}`, mlflow };
}

/** Ids of the runs that `seedRuns` creates. */
export interface SeededRuns {
  visionExperimentId: string;
  cnnRunId: string;
  plainRunId: string;
}

/**
 * Creates experiment `vision-exp` of project `vision` with run `cnn` (param lr, 1000 loss
 * points ending in NaN, finished) and run `plain` in the Default experiment (still running).
 */
export async function seedRuns(server: MlflowServerHub): Promise<SeededRuns> {
  const { experiment_id: visionExperimentId } = (await server.mlflow('POST', 'experiments/create', { name: 'vision-exp', tags: [{ key: 'mlops_hub.project', value: 'vision' }] })) as { experiment_id: string };
  const createRun = async (experimentId: string, runName: string, startTime: number): Promise<string> => {
    const reply = (await server.mlflow('POST', 'runs/create', { experiment_id: experimentId, run_name: runName, start_time: startTime })) as { run: { info: { run_id: string } } };

    return reply.run.info.run_id;
  };
  const cnnRunId = await createRun(visionExperimentId, 'cnn', 2000);
  const plainRunId = await createRun('0', 'plain', 1000);

  const metrics = Array.from({ length: 1000 }, (_, step) => ({ key: 'loss', value: step === 999 ? 'NaN' : 1 / (step + 1), timestamp: 5000 + step, step }));
  await server.mlflow('POST', 'runs/log-batch', { run_id: cnnRunId, metrics });
  await server.mlflow('POST', 'runs/log-batch', { run_id: cnnRunId, metrics: [{ key: 'acc', value: 0.9, timestamp: 6000, step: 0 }], params: [{ key: 'lr', value: '0.1' }], tags: [{ key: 'team', value: 'cv' }] });
  await server.mlflow('POST', 'runs/update', { run_id: cnnRunId, status: 'FINISHED', end_time: 7000 });

  return { visionExperimentId, cnnRunId, plainRunId };
}
