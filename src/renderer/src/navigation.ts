import type { StoreApi } from 'zustand/vanilla';

import type { HubState } from './store';

/** A place in the dashboard as the address hash spells it: `#/runs`, or `#/run/<runId>` for a run's detail. */
export interface Route {
  view: string;
  runId?: string;
}

const viewPattern = /^[a-z][a-z-]{0,39}$/;
const runIdPattern = /^[\w-]{1,256}$/;

/** Parses `#/<view>` or `#/run/<runId>`; returns null for anything else, which leaves the view as it is. */
export function parseRouteHash(hash: string): Route | null {
  const [view, runId, ...rest] = hash.replace(/^#\/?/, '').split('/');
  if (!view || !viewPattern.test(view) || rest.length > 0) return null;
  if (view === 'run') return runId && runIdPattern.test(runId) ? { view, runId } : null;

  return runId === undefined ? { view } : null;
}

export function formatRouteHash(state: Pick<HubState, 'view' | 'openRunId'>): string {
  return state.view === 'run' && state.openRunId ? `#/run/${state.openRunId}` : `#/${state.view}`;
}

/**
 * Keeps the address hash and the current view in step, so that a reload
 * stays on the same view and the browser's Back button goes to the previous
 * one. Returns the function that stops it.
 */
export function syncViewWithLocation(store: StoreApi<HubState>, target: Window): () => void {
  const applyHash = () => {
    const route = parseRouteHash(target.location.hash);
    if (route?.runId) store.getState().openRun(route.runId);
    else if (route) store.getState().setView(route.view);
  };

  applyHash();
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.view === previous.view && state.openRunId === previous.openRunId) return;

    const hash = formatRouteHash(state);
    if (target.location.hash !== hash) target.history.pushState(null, '', hash);
  });
  target.addEventListener('popstate', applyHash);

  return () => {
    unsubscribe();
    target.removeEventListener('popstate', applyHash);
  };
}
