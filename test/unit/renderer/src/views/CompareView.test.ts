import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { StoreContext } from '../../../../../src/renderer/src/hooks';
import { createHubStore } from '../../../../../src/renderer/src/store';
import { CompareView } from '../../../../../src/renderer/src/views/CompareView';
import { createFakeTransport } from '../store/fakeTransport';

function renderCompare(): string {
  const { store, dispose } = createHubStore(createFakeTransport({}).transport);
  const html = renderToStaticMarkup(createElement(StoreContext.Provider, { value: store }, createElement(CompareView)));
  dispose();

  return html;
}

describe('CompareView', () => {
  it('frames the empty state as a page', () => {
    const html = renderCompare();

    expect(html).toMatch(/^<section class="view" data-testid="compare-view">/);
    expect(html).toContain('<h1>Compare runs</h1>');
    expect(html).toContain('data-testid="empty-state"');
  });
});
