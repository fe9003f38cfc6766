const storageKey = 'mlops-hub.token';

/**
 * Reads the dashboard token once: from `?token=` in the address, which the hub
 * prints, else from this tab's sessionStorage. A token found in the address is
 * moved to sessionStorage and removed from the address bar, so that it does not
 * linger in the history or in a copied link.
 */
export function takeDashboardToken(location: Location, history: History, storage: Storage): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(storageKey, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);

    return fromUrl;
  }

  return storage.getItem(storageKey);
}

/** Forgets a token that the hub rejected, so that a reload shows the login help. */
export function forgetDashboardToken(storage: Storage): void {
  storage.removeItem(storageKey);
}
