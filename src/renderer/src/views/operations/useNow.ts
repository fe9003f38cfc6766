import { useEffect, useState } from 'react';

/** Current time in milliseconds since the Unix epoch, updated every `intervalMs`, for uptimes and ages. */
export function useNow(intervalMs = 1000): number {
  const [nowMs, setNowMs] = useState(() => Date.now());

  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), intervalMs);

    return () => clearInterval(timer);
  }, [intervalMs]);

  return nowMs;
}
