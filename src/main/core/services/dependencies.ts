/** A service name with the names it depends on. */
export interface DependencyNode {
  name: string;
  dependsOn: readonly string[];
}

/** Problems in a dependency graph: unknown names and cycles, each as a message naming the fix. */
export function findDependencyErrors(nodes: readonly DependencyNode[]): string[] {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const errors: string[] = [];

  for (const node of nodes) {
    for (const dependency of node.dependsOn) {
      if (!byName.has(dependency)) errors.push(`Service \`${node.name}\` depends on unknown service \`${dependency}\`: fix \`depends_on\` to name one of ${[...byName.keys()].join(', ')}.`);
    }
  }

  const cycle = findCycle(byName);
  if (cycle) errors.push(`Circular depends_on: ${cycle.join(' -> ')}. Remove one of these dependencies.`);

  return errors;
}

/** One dependency cycle as a path that starts and ends with the same name, or null. */
export function findCycle(byName: ReadonlyMap<string, DependencyNode>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];

  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];

    state.set(name, 'visiting');
    stack.push(name);
    for (const dependency of byName.get(name)?.dependsOn ?? []) {
      const cycle = byName.has(dependency) ? visit(dependency) : null;
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');

    return null;
  };

  for (const name of byName.keys()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }

  return null;
}

/** `name` and everything it depends on, dependencies first. Assumes the graph has no cycle. */
export function startOrder(byName: ReadonlyMap<string, DependencyNode>, name: string): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (current: string): void => {
    if (seen.has(current)) return;
    seen.add(current);
    for (const dependency of byName.get(current)?.dependsOn ?? []) visit(dependency);
    order.push(current);
  };
  visit(name);

  return order;
}

/** Services that depend on `name` directly or indirectly, dependents first, so they stop before it. */
export function dependentsOf(byName: ReadonlyMap<string, DependencyNode>, name: string): string[] {
  const result: string[] = [];
  const visit = (target: string): void => {
    for (const node of byName.values()) {
      if (!node.dependsOn.includes(target) || result.includes(node.name)) continue;
      visit(node.name);
      result.push(node.name);
    }
  };
  visit(name);

  return result;
}
