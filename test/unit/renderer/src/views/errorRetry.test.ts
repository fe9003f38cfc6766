import { createElement, type FunctionComponent } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { StoreContext } from '../../../../../src/renderer/src/hooks';
import type { ShownError } from '../../../../../src/renderer/src/messages';
import { createHubStore } from '../../../../../src/renderer/src/store';
import type { HubState } from '../../../../../src/renderer/src/store/types';
import { ExperimentsView } from '../../../../../src/renderer/src/views/ExperimentsView';
import { HardwareView } from '../../../../../src/renderer/src/views/HardwareView';
import { LeasesView } from '../../../../../src/renderer/src/views/LeasesView';
import { ProjectsView } from '../../../../../src/renderer/src/views/ProjectsView';
import { ServicesView } from '../../../../../src/renderer/src/views/ServicesView';
import { createFakeTransport } from '../store/fakeTransport';

const failedViews: { name: string; view: FunctionComponent; state: (error: ShownError) => Partial<HubState> }[] = [
  { name: 'ProjectsView', view: ProjectsView, state: (error) => ({ projectsStatus: 'error', projectsError: error }) },
  { name: 'ExperimentsView', view: ExperimentsView, state: (error) => ({ experimentsStatus: 'error', experimentsError: error }) },
  { name: 'ServicesView', view: ServicesView, state: (error) => ({ servicesStatus: 'error', servicesError: error }) },
  { name: 'LeasesView', view: LeasesView, state: (error) => ({ leasesStatus: 'error', leasesError: error }) },
  { name: 'HardwareView', view: HardwareView, state: (error) => ({ hardwareState: 'error', hardwareError: error }) },
];

function renderWithError(view: FunctionComponent, state: Partial<HubState>): string {
  const { store, dispose } = createHubStore(createFakeTransport({}).transport);
  store.setState(state);
  // AddProjectForm in ProjectsView reads the preload bridge from window, which the Node test run lacks.
  vi.stubGlobal('window', {});
  // Server rendering reads zustand's initial state, so the snapshot is the state set above.
  const snapshot = { ...store, getInitialState: store.getState };
  const html = renderToStaticMarkup(createElement(StoreContext.Provider, { value: snapshot }, createElement(view)));
  dispose();

  return html;
}

describe('ErrorNotice', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  for (const { name, view, state } of failedViews) {
    it(`hides the retry in ${name} for a 4xx error`, () => {
      const html = renderWithError(view, state({ message: 'Project demo not found.', code: 'RESOURCE_DOES_NOT_EXIST' }));

      expect(html).toContain('Project demo not found.');
      expect(html).not.toContain('Try again');
    });

    it(`offers a retry in ${name} for a network error`, () => {
      const html = renderWithError(view, state({ message: 'The dashboard cannot reach the hub.', code: 'NETWORK_ERROR' }));

      expect(html).toContain('Try again');
    });
  }
});
