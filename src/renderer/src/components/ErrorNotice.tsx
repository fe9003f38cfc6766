import { isRetryableCode, type ShownError } from '../messages';

/**
 * Shows a failed load, in the words of `describeError`. The "Try again" button
 * appears only when `onRetry` is given and the error code is one a retry can fix
 * (network failure, 5xx, TEMPORARILY_UNAVAILABLE, REQUEST_LIMIT_EXCEEDED).
 */
export function ErrorNotice({ error, onRetry }: { error: ShownError; onRetry?: () => void }) {
  const showRetry = onRetry !== undefined && isRetryableCode(error.code);

  return (
    <div className="error-notice" role="alert" data-testid="error-notice">
      <span>{error.message}</span>
      {showRetry ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
