import type { ComponentType } from 'react';

import { CompareView } from './views/CompareView';
import { ExperimentsView } from './views/ExperimentsView';
import { HardwareView } from './views/HardwareView';
import { LeasesView } from './views/LeasesView';
import { ProjectsView } from './views/ProjectsView';
import { RunDetailView } from './views/RunDetailView';
import { RunsView } from './views/RunsView';
import { ServicesView } from './views/ServicesView';

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
  { id: 'services', label: 'Services', view: ServicesView },
  { id: 'hardware', label: 'Hardware', view: HardwareView },
  { id: 'leases', label: 'Leases', view: LeasesView },
];

/** Views reached from inside another view, not listed in the navigation. */
export const innerViews: Record<string, ComponentType> = {
  run: RunDetailView,
};
