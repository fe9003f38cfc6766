import { describeError, toShownError } from '../messages';
import type { ProjectsSlice, SliceCreator } from './types';

export const createProjectsSlice: SliceCreator<ProjectsSlice> = (transport) => (set, get) => ({
  projects: [],
  projectsStatus: 'idle',
  projectsError: null,

  async loadProjects() {
    set({ projectsStatus: get().projectsStatus === 'ready' ? 'ready' : 'loading' });
    try {
      const projects = await transport.call('projects:list', {});
      set({ projects, projectsStatus: 'ready', projectsError: null });
    } catch (error) {
      set({ projectsStatus: 'error', projectsError: toShownError(error) });
    }
  },

  async addProject(path, name) {
    const trimmed = path.trim();
    if (trimmed === '') return 'Enter the path of a project folder, for example /Users/me/code/my-model.';

    try {
      await transport.call('projects:add', name ? { path: trimmed, name } : { path: trimmed });
    } catch (error) {
      return describeError(error);
    }

    await get().loadProjects();

    return null;
  },
});
