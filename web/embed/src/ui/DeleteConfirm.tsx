/**
 * Inline confirmation before deleting the viewer's own comment. Focus starts on Cancel, the
 * harmless choice.
 */
import { useId } from 'preact/hooks';
import { ErrorAlert } from './ErrorAlert.js';
import { cancelOnEscape, useInitialFocus } from './form-behaviour.js';
import { useAction } from './use-action.js';
import { useWidget } from './widget-context.js';

interface DeleteConfirmProps {
  readonly onConfirm: () => Promise<void>;
  readonly onCancel: () => void;
}

export function DeleteConfirm({ onConfirm, onCancel }: DeleteConfirmProps) {
  const { t } = useWidget();
  const { busy, error, run } = useAction();
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
      <ErrorAlert message={error} />
      <div class="buttons">
        <button
          type="button"
          class="primary"
          aria-disabled={busy || undefined}
          onClick={() => run(onConfirm)}
        >
          {t.delete}
        </button>
        <button type="button" data-cancel onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </div>
  );
}
