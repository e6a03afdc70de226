/**
 * The fields of a notice of illegal content (Digital Services Act, Article 16; docs/dsa.md),
 * shown inside the report form once "Illegal" is chosen (its Slot sits in the form, so these
 * inputs are the form's own and its submit sends them): the legal ground and an explanation
 * (required), the notifier's name and address (optional), and the statement of good faith.
 */
import { useId } from 'preact/hooks';
import { useNotify } from '../shared.js';

/** The server's bounds (src/services/appeals.ts), so the browser stops an oversize field first. */
const MAX = { legalGround: 300, explanation: 5000, name: 100, email: 254 };

export function IllegalNotice() {
  const { t } = useNotify();
  const id = useId();
  return (
    <fieldset class="notice">
      <legend>{t.noticeLegend}</legend>
      <p class="hint">{t.noticeHint}</p>
      <label class="label" for={`${id}g`}>
        {t.legalGround}
      </label>
      <input
        id={`${id}g`}
        name="legalGround"
        required
        maxLength={MAX.legalGround}
        dir="auto"
        placeholder={t.legalGroundExample}
      />
      <label class="label" for={`${id}e`}>
        {t.explanation}
      </label>
      <textarea
        id={`${id}e`}
        name="explanation"
        required
        maxLength={MAX.explanation}
        rows={3}
        dir="auto"
      />
      <label class="label" for={`${id}n`}>
        {t.notifierName}
      </label>
      <input
        id={`${id}n`}
        name="reporterName"
        maxLength={MAX.name}
        dir="auto"
        autoComplete="name"
      />
      <label class="label" for={`${id}m`}>
        {t.notifierEmail}
      </label>
      <input
        id={`${id}m`}
        name="reporterEmail"
        type="email"
        maxLength={MAX.email}
        autoComplete="email"
      />
      <label class="choice">
        <input type="checkbox" name="goodFaith" required />
        {t.goodFaith}
      </label>
    </fieldset>
  );
}
