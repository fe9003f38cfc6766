import { invalid } from './validation';

/**
 * Page tokens are opaque to clients: base64url of `{"offset": N}`, the same
 * idea as MLflow's own stores. Clients must not parse them.
 */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

/** Returns the offset of a page token; a missing or empty token is offset 0. */
export function decodePageToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;

  let offset: unknown;
  try {
    offset = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown }).offset;
  } catch {
    offset = undefined;
  }
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw invalid(`Invalid page token '${token.slice(0, 60)}': pass the next_page_token of the previous response unchanged.`);
  }

  return offset;
}

/** Validates a page size: `max_results` must lie in 1..max. */
export function validateMaxResults(value: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw invalid(`Invalid value ${value} for parameter 'max_results': it must be at least 1 and at most ${max}.`);
  }
}
