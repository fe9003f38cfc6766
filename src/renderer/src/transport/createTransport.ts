import { createHttpTransport } from './httpTransport';
import type { HubTransport } from './hubTransport';
import { createIpcTransport } from './ipcTransport';
import { forgetDashboardToken, takeDashboardToken } from './token';

/** The transport for where the page runs, or null when a browser tab has no token to log in with. */
export function createTransport(onUnauthenticated: () => void): HubTransport | null {
  if (window.mlopsHub) return createIpcTransport(window.mlopsHub);

  const token = takeDashboardToken(window.location, window.history, window.sessionStorage);
  if (!token) return null;

  return createHttpTransport({
    baseUrl: window.location.origin,
    token,
    onUnauthenticated: () => {
      forgetDashboardToken(window.sessionStorage);
      onUnauthenticated();
    },
  });
}
