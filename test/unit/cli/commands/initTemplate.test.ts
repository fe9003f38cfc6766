import { describe, expect, it } from 'vitest';

import { renderConfigTemplate } from '../../../../src/main/cli/commands/initTemplate';
import { parseProjectConfig } from '../../../../src/main/core/projects/mlopsYaml';
import { validateServicesBlock } from '../../../../src/main/core/services/projectServices';

describe('renderConfigTemplate', () => {
  it('shows a service block that is valid once uncommented', () => {
    const lines = renderConfigTemplate('digits').split('\n');
    const start = lines.indexOf('# services:');
    const block = lines.slice(start).map((line) => line.replace(/^# ?/, ''));

    const config = parseProjectConfig(['name: digits', ...block].join('\n'), [validateServicesBlock]);

    expect(start).toBeGreaterThan(0);
    expect(Object.keys(config.services ?? {})).toEqual(['model-server']);
  });
});
