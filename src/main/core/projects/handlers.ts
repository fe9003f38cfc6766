import { type MethodHandlers } from '../../../common/contract';
import { type projectsMethods } from '../../../common/methods/projects';
import { type ProjectRegistry } from './projectRegistry';

/** Hub method handlers of the project registry. */
export function createProjectsHandlers(registry: ProjectRegistry): MethodHandlers<typeof projectsMethods> {
  return {
    'projects:list': () => registry.list(),
    'projects:get': ({ name }) => registry.get(name),
    'projects:add': (input) => registry.add(input),
    'projects:rename': ({ name, newName }) => registry.rename(name, newName),
    'projects:remove': ({ name, purge }) => registry.remove(name, purge),
  };
}
