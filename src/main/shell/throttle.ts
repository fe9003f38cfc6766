/** A rate-limited action: `request()` runs it at once, then at most once per interval, never dropping the last request. */
export interface Throttle {
  request(): void;
  dispose(): void;
}

/**
 * Creates a leading and trailing throttle. Requests during the interval
 * collapse into one run at its end, so a burst of hub events costs two
 * rebuilds, and the last state is always shown.
 */
export function createThrottle(action: () => void, intervalMs: number): Throttle {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending = false;

  const runAndWait = (): void => {
    pending = false;
    action();
    timer = setTimeout(() => {
      timer = null;
      if (pending) runAndWait();
    }, intervalMs);
  };

  return {
    request() {
      if (timer) pending = true;
      else runAndWait();
    },
    dispose() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = false;
    },
  };
}
