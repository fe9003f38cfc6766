// Child process of services.bench.ts: supervises `count` idle TCP services with health checks,
// waits until all run, then prints the CPU time this process used over `windowMs` as JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { EventBus } from '../src/main/core/eventBus';
import { createSilentLogger } from '../src/main/core/logger';
import { resolveHubPaths } from '../src/main/core/paths';
import { serviceDefinitionSchema, servicesSettingsSchema } from '../src/main/core/services/definition';
import { Supervisor } from '../src/main/core/services/supervisor';

const [countText, windowText, fixture] = process.argv.slice(2);
const count = Number(countText);
const windowMs = Number(windowText);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-bench-'));
const paths = resolveHubPaths(dataDir);
const log = createSilentLogger();
const supervisor = new Supervisor({
  dataDir,
  logsDir: paths.logsDir,
  childrenFile: paths.childrenFile,
  log,
  events: new EventBus(log),
  settings: servicesSettingsSchema.parse({}),
  hubAddress: () => ({ url: null, socketPath: paths.socketPath, tokenFile: paths.tokenFile }),
});

const definitions = Array.from({ length: count }, (_unused, index) =>
  serviceDefinitionSchema.parse({ name: `idle-${index}`, command: process.execPath, args: [fixture, '{port}'], port: null, pickFreePort: true, readiness: { type: 'tcp' } }),
);
await supervisor.setDefinitions('builtin', definitions);
for (const definition of definitions) await supervisor.start(definition.name);
await Promise.all(definitions.map((definition) => supervisor.waitUntilRunning(definition.name)));

const before = process.cpuUsage();
await new Promise((resolve) => setTimeout(resolve, windowMs));
const used = process.cpuUsage(before);
supervisor.list(); // the GUI polls this; one listing per window is a light stand-in

await supervisor.close();
process.stdout.write(`${JSON.stringify({ cpuMicros: used.user + used.system })}\n`);
