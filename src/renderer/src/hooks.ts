import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';

import type { HubState } from './store';

export const StoreContext = createContext<StoreApi<HubState> | null>(null);

/** Reads from the dashboard store; the component re-renders when the selected value changes identity. */
export function useHub<T>(selector: (state: HubState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useHub() needs a StoreContext provider above it.');

  return useStore(store, selector);
}
