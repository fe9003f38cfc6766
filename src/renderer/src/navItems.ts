import type { ComponentType } from 'react';

import { CompareView } from './views/CompareView';
import { ExperimentsView } from './views/ExperimentsView';
import { ProjectsView } from './views/ProjectsView';
import { RunDetailView } from './views/RunDetailView';
import { RunsView } from './views/RunsView';

/** One entry of the left navigation. */
export interface NavItem {
  id: string;
  label: string;
  view: ComponentType;
}

/** The left navigation, top to bottom. A new view is one more line here. */
export const navItems: NavItem[] = [
  { id: 'projects', label: 'Projects', view: ProjectsView },
  { id: 'experiments', label: 'Experiments', view: ExperimentsView },
  { id: 'runs', label: 'Runs', view: RunsView },
  { id: 'compare', label: 'Compare', view: CompareView },
];

/** Views reached from inside another view, not listed in the navigation. */
export const innerViews: Record<string, ComponentType> = {
  run: RunDetailView,
};
