/**
 * Keyboard and focus behaviour shared by the inline forms: focus moves into a form when it
 * opens, and Escape cancels it.
 */
import { useEffect, useRef } from 'preact/hooks';

/** A ref for a form or panel whose first element matching the selector is focused on mount. */
export function useInitialFocus<Element extends HTMLElement>(selector: string, enabled = true) {
  const container = useRef<Element>(null);
  useEffect(() => {
    if (enabled) container.current?.querySelector<HTMLElement>(selector)?.focus();
  }, []);
  return container;
}

export const cancelOnEscape = (cancel: (() => void) | undefined) => (event: KeyboardEvent) => {
  if (event.key === 'Escape') cancel?.();
};
