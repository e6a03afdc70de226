/**
 * Keyboard and focus behaviour shared by the inline forms (the notification features' comment
 * forms, ../notify/ui): focus moves into a form when it opens, and Escape cancels it; and the
 * widget's own way to focus an element once it is rendered (focusIn).
 */
import { useEffect, useRef } from 'preact/hooks';

/** Focuses the first element in the container that matches the selector, if there is one. */
export function focusIn(container: HTMLElement | null, selector: string): void {
  const element = container && container.querySelector<HTMLElement>(selector);
  if (element) element.focus();
}

/** A ref for a form or panel whose first element matching the selector is focused on mount. */
export function useInitialFocus<Element extends HTMLElement>(selector: string, enabled = true) {
  const container = useRef<Element>(null);
  useEffect(() => {
    if (enabled) focusIn(container.current, selector);
  }, []);
  return container;
}

export const cancelOnEscape = (cancel: (() => void) | undefined) => (event: KeyboardEvent) => {
  if (event.key === 'Escape' && cancel) cancel();
};
