/**
 * Asks why a comment is being reported (one of the API's reasons) and for an optional note.
 */
import { useId } from 'preact/hooks';
import { REPORT_REASONS } from '../api/types.js';
import type { ReportReason } from '../api/types.js';
import { ErrorAlert } from './ErrorAlert.js';
import { FormButtons } from './FormButtons.js';
import { cancelOnEscape, useInitialFocus } from './form-behaviour.js';
import { useAction } from './use-action.js';
import { useWidget } from './widget-context.js';

interface ReportFormProps {
  readonly onSubmit: (reason: ReportReason, note: string) => Promise<void>;
  readonly onCancel: () => void;
}

export function ReportForm({ onSubmit, onCancel }: ReportFormProps) {
  const { t } = useWidget();
  const { busy, error, run } = useAction();
  const form = useInitialFocus<HTMLFormElement>('input');
  const noteId = useId();

  const submit = (event: Event) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget as HTMLFormElement);
    const reason = REPORT_REASONS.find((known) => known === fields.get('reason'));
    if (reason) void run(() => onSubmit(reason, String(fields.get('note') || '')));
  };

  return (
    <form ref={form} class="form panel" onSubmit={submit} onKeyDown={cancelOnEscape(onCancel)}>
      <fieldset>
        <legend>{t.reportLegend}</legend>
        {REPORT_REASONS.map((reason) => (
          <label key={reason} class="choice">
            <input type="radio" name="reason" value={reason} required />
            {t.reasons[reason]}
          </label>
        ))}
      </fieldset>
      <label class="label" for={noteId}>
        {t.reportNote}
      </label>
      <textarea id={noteId} name="note" rows={2} dir="auto" />
      <ErrorAlert message={error} />
      <FormButtons submitLabel={t.sendReport} busy={busy} onCancel={onCancel} />
    </form>
  );
}
