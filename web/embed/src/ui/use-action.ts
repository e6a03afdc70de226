/**
 * Runs one user-triggered request at a time and keeps its busy flag and error message, so every
 * form and button shows failures the same way.
 */
import { useRef, useState } from 'preact/hooks';
import { ApiError, EMAIL_NOT_VERIFIED, NETWORK_ERROR, WARNED } from '../api/client.js';
import type { Messages } from '../i18n.js';
import { POPUP_BLOCKED } from '../state/sign-in.js';
import { useWidget } from './widget-context.js';

export interface Action {
  readonly busy: boolean;
  readonly error: string | null;
  /** Resolves to true when the task succeeded. */
  readonly run: (task: () => Promise<unknown>) => Promise<boolean>;
}

export function useAction(): Action {
  const { t } = useWidget();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = useRef(false);

  const run = async (task: () => Promise<unknown>): Promise<boolean> => {
    if (running.current) return false;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await task();
      return true;
    } catch (failure) {
      setError(describeError(failure, t));
      return false;
    } finally {
      running.current = false;
      setBusy(false);
    }
  };

  return { busy, error, run };
}

export function describeError(failure: unknown, t: Messages): string {
  if (!(failure instanceof ApiError)) return t.unknownError;
  if (failure.code === NETWORK_ERROR) return t.networkError;
  if (failure.code === POPUP_BLOCKED) return t.popupBlocked;
  // The form shows these itself: the warning with the button that acknowledges it, the request
  // to confirm the address with the button that mails the link again.
  if (failure.code === WARNED || failure.code === EMAIL_NOT_VERIFIED) return '';
  return failure.message || t.unknownError;
}
