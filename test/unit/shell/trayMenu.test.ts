import { describe, expect, it, vi } from 'vitest';

import { buildStatusLine, buildTrayMenuTemplate, buildTrayTitle, type TrayState } from '../../../src/main/shell/trayMenu';

function state(overrides: Partial<TrayState> = {}): TrayState {
  return { activeRuns: 0, recentRuns: [], error: null, ...overrides };
}

function actions() {
  return { openDashboard: vi.fn(), openRun: vi.fn(), quit: vi.fn() };
}

describe('buildTrayTitle', () => {
  it('is empty with no active runs', () => {
    expect(buildTrayTitle(state({ activeRuns: 0 }))).toBe('');
  });

  it('is empty before the first read', () => {
    expect(buildTrayTitle(state({ activeRuns: null }))).toBe('');
  });

  it('shows the count of active runs', () => {
    expect(buildTrayTitle(state({ activeRuns: 3 }))).toBe('3');
  });

  it('joins non-empty parts in order', () => {
    const parts = [() => '2', () => null, () => '', () => '41°C'];

    expect(buildTrayTitle(state(), parts)).toBe('2  41°C');
  });
});

describe('buildTrayMenuTemplate', () => {
  const runs = Array.from({ length: 7 }, (_, index) => ({ runId: `run${index}abcdef0123`, runName: index === 1 ? '' : `lr-${index}`, status: index === 0 ? 'RUNNING' : 'FAILED' }));

  it('starts with a disabled status line', () => {
    const [first] = buildTrayMenuTemplate(state({ activeRuns: 2 }), actions());

    expect(first?.label).toBe('Hub running: 2 active runs');
    expect(first?.enabled).toBe(false);
  });

  it('lists at most five recent runs with status', () => {
    const template = buildTrayMenuTemplate(state({ recentRuns: runs }), actions());
    const runItems = template.filter((item) => item.click && item.label?.includes(':'));

    expect(runItems.map((item) => item.label)).toEqual(['▶ lr-0: running', '✗ run1abcd: failed', '✗ lr-2: failed', '✗ lr-3: failed', '✗ lr-4: failed']);
  });

  it('opens the clicked run', () => {
    const callbacks = actions();
    const template = buildTrayMenuTemplate(state({ recentRuns: runs }), callbacks);

    template.find((item) => item.label === '✗ lr-2: failed')?.click?.({} as never, undefined, {} as never);

    expect(callbacks.openRun).toHaveBeenCalledWith('run2abcdef0123');
  });

  it('says so when there are no runs', () => {
    const labels = buildTrayMenuTemplate(state(), actions()).map((item) => item.label);

    expect(labels).toContain('No runs yet');
  });

  it('ends with open dashboard and quit', () => {
    const callbacks = actions();
    const template = buildTrayMenuTemplate(state(), callbacks);
    const openItem = template.find((item) => item.label === 'Open Dashboard');
    const quitItem = template.at(-1);

    openItem?.click?.({} as never, undefined, {} as never);
    quitItem?.click?.({} as never, undefined, {} as never);

    expect(quitItem?.label).toBe('Quit MLOps Hub');
    expect(callbacks.openDashboard).toHaveBeenCalledTimes(1);
    expect(callbacks.quit).toHaveBeenCalledTimes(1);
  });
});

describe('buildStatusLine', () => {
  it.each([
    [state({ activeRuns: null }), 'Hub starting…'],
    [state({ activeRuns: 0 }), 'Hub running: no active runs'],
    [state({ activeRuns: 1 }), 'Hub running: 1 active run'],
    [state({ activeRuns: null, error: 'database is locked' }), 'Hub error: database is locked'],
  ])('describes %o', (input, expected) => {
    expect(buildStatusLine(input)).toBe(expected);
  });
});
