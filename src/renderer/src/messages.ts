import { HubCallError } from './transport/hubTransport';

/**
 * Sentences shown for failed hub calls: what happened and what to do next.
 * The hub's own message, which names the bad value, comes first and the advice
 * follows it. INVALID_PARAMETER_VALUE gets no advice because the hub's message
 * already names the fix. Stack traces are never shown.
 */
const advice: Record<string, string> = {
  UNAUTHENTICATED: 'The dashboard login token is missing or no longer valid. Open the dashboard URL that `mlops-hub status` prints.',
  PERMISSION_DENIED: 'The hub does not allow this request from the dashboard.',
  RESOURCE_DOES_NOT_EXIST: 'It may have been deleted. Reload the list and try again.',
  RESOURCE_ALREADY_EXISTS: 'Choose another name.',
  INVALID_PARAMETER_VALUE: '',
  INVALID_STATE: 'Reload the page to see the current state, then try again.',
  BAD_REQUEST: 'Correct the request and try again.',
  MALFORMED_REQUEST: 'The dashboard sent a request the hub could not read. Reload the page; if it happens again, update the hub and the dashboard together.',
  ENDPOINT_NOT_FOUND: 'This hub does not offer that feature. Update the hub to the dashboard\'s version.',
  REQUEST_LIMIT_EXCEEDED: 'The hub is busy. Wait a few seconds and try again.',
  TEMPORARILY_UNAVAILABLE: 'Wait a few seconds and try again.',
  NOT_IMPLEMENTED: 'This hub does not implement that feature yet.',
  INTERNAL_ERROR: 'The hub failed to handle the request. Its log has the details; try again, and restart the hub if it keeps failing.',
  NETWORK_ERROR: 'The dashboard cannot reach the hub. Check that `mlops-hub serve` (or the menu-bar app) is still running, then reload this page.',
  INVALID_RESPONSE: 'The hub sent a reply the dashboard could not read. Update the hub and the dashboard together.',
  MISSING_TOKEN: 'Open the dashboard URL that `mlops-hub status` prints; it includes the login token.',
};

/** Turns any failure of a hub call into one or two sentences for the user. */
export function describeError(error: unknown): string {
  if (error instanceof HubCallError) {
    const next = advice[error.code] ?? 'Try again.';
    if (error.code === 'NETWORK_ERROR' || error.code === 'UNAUTHENTICATED' || error.code === 'INVALID_RESPONSE') return next;

    const what = error.message.trim() === '' ? `The hub rejected ${error.method} (${error.code}).` : toSentence(error.message.trim());

    return next === '' ? what : `${what} ${next}`;
  }

  return 'Something went wrong in the dashboard. Reload the page and try again.';
}

/**
 * Error codes of failures after which the same request can succeed: the hub
 * was unreachable, failed (HTTP 5xx), was busy or was briefly unavailable.
 * Every other code is a 4xx response that the same request gets again.
 */
const retryableCodes: ReadonlySet<string> = new Set(['NETWORK_ERROR', 'INTERNAL_ERROR', 'TEMPORARILY_UNAVAILABLE', 'REQUEST_LIMIT_EXCEEDED']);

/** Returns true when sending the same request again can succeed, so "Try again" is worth offering. */
export function isRetryableError(error: unknown): boolean {
  return isRetryableCode(errorCodeOf(error));
}

/** Returns true when a failure with this code (from `errorCodeOf`) can succeed on retry. */
export function isRetryableCode(code: string | null): boolean {
  return code !== null && retryableCodes.has(code);
}

/** Returns the hub's error code of a failed call, or null when the dashboard itself failed. */
export function errorCodeOf(error: unknown): string | null {
  return error instanceof HubCallError ? error.code : null;
}

/** A failed load as a view shows it: the sentence for the user and the error code that decides whether a retry is offered. */
export interface ShownError {
  message: string;
  /** Hub error code such as NETWORK_ERROR, or null when the dashboard itself failed. */
  code: string | null;
}

/** Turns a failed hub call into the sentence from `describeError` plus its error code. */
export function toShownError(error: unknown): ShownError {
  return { message: describeError(error), code: errorCodeOf(error) };
}

/** Returns true when the hub rejected a value of the request, which only the user can fix. */
export function isInvalidInputError(error: unknown): boolean {
  return error instanceof HubCallError && (error.code === 'INVALID_PARAMETER_VALUE' || error.code === 'BAD_REQUEST');
}

/** Returns true when the failure means the dashboard must log in again. */
export function isAuthError(error: unknown): boolean {
  return error instanceof HubCallError && (error.code === 'UNAUTHENTICATED' || error.code === 'MISSING_TOKEN');
}

function toSentence(text: string): string {
  const capitalized = text.charAt(0).toUpperCase() + text.slice(1);

  return /[.!?]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}
