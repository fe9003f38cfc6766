import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { HubError } from '../../../../src/common/errors';
import { loadProjectConfig, parseProjectConfig, type ServicesValidator } from '../../../../src/main/core/projects/mlopsYaml';
import { renderConfigTemplate } from '../../../../src/main/cli/commands/initTemplate';

function messageOf(text: string, validators: ServicesValidator[] = []): string {
  try {
    parseProjectConfig(text, validators);
  } catch (error) {
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).code).toBe('INVALID_PARAMETER_VALUE');
    return (error as HubError).message;
  }
  throw new Error('parseProjectConfig accepted invalid input');
}

describe('parseProjectConfig', () => {
  it('applies defaults to a minimal file', () => {
    expect(parseProjectConfig('name: digits\n')).toEqual({ name: 'digits', priority: 'normal', weight: 1 });
  });

  it('treats an empty file as all defaults', () => {
    expect(parseProjectConfig('# nothing yet\n')).toEqual({ priority: 'normal', weight: 1 });
  });

  it('reads every documented key', () => {
    const text = [
      'name: lora-ft',
      'description: LoRA fine-tuning',
      'priority: high',
      'weight: 2.5',
      'resources:',
      '  memory_gb: 24',
      '  gpu: 0.5',
      '  neural_engine: true',
      '  cpu_cores: 6',
      'tracking:',
      '  experiment: lora',
      'services:',
      '  mlflow: {}',
    ].join('\n');

    expect(parseProjectConfig(text)).toEqual({
      name: 'lora-ft',
      description: 'LoRA fine-tuning',
      priority: 'high',
      weight: 2.5,
      resources: { memory_gb: 24, gpu: 0.5, neural_engine: true, cpu_cores: 6 },
      tracking: { experiment: 'lora' },
      services: { mlflow: {} },
    });
  });

  it('names key, line and allowed values of a bad enum', () => {
    expect(messageOf('name: a\ndescription: x\n\npriority: urgent\n')).toBe('mlops.yaml line 4: `priority` must be one of high, normal, low; got `urgent`');
  });

  it('names a nested key and its line', () => {
    expect(messageOf('name: a\nresources:\n  memory_gb: lots\n')).toBe('mlops.yaml line 3: `resources.memory_gb` must be a number; got `lots`');
  });

  it('rejects a GPU share above 1', () => {
    expect(messageOf('resources:\n  gpu: 1.5\n')).toBe('mlops.yaml line 2: `resources.gpu` must be at most 1; got `1.5`');
  });

  it('explains the forms of a GPU setting', () => {
    expect(messageOf('resources:\n  gpu: lots\n')).toBe('mlops.yaml line 2: `resources.gpu` must be true, false or a share of the GPU from 0 to 1; got `lots`');
  });

  it('rejects a non-positive weight', () => {
    expect(messageOf('weight: 0\n')).toBe('mlops.yaml line 1: `weight` must be greater than 0; got `0`');
  });

  it('rejects a name that is not a slug', () => {
    expect(messageOf('name: My Project\n')).toMatch(/^mlops\.yaml line 1: `name` .*slug.*; got `My Project`$/);
  });

  it('names an unknown key and lists the allowed ones', () => {
    expect(messageOf('name: a\nprioirty: high\n')).toBe(
      'mlops.yaml line 2: unknown key `prioirty`; allowed keys are name, description, priority, weight, resources, tracking, services',
    );
  });

  it('points an empty mapping value at its key', () => {
    expect(messageOf('name: a\nresources:\n')).toBe('mlops.yaml line 2: `resources` must be a mapping; got null');
  });

  it('names the over-indented line, not the key above it', () => {
    expect(messageOf('name: a\npriority: normal\n  weight: 2\n')).toMatch(/^mlops\.yaml line 3: invalid YAML: this line is indented deeper than the key above it/);
    expect(messageOf('# settings\nname: a\ndescription: x\n    weight: 2\npriority: low\n')).toMatch(/^mlops\.yaml line 4: /);
  });

  it('keeps the line of a nested mapping on one line', () => {
    expect(messageOf('name: a: b\npriority: normal\n')).toMatch(/^mlops\.yaml line 1: invalid YAML: /);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(messageOf('name: a\npriority: [high\n')).toMatch(/^mlops\.yaml line \d: invalid YAML: /);
  });

  it('rejects a top-level list', () => {
    expect(messageOf('- a\n- b\n')).toBe('mlops.yaml line 1: must be a mapping of keys to values; got a list');
  });

  it('reports services issues from a plugged validator', () => {
    const validator: ServicesValidator = (services) => ('web' in services ? [{ path: ['web', 'port'], message: 'must be an integer from 1 to 65535' }] : []);

    expect(messageOf('name: a\nservices:\n  web:\n    port: http\n', [validator])).toBe('mlops.yaml line 4: `services.web.port` must be an integer from 1 to 65535');
  });

  it('accepts the template that init writes', () => {
    expect(parseProjectConfig(renderConfigTemplate('digits'))).toEqual({ name: 'digits', description: '', priority: 'normal', weight: 1 });
  });
});

describe('loadProjectConfig', () => {
  it('returns null when the folder has no mlops.yaml', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));

    expect(loadProjectConfig(folder)).toBeNull();
  });

  it('reads mlops.yaml from the folder', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    fs.writeFileSync(path.join(folder, 'mlops.yaml'), 'priority: low\n');

    expect(loadProjectConfig(folder)).toEqual({ priority: 'low', weight: 1 });
  });
});
