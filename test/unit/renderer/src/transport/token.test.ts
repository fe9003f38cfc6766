import { describe, expect, it } from 'vitest';

import { forgetDashboardToken, takeDashboardToken } from '../../../../../src/renderer/src/transport/token';

/** Minimal Location, History and Storage stand-ins: the unit project runs in Node without a DOM. */
function createBrowserState(href: string) {
  const state = { href, items: new Map<string, string>() };
  const location = { get href() { return state.href; } } as Location;
  const history = {
    state: null,
    replaceState: (_data: unknown, _unused: string, url?: string | URL | null) => {
      state.href = new URL(String(url), state.href).href;
    },
  } as unknown as History;
  const storage = {
    getItem: (key: string) => state.items.get(key) ?? null,
    setItem: (key: string, value: string) => void state.items.set(key, value),
    removeItem: (key: string) => void state.items.delete(key),
  } as Storage;

  return { state, location, history, storage };
}

describe('takeDashboardToken', () => {
  it('moves the token from the address to session storage', () => {
    const browser = createBrowserState('http://127.0.0.1:5180/?token=abc&view=runs#top');

    expect(takeDashboardToken(browser.location, browser.history, browser.storage)).toBe('abc');
    expect(browser.state.href).toBe('http://127.0.0.1:5180/?view=runs#top');
    expect(takeDashboardToken(browser.location, browser.history, browser.storage)).toBe('abc');
  });

  it('returns null when there is no token anywhere', () => {
    const browser = createBrowserState('http://127.0.0.1:5180/');

    expect(takeDashboardToken(browser.location, browser.history, browser.storage)).toBeNull();
  });

  it('forgets a rejected token', () => {
    const browser = createBrowserState('http://127.0.0.1:5180/?token=abc');
    takeDashboardToken(browser.location, browser.history, browser.storage);

    forgetDashboardToken(browser.storage);

    expect(takeDashboardToken(browser.location, browser.history, browser.storage)).toBeNull();
  });
});
