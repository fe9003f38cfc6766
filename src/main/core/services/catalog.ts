import { formatIssues, serviceDefinitionSchema, type ServiceDefinition, type ServiceDefinitionInput, type ServiceOverride } from './definition';

/** Machine facts that the built-in definitions depend on. */
export interface CatalogContext {
  platform: NodeJS.Platform;
}

const pythonEnv = { PYTHONUNBUFFERED: '1' };

/**
 * Built-in services. Default ports avoid 5000 and 7000, which macOS 12 and
 * later give to the AirPlay Receiver. Every service binds 127.0.0.1 only.
 */
export function builtinServiceInputs(context: CatalogContext): ServiceDefinitionInput[] {
  return [
    {
      name: 'mlflow',
      description: 'MLflow tracking server with its own SQLite store and artifact root in the hub data folder.',
      command: 'mlflow',
      args: ['server', '--backend-store-uri', 'sqlite:///{serviceDir}/mlflow.db', '--default-artifact-root', '{serviceDir}/artifacts', '--host', '127.0.0.1', '--port', '{port}'],
      port: 5100,
      cwd: '{serviceDir}',
      env: pythonEnv,
      readiness: { type: 'http', url: 'http://127.0.0.1:{port}/health' },
      startTimeoutMs: 120_000,
      installCommand: 'python3 -m pip install mlflow',
    },
    {
      name: 'airflow',
      description: 'Airflow standalone: API server, scheduler, DAG processor and triggerer with a local database.',
      command: 'airflow',
      args: ['standalone'],
      port: 8080,
      cwd: '{serviceDir}',
      // Airflow 3 reads [api] port, Airflow 2 [webserver] web_server_port.
      env: { ...pythonEnv, AIRFLOW_HOME: '{serviceDir}', AIRFLOW__API__PORT: '{port}', AIRFLOW__WEBSERVER__WEB_SERVER_PORT: '{port}' },
      readiness: { type: 'tcp' },
      startTimeoutMs: 300_000,
      // `airflow standalone` stops its four child processes only on Ctrl-C (SIGINT); SIGTERM leaves them running.
      stopSignal: 'SIGINT',
      stopTimeoutMs: 30_000,
      installCommand: 'python3 -m pip install apache-airflow',
    },
    {
      name: 'bentoml',
      description: 'BentoML serving the service defined in its working folder.',
      command: 'bentoml',
      args: ['serve', '.', '--host', '127.0.0.1', '--port', '{port}'],
      port: 3000,
      cwd: '{serviceDir}',
      env: pythonEnv,
      readiness: { type: 'http', url: 'http://127.0.0.1:{port}/readyz' },
      startTimeoutMs: 180_000,
      // BentoML's workers may take a day (graceful_timeout=86400 s) to stop; the hub's deadline applies instead.
      stopTimeoutMs: 30_000,
      installCommand: 'python3 -m pip install bentoml',
    },
    {
      name: 'ray',
      description: 'Ray head node with its dashboard on loopback.',
      command: 'ray',
      // GCS on 6390, not Ray's 6379, which a local Redis often holds.
      args: ['start', '--head', '--block', '--port', '6390', '--dashboard-host', '127.0.0.1', '--dashboard-port', '{port}', '--disable-usage-stats'],
      port: 8265,
      cwd: '{serviceDir}',
      env: pythonEnv,
      readiness: { type: 'http', url: 'http://127.0.0.1:{port}/api/gcs_healthz' },
      startTimeoutMs: 180_000,
      stopTimeoutMs: 15_000,
      installCommand: 'python3 -m pip install "ray[default]"',
    },
    {
      name: 'evidently',
      description: 'Evidently UI for data and model monitoring reports.',
      command: 'evidently',
      args: ['ui', '--workspace', '{serviceDir}/workspace', '--host', '127.0.0.1', '--port', '{port}'],
      port: 8000,
      cwd: '{serviceDir}',
      env: pythonEnv,
      readiness: { type: 'http', url: 'http://127.0.0.1:{port}/api/version' },
      installCommand: 'python3 -m pip install evidently',
    },
    prometheusInput(context),
  ];
}

