/**
 * The submit and cancel buttons that end the comment forms.
 */
import { useNotify } from '../shared.js';

interface FormButtonsProps {
  readonly submitLabel: string;
  readonly busy: boolean;
  readonly onCancel?: (() => void) | undefined;
}

export function FormButtons({ submitLabel, busy, onCancel }: FormButtonsProps) {
  const { t } = useNotify();
  return (
    <div class="buttons">
      <button type="submit" class="primary" part="button primary" aria-disabled={busy || undefined}>
        {submitLabel}
      </button>
      {onCancel && (
        <button type="button" part="button" data-cancel onClick={onCancel}>
          {t.cancel}
        </button>
      )}
    </div>
  );
}
