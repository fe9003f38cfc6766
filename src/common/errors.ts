/**
 * Error codes shared by the hub API and the MLflow-compatible API. The names
 * and HTTP statuses are MLflow's (`mlflow/exceptions.py`, ERROR_CODE_TO_HTTP_STATUS),
 * so an MLflow client reacts to them as it would to a real tracking server.
 */
export const errorStatus = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  INVALID_STATE: 400,
  MALFORMED_REQUEST: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  RESOURCE_ALREADY_EXISTS: 400,
  RESOURCE_CONFLICT: 409,
  REQUEST_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** An expected failure with a code that maps to an HTTP status; the message says what to do. */
export class HubError extends Error {
  override readonly name = 'HubError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

/** Error body on the wire, the same shape as MLflow's: `{"error_code": ..., "message": ...}`. */
export interface ErrorBody {
  error_code: ErrorCode;
  message: string;
}

export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof HubError) return { error_code: error.code, message: error.message };

  return { error_code: 'INTERNAL_ERROR', message: 'Internal error: see the hub log for details.' };
}
