import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App';
import { StoreContext } from './hooks';
import { syncViewWithLocation } from './navigation';
import { createHubStore, type HubStore } from './store';
import { createTransport } from './transport/createTransport';
import { TokenScreen } from './views/TokenScreen';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');

// The store is created later than the transport, so an early 401 is remembered here.
let hub: HubStore | null = null;
let rejectedEarly = false;
const transport = createTransport(() => {
  if (hub) hub.store.getState().setUnauthenticated();
  else rejectedEarly = true;
});

const root = createRoot(container);
if (!transport) {
  root.render(<TokenScreen rejected={false} />);
} else {
  hub = createHubStore(transport);
  if (rejectedEarly) hub.store.getState().setUnauthenticated();
  const store = hub.store;
  // A click on a run notification in the menu-bar app opens that run here.
  window.mlopsHub?.onShowRun((runId) => store.getState().openRun(runId));
  syncViewWithLocation(store, window);
  root.render(
    <StrictMode>
      <StoreContext.Provider value={hub.store}>
        <App />
      </StoreContext.Provider>
    </StrictMode>,
  );
}
