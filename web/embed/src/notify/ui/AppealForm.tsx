/**
 * "Appeal this decision", under the author's own rejected comment (its Slot sits beside the
 * moderator's reasons; the comment is the one whose article holds it): a text, sent once. A
 * moderator who did not take the decision reviews it, and the outcome arrives as a notification
 * (docs/dsa.md). A second appeal of the same decision is refused by the server, whose words the
 * form shows.
 */
import { useId, useState } from 'preact/hooks';
import { useNotify } from '../shared.js';
import { ErrorText, useTask } from './common.js';

/** The server's bound on an appeal's text (src/services/appeals.ts). */
const MAX_TEXT = 5000;

export function AppealForm({ slot }: { slot: HTMLElement }) {
  const { t, host } = useNotify();
  const [state, setState] = useState<'closed' | 'open' | 'sent'>('closed');
  const send = useTask();
  const id = useId();
  const article = slot.closest('[data-comment-id]');
  const commentId = (article && article.getAttribute('data-comment-id')) || '';

  if (state === 'sent') {
    return (
      <p class="hint" role="status">
        {t.appealSent}
      </p>
    );
  }
  if (state === 'closed') {
    return (
      <button type="button" class="link appeal" onClick={() => setState('open')}>
        {t.appeal}
      </button>
    );
  }
  const submit = (event: Event) => {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget as HTMLFormElement).get('text') || '');
    void send
      .run(() =>
        host.api.call('POST', `/comments/${encodeURIComponent(commentId)}/appeal`, { text }),
      )
      .then((sent) => {
        if (sent) {
          setState('sent');
          host.announcer.announce(t.appealSent);
        }
      });
  };
  return (
    <form class="form panel appeal" onSubmit={submit}>
      <label class="label" for={id}>
        {t.appealLabel}
      </label>
      <p class="hint">{t.appealHint}</p>
      <textarea id={id} name="text" required maxLength={MAX_TEXT} rows={3} dir="auto" autoFocus />
      <ErrorText message={send.error} />
      <div class="buttons">
        <button type="submit" class="primary" aria-disabled={send.busy || undefined}>
          {t.appealSend}
        </button>
        <button type="button" onClick={() => setState('closed')}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}
