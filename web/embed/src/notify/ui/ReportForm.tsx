/**
 * Asks why a comment is being reported (one of the API's reasons) and for an optional note. A
 * report of illegal content is a notice (docs/dsa.md): its fields (legal ground, explanation,
 * notifier, good faith) are added once "Illegal" is chosen (IllegalNotice.tsx), and the form
 * sends whatever they hold.
 */
import { useId, useState } from 'preact/hooks';
import { REPORT_REASONS } from '../../api/types.js';
import type { NoticeFields, ReportReason } from '../../api/types.js';
import { cancelOnEscape, useInitialFocus } from '../../ui/form-behaviour.js';
import { useNotify } from '../shared.js';
import { ErrorText, useTask } from './common.js';
import { FormButtons } from './FormButtons.js';
import { IllegalNotice } from './IllegalNotice.js';

interface ReportFormProps {
  readonly onSubmit: (reason: ReportReason, note: string, notice?: NoticeFields) => Promise<void>;
  readonly onCancel: () => void;
}

export function ReportForm({ onSubmit, onCancel }: ReportFormProps) {
  const { t, host } = useNotify();
  const { busy, error, run } = useTask();
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
        if (name !== 'reason' && name !== 'note')
          notice[name] = name === 'goodFaith' || String(value);
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
            {host.t.reasons[reason]}
          </label>
        ))}
      </fieldset>
      {chosen === 'illegal' && <IllegalNotice />}
      <label class="label" for={noteId}>
        {t.reportNote}
      </label>
      <textarea id={noteId} part="textarea" name="note" rows={2} dir="auto" />
      <ErrorText message={error} />
      <FormButtons submitLabel={t.sendReport} busy={busy} onCancel={onCancel} />
    </form>
  );
}
