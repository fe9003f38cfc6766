import { describe, expect, it } from 'vitest';

import { dependentsOf, findDependencyErrors, startOrder, type DependencyNode } from '../../../../src/main/core/services/dependencies';

function graph(nodes: DependencyNode[]): Map<string, DependencyNode> {
  return new Map(nodes.map((node) => [node.name, node]));
}

describe('dependencies', () => {
  const nodes = [
    { name: 'db', dependsOn: [] },
    { name: 'api', dependsOn: ['db'] },
    { name: 'web', dependsOn: ['api', 'db'] },
  ];

  it('orders dependencies before the service', () => {
    expect(startOrder(graph(nodes), 'web')).toEqual(['db', 'api', 'web']);
  });

  it('lists dependents before their dependencies', () => {
    expect(dependentsOf(graph(nodes), 'db')).toEqual(['web', 'api']);
  });

  it('names a cycle', () => {
    const errors = findDependencyErrors([
      { name: 'a', dependsOn: ['b'] },
      { name: 'b', dependsOn: ['c'] },
      { name: 'c', dependsOn: ['a'] },
    ]);

    expect(errors).toEqual(['Circular depends_on: a -> b -> c -> a. Remove one of these dependencies.']);
  });

  it('names an unknown dependency', () => {
    const errors = findDependencyErrors([{ name: 'a', dependsOn: ['nope'] }]);

    expect(errors[0]).toContain('Service `a` depends on unknown service `nope`');
  });
});
