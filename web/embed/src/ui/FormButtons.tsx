/**
 * The submit and cancel buttons that end every form of the widget.
 */
import { useWidget } from './widget-context.js';

interface FormButtonsProps {
  readonly submitLabel: string;
  readonly busy: boolean;
  readonly onCancel?: (() => void) | undefined;
}

export function FormButtons({ submitLabel, busy, onCancel }: FormButtonsProps) {
  const { t } = useWidget();
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
