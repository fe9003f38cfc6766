#!/usr/bin/env node
// `npm run test:python`: starts a headless hub on a fresh temporary MLOPS_HUB_HOME,
// byte-compiles the SDK, its tests and the example, runs the SDK's unittest suite
// against the hub, then stops the hub. unittest's stderr ("Ran N tests", "OK" or
// "FAILED (...)") passes through; the exit code is unittest's.
// The interpreter is `python3` from PATH unless PYTHON names another one.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const root = path.resolve(import.meta.dirname, '..');
const python = process.env.PYTHON || 'python3';
const hubStartTimeoutMs = 60_000;
const hubStopTimeoutMs = 10_000;

const compileTargets = [...listPythonFiles('clients/python'), ...listPythonFiles('examples/digits-classifier')];
const compiled = spawnSync(python, ['-m', 'py_compile', ...compileTargets], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) {
  const reason = compiled.error ? `could not run ${python}: ${compiled.error.message}` : `exit ${compiled.status}`;
  console.error(`testPython: py_compile failed (${reason}); fix the errors above, or set PYTHON to a working python3.`);
  process.exit(1);
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
const logFile = path.join(root, 'test-results', 'python-sdk-hub.log');
fs.mkdirSync(path.dirname(logFile), { recursive: true });

let exitCode = 1;
const hub = spawn(process.execPath, [path.join(root, 'bin/mlops-hub.mjs'), 'serve', '--port', '0'], {
  cwd: root,
  env: { ...process.env, MLOPS_HUB_HOME: home },
  stdio: ['ignore', 'pipe', 'pipe'],
});
try {
  const { url, token } = await readDashboardUrl(hub);
  exitCode = await runUnittest({ url, token });
} catch (error) {
  console.error(`testPython: ${error.message}; the hub's output is in ${logFile}.`);
} finally {
  await stopHub(hub);
  fs.rmSync(home, { recursive: true, force: true });
}
process.exit(exitCode);

function listPythonFiles(folder) {
  const absolute = path.join(root, folder);
  return fs
    .readdirSync(absolute, { recursive: true })
    .filter((name) => name.endsWith('.py') && !name.split(path.sep).includes('build'))
    .map((name) => path.join(folder, name));
}

// Resolves with the URL and token from the hub's first stdout line, `http://127.0.0.1:PORT/?token=TOKEN`.
function readDashboardUrl(child) {
  const log = fs.createWriteStream(logFile);
  child.stderr.pipe(log);

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the hub printed no URL within ${hubStartTimeoutMs} ms`)), hubStartTimeoutMs);
    const lines = readline.createInterface({ input: child.stdout });
    let first = true;
    lines.on('line', (line) => {
      log.write(`${line}\n`);
      if (!first) return;
      first = false;
      clearTimeout(timer);

      const match = /^(http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)$/.exec(line.trim());
      if (match) resolve({ url: match[1], token: decodeURIComponent(match[2]) });
      else reject(new Error(`the hub's first line is not http://127.0.0.1:PORT/?token=TOKEN: ${JSON.stringify(line)}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited before printing its URL (code ${code}, signal ${signal})`));
    });
  });
}

function runUnittest({ url, token }) {
  const pythonPath = [path.join(root, 'clients/python'), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  const env = { ...process.env, MLOPS_HUB_HOME: home, MLOPS_HUB_URL: url, MLOPS_HUB_TOKEN: token, PYTHONPATH: pythonPath };
  delete env.MLOPS_HUB_SOCKET;

  const child = spawn(python, ['-m', 'unittest', 'discover', '-s', 'clients/python/tests', '-v'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`could not start ${python}: ${error.message}`)));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function stopHub(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;

  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), hubStopTimeoutMs);
  await exited;
  clearTimeout(timer);
}
