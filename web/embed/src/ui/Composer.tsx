/**
 * The place of the form for a new top-level comment, shown to a signed-in reader while the story
 * is open. The form is the notification features' (Slot "composer"), which load once a reader is
 * signed in; until it is there, a disabled form of its shape (label, text box, hint, button: no
 * words, which come with the features) holds its room, so the comments do not move when it comes.
 */
import { Session } from '../state/session.js';
import { STORY } from '../state/thread-store.js';
import { useStoreValue } from '../state/use-store-value.js';
import { Slot } from './Slot.js';
import { useWidget } from './widget-context.js';

const BLANK = '\u00a0';

export function Composer() {
  const { t, session, store } = useWidget();
  const user = useStoreValue(session, Session.key, () => session.user);
  const closed = useStoreValue(store, STORY, () => store.story!.closed);

  if (closed) return <p class="note">{t.closed}</p>;
  if (!user) return null;
  return (
    <Slot name="composer">
      <div class="form" aria-hidden="true">
        <span class="label">{BLANK}</span>
        <textarea rows={4} disabled />
        <p class="hint">{BLANK}</p>
        <div class="buttons">
          <button type="button" class="primary" disabled>
            {BLANK}
          </button>
        </div>
      </div>
    </Slot>
  );
}
