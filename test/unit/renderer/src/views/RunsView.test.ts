import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { StoreContext } from '../../../../../src/renderer/src/hooks';
import { createHubStore } from '../../../../../src/renderer/src/store';
import { RunsView } from '../../../../../src/renderer/src/views/RunsView';
import { createFakeTransport } from '../store/fakeTransport';

function renderRunsWithError(retryable: boolean): string {
  const { store, dispose } = createHubStore(createFakeTransport({}).transport);
  store.setState({ runsStatus: 'error', runsError: { message: 'Invalid filter.', code: retryable ? 'INTERNAL_ERROR' : 'INVALID_PARAMETER_VALUE' }, runsErrorRetryable: retryable });
  // Server rendering reads zustand's initial state, so the snapshot is the state set above.
  const snapshot = { ...store, getInitialState: store.getState };
  const html = renderToStaticMarkup(createElement(StoreContext.Provider, { value: snapshot }, createElement(RunsView)));
  dispose();

  return html;
}

describe('RunsView', () => {
  it('offers no retry for invalid input', () => {
    const html = renderRunsWithError(false);

    expect(html).toContain('Invalid filter.');
    expect(html).not.toContain('Try again');
  });

  it('offers a retry for a hub failure', () => {
    expect(renderRunsWithError(true)).toContain('Try again');
  });
});
