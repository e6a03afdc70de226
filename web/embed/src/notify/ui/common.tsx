/**
 * What the notification features' components share: one request at a time with its busy flag and
 * error (as the widget's own forms do, ui/use-action.ts), and moving focus within the widget.
 */
import { useRef, useState } from 'preact/hooks';
import { useNotify } from '../shared.js';
import { errorText } from '../words.js';

export interface Task {
  readonly busy: boolean;
  readonly error: string | null;
  /** Resolves to true when the task succeeded. */
  readonly run: (task: () => Promise<unknown>) => Promise<boolean>;
}

export function useTask(): Task {
  const { host } = useNotify();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = useRef(false);
  const run = async (task: () => Promise<unknown>) => {
    if (running.current) return false;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await task();
      return true;
    } catch (failure) {
      setError(errorText(failure, host.t));
      return false;
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return { busy, error, run };
}

export function ErrorText({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p class="error" part="error" role="alert">
      {message}
    </p>
  );
}

/** Focuses the first element of the widget matching the selector, once the render is done. */
export function focusLater(root: ParentNode, selector: string): void {
  setTimeout(() => root.querySelector<HTMLElement>(selector)?.focus(), 0);
}
