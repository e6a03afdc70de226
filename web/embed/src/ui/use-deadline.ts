/**
 * useBeforeDeadline(): whether an ISO time is still in the future, re-rendering the component
 * when it passes (used for the edit window of the viewer's own comments).
 */
import { useEffect, useState } from 'preact/hooks';

const LONGEST_TIMEOUT_MS = 2_147_483_647;

export function useBeforeDeadline(deadline: string | null): boolean {
  const [, setExpired] = useState(false);
  const remaining = deadline ? Date.parse(deadline) - Date.now() : 0;

  useEffect(() => {
    if (remaining <= 0 || remaining > LONGEST_TIMEOUT_MS) return undefined;
    const timer = setTimeout(() => setExpired(true), remaining);
    return () => clearTimeout(timer);
  }, [deadline]);

  return remaining > 0;
}
