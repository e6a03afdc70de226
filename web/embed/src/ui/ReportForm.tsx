/**
 * Asks why a comment is being reported (one of the API's reasons) and for an optional note. A
 * report of illegal content is a notice (docs/dsa.md): its fields (legal ground, explanation,
 * notifier, good faith) are the notification features' (Slot "illegal-notice"), which every
 * signed-in reader loads, so embed.js does not carry them; the form sends whatever they hold.
 */
import { useId, useState } from 'preact/hooks';
import { REPORT_REASONS } from '../api/types.js';
import type { NoticeFields, ReportReason } from '../api/types.js';
import { Slot } from './Slot.js';
import { ErrorAlert } from './ErrorAlert.js';
import { FormButtons } from './FormButtons.js';
import { cancelOnEscape, useInitialFocus } from './form-behaviour.js';
import { useAction } from './use-action.js';
import { useWidget } from './widget-context.js';

interface ReportFormProps {
  readonly onSubmit: (reason: ReportReason, note: string, notice?: NoticeFields) => Promise<void>;
  readonly onCancel: () => void;
}

export function ReportForm({ onSubmit, onCancel }: ReportFormProps) {
  const { t } = useWidget();
  const { busy, error, run } = useAction();
  const form = useInitialFocus<HTMLFormElement>('input');
  const noteId = useId();
  const [chosen, setChosen] = useState('');

  const submit = (event: Event) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget as HTMLFormElement);
    const reason = REPORT_REASONS.find((known) => known === fields.get('reason'));
    const notice: Record<string, string | boolean> = {};
    if (reason === 'illegal') {
      for (const [name, value] of fields) {
        if (name !== 'reason' && name !== 'note') notice[name] = value === 'on' || String(value);
      }
    }
    if (reason) void run(() => onSubmit(reason, String(fields.get('note') || ''), notice));
  };

  return (
    <form
      ref={form}
      class="form panel"
      part="form panel"
      onSubmit={submit}
      onKeyDown={cancelOnEscape(onCancel)}
    >
      <fieldset onChange={(event) => setChosen((event.target as HTMLInputElement).value)}>
        <legend>{t.reportLegend}</legend>
        {REPORT_REASONS.map((reason) => (
          <label key={reason} class="choice">
            <input type="radio" name="reason" value={reason} required />
            {t.reasons[reason]}
          </label>
        ))}
      </fieldset>
      {chosen === 'illegal' && <Slot name="illegal-notice" />}
      <label class="label" for={noteId}>
        {t.reportNote}
      </label>
      <textarea id={noteId} part="textarea" name="note" rows={2} dir="auto" />
      <ErrorAlert message={error} />
      <FormButtons submitLabel={t.sendReport} busy={busy} onCancel={onCancel} />
    </form>
  );
}