function prometheusInput(context: CatalogContext): ServiceDefinitionInput {
  return {
    name: 'prometheus',
    description: "Prometheus scraping the hub's own /metrics.",
    command: 'prometheus',
    args: ['--config.file={serviceDir}/prometheus.yml', '--storage.tsdb.path={serviceDir}/data', '--web.listen-address=127.0.0.1:{port}'],
    port: 9090,
    cwd: '{serviceDir}',
    readiness: { type: 'http', url: 'http://127.0.0.1:{port}/-/ready' },
    files: [{ path: '{serviceDir}/prometheus.yml', content: renderPrometheusConfig() }],
    installCommand: context.platform === 'darwin' ? 'brew install prometheus' : 'sudo apt-get install prometheus',
  };
}

/**
 * Prometheus scrape config for the hub's /metrics. `{hubHost}` and `{tokenFile}`
 * are replaced at start, when the hub's port is known; the token stays in its
 * file and never appears in the config.
 */
export function renderPrometheusConfig(scrapeIntervalSeconds = 15): string {
  const lines = [
    'global:',
    `  scrape_interval: ${scrapeIntervalSeconds}s`,
    'scrape_configs:',
    '  - job_name: mlops-hub',
    '    metrics_path: /metrics',
    '    authorization:',
    '      type: Bearer',
    '      credentials_file: "{tokenFile}"',
    '    static_configs:',
    '      - targets: ["{hubHost}"]',
  ];

  return `${lines.join('\n')}\n`;
}

/** Result of merging the catalog, project services and settings overrides. */
export interface ResolvedCatalog {
  definitions: ServiceDefinition[];
  /** One message per input that was skipped or override that was ignored, naming the field and the fix. */
  errors: string[];
}

/**
 * Validates every definition, lays the settings overrides over it and drops
 * invalid ones with an error message, so one bad entry never hides the others.
 * `source` is `builtin` or the project slug of `inputs`. Only overrides of that
 * source's services (names without a dot, or `<project>.` names) are reported when unknown,
 * because `overrides` contains the overrides of every source.
 */
export function resolveCatalog(inputs: readonly ServiceDefinitionInput[], overrides: Readonly<Record<string, ServiceOverride>>, source = 'builtin'): ResolvedCatalog {
  const definitions: ServiceDefinition[] = [];
  const errors: string[] = [];
  const names = new Set<string>();

  for (const input of inputs) {
    const base = serviceDefinitionSchema.safeParse(input);
    if (!base.success) {
      errors.push(`Invalid service definition \`${String(input.name)}\`: ${formatIssues(base.error)}.`);
      continue;
    }
    if (names.has(base.data.name)) {
      errors.push(`Duplicate service name \`${base.data.name}\`: rename one of them.`);
      continue;
    }
    names.add(base.data.name);
    definitions.push(applyOverride(base.data, input, overrides[base.data.name], errors));
  }

  const ownsOverride = (name: string): boolean => (source === 'builtin' ? !name.includes('.') : name.startsWith(`${source}.`));
  for (const name of Object.keys(overrides).filter(ownsOverride)) {
    if (!names.has(name)) errors.push(`Override for unknown service \`${name}\` in services settings: use one of ${[...names].join(', ')}.`);
  }

  return { definitions, errors };
}

function applyOverride(base: ServiceDefinition, input: ServiceDefinitionInput, override: ServiceOverride | undefined, errors: string[]): ServiceDefinition {
  if (!override) return base;

  const merged = serviceDefinitionSchema.safeParse({ ...input, ...override, name: base.name });
  if (merged.success) return merged.data;

  errors.push(`Ignored override of service \`${base.name}\` in services settings: ${formatIssues(merged.error, `overrides.${base.name}`)}.`);

  return base;
}
