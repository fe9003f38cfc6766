import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
const binPath = path.join(repoRoot, 'bin/mlops-hub.mjs');

/** A headless hub started with `mlops-hub serve --port 0` for one test file. */
export interface TestHub {
  /** Dashboard URL with the token, as `serve` prints it on its first stdout line. */
  dashboardUrl: string;
  /** `http://127.0.0.1:PORT` */
  baseUrl: string;
  token: string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** Builds the renderer with `npm run build`'s config when `out/renderer/index.html` is missing. */
export function ensureRendererBuilt(): void {
  if (fs.existsSync(path.join(repoRoot, 'out/renderer/index.html'))) return;

  const result = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.renderer.config.ts'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`Renderer build failed:\n${result.stdout}\n${result.stderr}`);
}

/** Starts `mlops-hub serve --port 0` on the data folder `home`, with `extraEnv` added, and waits for the dashboard URL line. */
export async function startHub(home: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<TestHub> {
  const env = { ...process.env, ...extraEnv, MLOPS_HUB_HOME: home };
  const child = spawn(process.execPath, [binPath, 'serve', '--port', '0'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const dashboardUrl = await readFirstLine(child, () => stderr);
  const url = new URL(dashboardUrl);
  if (url.hostname !== '127.0.0.1') throw new Error(`The hub printed a non-loopback dashboard URL: ${dashboardUrl}`);

  return {
    dashboardUrl,
    baseUrl: url.origin,
    token: url.searchParams.get('token') ?? '',
    env,
    stop: () => stopChild(child),
  };
}

function readFirstLine(child: ChildProcess, readStderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`mlops-hub serve exited with code ${code} before printing its URL:\n${readStderr()}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();

  return new Promise((resolve) => {
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killTimer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs `mlops-hub ARGS` against the test hub; throws with its output when it fails. */
export function runCli(hub: TestHub, args: string[]): string {
  const result = spawnSync(process.execPath, [binPath, ...args], { cwd: repoRoot, env: hub.env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`mlops-hub ${args.join(' ')} failed with code ${result.status}:\n${result.stdout}\n${result.stderr}`);

  return result.stdout;
}

/** Calls the test hub's MLflow REST API, `POST|GET /api/2.0/mlflow/<route>`. */
export function callMlflow<T>(hub: TestHub, route: string, body: unknown): Promise<T> {
  return postJson<T>(hub, `/api/2.0/mlflow/${route}`, body, `MLflow ${route}`);
}

/** Calls a hub method over the test hub's HTTP API, `POST /api/hub/<domain>/<verb>`. */
export function callHub<T>(hub: TestHub, method: string, input: unknown): Promise<T> {
  const [domain, verb] = method.split(':');

  return postJson<T>(hub, `/api/hub/${domain}/${verb}`, input, method);
}

/** Posts `body` as JSON with the hub's token and parses the reply. `label` names the call in the error thrown on a non-2xx status. */
async function postJson<T>(hub: TestHub, urlPath: string, body: unknown, label: string): Promise<T> {
  const response = await fetch(`${hub.baseUrl}${urlPath}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hub.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${label} failed with HTTP ${response.status}: ${text}`);

  return JSON.parse(text) as T;
}
