import { describe, expect, it } from 'vitest';

import { parseProjectConfig } from '../../../../src/main/core/projects/mlopsYaml';
import { projectServiceInputs, validateServicesBlock } from '../../../../src/main/core/services/projectServices';

describe('validateServicesBlock', () => {
  it('accepts snake_case fields', () => {
    const issues = validateServicesBlock({ api: { command: 'python3', args: ['serve.py'], port: 8100, depends_on: ['mlflow'], stop_timeout_ms: 500, readiness: { type: 'alive', for_ms: 200 } } });

    expect(issues).toEqual([]);
  });

  it('names the field path of a bad value', () => {
    const issues = validateServicesBlock({ api: { command: 'python3', backoff: { max_restarts: -1 } } });

    expect(issues[0]?.path).toEqual(['api', 'backoff', 'max_restarts']);
  });

  it('rejects fields the hub sets', () => {
    expect(validateServicesBlock({ api: { command: 'x', files: [] } })[0]?.message).toBe('is set by the hub: remove it');
  });

  it('reports the line through the projects loader', () => {
    const text = ['name: demo', 'services:', '  api:', '    command: python3', '    restart: sometimes', ''].join('\n');

    expect(() => parseProjectConfig(text, [validateServicesBlock])).toThrow(/^mlops.yaml line 5: `services.api.restart`/);
  });
});

describe('projectServiceInputs', () => {
  it('prefixes names and sibling dependencies', () => {
    const [worker] = projectServiceInputs('demo', '/projects/demo', { worker: { command: 'python3', cwd: 'src', depends_on: ['db', 'mlflow'] }, db: { command: 'redis-server' } });

    expect(worker?.name).toBe('demo.worker');
    expect(worker?.cwd).toBe('/projects/demo/src');
    expect(worker?.dependsOn).toEqual(['demo.db', 'mlflow']);
    expect(worker?.injectHubEnv).toBe(true);
  });
});
