/** Priority class of a lease request; `high` is served before `normal`, `normal` before `low`. */
export type Priority = 'high' | 'normal' | 'low';

export const priorities: readonly Priority[] = ['high', 'normal', 'low'];

const baseRank: Record<Priority, number> = { low: 0, normal: 1, high: 2 };

/**
 * Rank of requests that have aged past every class. Among them the oldest goes
 * first and a blocked one holds back everything behind it, which bounds any
 * request's wait (see `maxRankWaitMs`).
 */
export const agedRank = 3;

/**
 * Effective rank of a request that has waited `waitedMs`: its class (low 0,
 * normal 1, high 2) plus one for every full `agingMs` of waiting, capped at
 * `agedRank`. A low request therefore outranks a fresh high one after
 * 3 x `agingMs`.
 */
export function effectiveRank(priority: Priority, waitedMs: number, agingMs: number): number {
  const steps = agingMs > 0 ? Math.floor(Math.max(0, waitedMs) / agingMs) : 0;

  return Math.min(agedRank, baseRank[priority] + steps);
}

export function rankOf(priority: Priority): number {
  return baseRank[priority];
}

/** Longest time a request of `priority` can wait before it reaches `agedRank`, in milliseconds. */
export function maxRankWaitMs(priority: Priority, agingMs: number): number {
  return (agedRank - baseRank[priority]) * agingMs;
}

export function describeRank(rank: number): string {
  if (rank >= agedRank) return 'aged';

  return priorities.find((priority) => baseRank[priority] === rank) ?? 'low';
}
