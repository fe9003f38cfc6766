import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { type HubEvent } from '../../../../src/common/events';
import { EventBus } from '../../../../src/main/core/eventBus';
import { createSilentLogger } from '../../../../src/main/core/logger';
import { type Db, openDatabase } from '../../../../src/main/core/storage/database';
import { allMigrations } from '../../../../src/main/core/storage/migrations';
import { createMlflowRouter, type MlflowResponse, type MlflowRouter } from '../../../../src/main/core/tracking/mlflowRoutes';
import { Tracking } from '../../../../src/main/core/tracking/tracking';

export interface TrackingFixture {
  dir: string;
  db: Db;
  tracking: Tracking;
  router: MlflowRouter;
  events: HubEvent[];
  /** Calls the MLflow router; for GET, `fields` become query parameters, otherwise the JSON body (a string is sent as is). */
  call(method: string, endpoint: string, fields?: Record<string, unknown> | string): MlflowResponse;
  /** Same as `call` but fails unless the status is 200, and returns the body. */
  ok(method: string, endpoint: string, fields?: Record<string, unknown> | string): Record<string, unknown>;
  close(): void;
}

/** Creates a tracking store on a fresh database in a fresh temporary MLOPS_HUB_HOME, with a clock that ticks 1 ms per read. */
export function createTrackingFixture(): TrackingFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = dir;
  const log = createSilentLogger();
  const db = openDatabase({ file: path.join(dir, 'hub.db'), migrations: allMigrations, log });
  const bus = new EventBus(log);
  const events: HubEvent[] = [];
  bus.onDidEmit((event) => events.push(event));
  let clock = 1_700_000_000_000;
  const tracking = new Tracking({ db, log, events: bus, now: () => clock++ });
  const router = createMlflowRouter(tracking, log);

  const call = (method: string, endpoint: string, fields: Record<string, unknown> | string = {}): MlflowResponse => {
    const query = new URLSearchParams();
    if (method === 'GET' && typeof fields !== 'string') {
      for (const [key, value] of Object.entries(fields)) {
        for (const item of Array.isArray(value) ? value : [value]) query.append(key, String(item));
      }
    }
    let bodyText = '';
    if (method !== 'GET') bodyText = typeof fields === 'string' ? fields : JSON.stringify(fields);
    const response = router({ method, pathname: `/api/2.0/mlflow/${endpoint}`, query, bodyText });
    if (!response) throw new Error(`router returned null for ${endpoint}`);

    return response as MlflowResponse;
  };

  return {
    dir,
    db,
    tracking,
    router,
    events,
    call,
    ok(method, endpoint, fields) {
      const response = call(method, endpoint, fields);
      if (response.status !== 200) throw new Error(`${method} ${endpoint} returned ${response.status}: ${JSON.stringify(response.body)}`);
      return response.body as Record<string, unknown>;
    },
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates an experiment and a run through the MLflow API and returns the run id. */
export function createRun(fixture: TrackingFixture, experimentName = 'exp'): { experimentId: string; runId: string } {
  const { experiment_id: experimentId } = fixture.ok('POST', 'experiments/create', { name: experimentName }) as { experiment_id: string };
  const { run } = fixture.ok('POST', 'runs/create', { experiment_id: experimentId, start_time: 1000 }) as { run: { info: { run_id: string } } };

  return { experimentId, runId: run.info.run_id };
}
