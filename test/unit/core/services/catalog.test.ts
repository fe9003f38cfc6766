import { describe, expect, it } from 'vitest';

import { builtinServiceInputs, renderPrometheusConfig, resolveCatalog } from '../../../../src/main/core/services/catalog';

const inputs = builtinServiceInputs({ platform: 'darwin' });

describe('catalog', () => {
  it('defines the six built-in services', () => {
    const { definitions, errors } = resolveCatalog(inputs, {});

    expect(errors).toEqual([]);
    expect(definitions.map((definition) => definition.name)).toEqual(['mlflow', 'airflow', 'bentoml', 'ray', 'evidently', 'prometheus']);
  });

  it('keeps default ports off the AirPlay ports', () => {
    const ports = resolveCatalog(inputs, {}).definitions.map((definition) => definition.port);

    expect(ports).not.toContain(5000);
    expect(ports).not.toContain(7000);
  });

  it('stops Airflow standalone with SIGINT', () => {
    const airflow = resolveCatalog(inputs, {}).definitions.find((definition) => definition.name === 'airflow');

    expect(airflow?.stopSignal).toBe('SIGINT');
  });

  it('runs MLflow on its own SQLite store', () => {
    const mlflow = resolveCatalog(inputs, {}).definitions.find((definition) => definition.name === 'mlflow');

    expect(mlflow?.args).toContain('sqlite:///{serviceDir}/mlflow.db');
    expect(mlflow?.args.slice(-4)).toEqual(['--host', '127.0.0.1', '--port', '{port}']);
  });

  it('applies an override and keeps the other fields', () => {
    const { definitions } = resolveCatalog(inputs, { mlflow: { port: 5200 } });
    const mlflow = definitions.find((definition) => definition.name === 'mlflow');

    expect(mlflow?.port).toBe(5200);
    expect(mlflow?.startTimeoutMs).toBe(120_000);
  });

  it('ignores an invalid override with a message', () => {
    const { definitions, errors } = resolveCatalog(inputs, { mlflow: { port: 70000 }, nope: { port: 1 } });

    expect(definitions.find((definition) => definition.name === 'mlflow')?.port).toBe(5100);
    expect(errors[0]).toContain('overrides.mlflow.port: must be a TCP port between 1 and 65535');
    expect(errors[1]).toContain('Override for unknown service `nope`');
  });

  it('does not report a built-in override while resolving a project', () => {
    const project = [{ name: 'shop.api', command: 'python3' }];

    const { errors } = resolveCatalog(project, { prometheus: { port: 9091 }, 'shop.api': { port: 8001 }, 'shop.gone': { port: 1 } }, 'shop');

    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Override for unknown service `shop.gone`');
  });

  it('reads the bearer token from a file in the Prometheus config', () => {
    const config = renderPrometheusConfig();

    expect(config).toContain('credentials_file: "{tokenFile}"');
    expect(config).toContain('targets: ["{hubHost}"]');
  });
});
