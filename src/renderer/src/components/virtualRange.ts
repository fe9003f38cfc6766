/** First row to render and how many, for a fixed-height list scrolled to `scrollTop` (pixels). */
export interface VisibleRange {
  start: number;
  count: number;
}

/**
 * Rows of a virtualized list that intersect the viewport, plus `overscan`
 * rows on each side so that fast scrolling shows no blank gap.
 */
export function computeVisibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan: number): VisibleRange {
  if (rowCount === 0 || rowHeight <= 0) return { start: 0, count: 0 };

  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const start = Math.max(0, Math.min(first, rowCount - 1) - overscan);
  const end = Math.min(rowCount, first + Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1 + overscan);

  return { start, count: Math.max(0, end - start) };
}
