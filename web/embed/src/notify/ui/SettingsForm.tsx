/**
 * The reader's mail settings, in the bell's panel: whether and how often to be emailed (never,
 * straight away, an hourly or a daily digest) and about what. Mail goes to a confirmed address
 * only, which the form says when the address is not confirmed or has bounced. Saved with its
 * button; the server's answer is what the form shows next.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { EMAIL_MODES } from '../../api/types.js';
import type { EmailMode, NotificationKinds } from '../../api/types.js';
import { useStoreValue } from '../../state/use-store-value.js';
import { SETTINGS } from '../settings.js';
import { useNotify } from '../shared.js';
import { ErrorText, useTask } from './common.js';

export const KINDS: readonly (keyof NotificationKinds)[] = [
  'reply',
  'staff',
  'mention',
  'moderation',
  'featured',
];

export function SettingsForm() {
  const { t, settings } = useNotify();
  const value = useStoreValue(settings, SETTINGS, () => settings.value);
  const load = useTask();
  const save = useTask();
  const [email, setEmail] = useState<EmailMode | null>(null);
  const [kinds, setKinds] = useState<NotificationKinds | null>(null);
  const [saved, setSaved] = useState('');
  const noteId = useId();

  useEffect(() => {
    void load.run(() => settings.load(true));
  }, []);
  useEffect(() => {
    if (!value) return;
    setEmail(value.email);
    setKinds(value.kinds);
  }, [value]);

  if (!value || !email || !kinds) {
    return load.error ? <ErrorText message={load.error} /> : <p class="note">{t.loading}</p>;
  }
  const submit = (event: Event) => {
    event.preventDefault();
    setSaved('');
    void save.run(async () => {
      await settings.save({ email, kinds });
      setSaved(t.settingsSaved);
    });
  };
  return (
    <form class="form notify-settings" onSubmit={submit}>
      <fieldset aria-describedby={noteId}>
        <legend>{t.emailLegend}</legend>
        {EMAIL_MODES.map((mode) => (
          <label key={mode} class="choice">
            <input
              type="radio"
              name="email"
              value={mode}
              checked={email === mode}
              onChange={() => {
                setEmail(mode);
                setSaved('');
              }}
            />
            {t.modes[mode]}
          </label>
        ))}
      </fieldset>
      <div id={noteId}>
        {value.bounced ? (
          <p class="error">{t.bounced}</p>
        ) : (
          !value.emailConfirmed && <p class="hint">{t.unconfirmed}</p>
        )}
      </div>
      <fieldset>
        <legend>{t.kindsLegend}</legend>
        {KINDS.map((kind) => (
          <label key={kind} class="choice">
            <input
              type="checkbox"
              name={kind}
              checked={kinds[kind]}
              onChange={(event) => {
                setKinds({ ...kinds, [kind]: event.currentTarget.checked });
                setSaved('');
              }}
            />
            {t.kinds[kind]}
          </label>
        ))}
      </fieldset>
      <p class="hint">{t.listNote}</p>
      <ErrorText message={save.error} />
      <div class="buttons">
        <button type="submit" class="primary" aria-disabled={save.busy || undefined}>
          {t.saveSettings}
        </button>
        <span class="count" role="status">
          {saved}
        </span>
      </div>
    </form>
  );
}
