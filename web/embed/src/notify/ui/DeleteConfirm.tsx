/**
 * Inline confirmation before deleting the viewer's own comment. Focus starts on Cancel, the
 * harmless choice.
 */
import { useId } from 'preact/hooks';
import { cancelOnEscape, useInitialFocus } from '../../ui/form-behaviour.js';
import { useNotify } from '../shared.js';
import { ErrorText, useTask } from './common.js';

interface DeleteConfirmProps {
  readonly onConfirm: () => Promise<void>;
  readonly onCancel: () => void;
}

export function DeleteConfirm({ onConfirm, onCancel }: DeleteConfirmProps) {
  const { t, host } = useNotify();
  const { busy, error, run } = useTask();
  const panel = useInitialFocus<HTMLDivElement>('[data-cancel]');
  const promptId = useId();

  return (
    <div
      ref={panel}
      class="panel"
      role="group"
      aria-labelledby={promptId}
      onKeyDown={cancelOnEscape(onCancel)}
    >
      <p id={promptId}>{t.deletePrompt}</p>
      <ErrorText message={error} />
      <div class="buttons">
        <button
          type="button"
          class="primary"
          aria-disabled={busy || undefined}
          onClick={() => run(onConfirm)}
        >
          {host.t.delete}
        </button>
        <button type="button" data-cancel onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </div>
  );
}
