/**
 * Fixed settings of the local API. The default port is documented in the
 * README so that bookmarks and `MLFLOW_TRACKING_URI` values keep working.
 */
export const defaultPort = 5180;

/** The only address the TCP listener binds; the hub never listens beyond loopback. */
export const loopbackHost = '127.0.0.1';

/** Largest request body accepted, in bytes (32 MiB); larger bodies get HTTP 413. */
export const maxRequestBodyBytes = 32 * 1024 * 1024;

/** Interval between SSE heartbeat comments, in milliseconds, so proxies and browsers keep the stream open. */
export const sseHeartbeatIntervalMs = 15_000;

/** Hub version reported by `hub:status`. */
export const hubVersion = '0.1.0';
