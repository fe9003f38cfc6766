// One load-generating client of bench/logBatch.bench.ts, run as a child
// process so that its JSON encoding and socket work stay off the server's
// thread. Protocol over the IPC channel: the parent sends
// {port, token, experimentId, batches, keys}; the client creates its run,
// serializes every batch, replies {type: 'ready'}, waits for 'go', sends the
// batches one after another on a keep-alive connection and replies
// {type: 'done', runId, points, failures}.
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function post(config, endpoint, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: config.port,
        method: 'POST',
        path: `/api/2.0/mlflow/${endpoint}`,
        agent,
        headers: { Authorization: `Bearer ${config.token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Batch i contains `keys` metrics of 1000 / keys consecutive steps each. */
function buildBatches(runId, batches, keys) {
  const stepsPerBatch = 1000 / keys;
  const bodies = [];
  for (let batch = 0; batch < batches; batch++) {
    const metrics = [];
    for (let k = 0; k < keys; k++) {
      for (let s = 0; s < stepsPerBatch; s++) {
        const step = batch * stepsPerBatch + s;
        metrics.push({ key: `metric_${k}`, value: Math.sin(step / 50 + k), timestamp: 1_700_000_000_000 + step, step });
      }
    }
    bodies.push(JSON.stringify({ run_id: runId, metrics }));
  }

  return bodies;
}

async function run(config) {
  const created = await post(config, 'runs/create', JSON.stringify({ experiment_id: config.experimentId, start_time: Date.now() }));
  if (created.status !== 200) throw new Error(`runs/create returned ${created.status}: ${created.text}`);
  const runId = JSON.parse(created.text).run.info.run_id;
  const bodies = buildBatches(runId, config.batches, config.keys);

  await new Promise((resolve) => {
    process.once('message', resolve);
    process.send({ type: 'ready' });
  });

  let failures = 0;
  for (const body of bodies) {
    const response = await post(config, 'runs/log-batch', body);
    if (response.status !== 200) failures += 1;
  }
  process.send({ type: 'done', runId, points: bodies.length * 1000, failures });
  agent.destroy();
}

process.once('message', (config) => {
  run(config).catch((error) => {
    process.send({ type: 'error', message: String(error?.stack ?? error) });
  });
});
