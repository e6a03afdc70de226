/**
 * Above the comments: what the widget says of a linked comment (the one the page's address names,
 * or one opened from the bell). When its discussion had to be fetched and pinned at the top of the
 * list (see ../linked.ts), a note says so, with "Show the whole discussion"; a comment the reader
 * may not see (removed, or another story's) is said to be unavailable. Following a link also
 * marks the reader's notifications about that comment read.
 */
import { useEffect } from 'preact/hooks';
import { useStoreValue } from '../../state/use-store-value.js';
import { LINKED } from '../linked.js';
import { useNotify } from '../shared.js';
import { ErrorText, useTask } from './common.js';

export function LinkedNotice() {
  const { t, host, linked, inbox } = useNotify();
  const state = useStoreValue(linked, LINKED, () => linked.state);
  const whole = useTask();

  useEffect(() => {
    const follow = () => {
      const id = linked.followHash();
      if (id && host.session.user) inbox.landed(id).catch(() => undefined);
    };
    follow();
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);

  if (!state) return null;
  if (state.status === 'gone' || state.status === 'failed') {
    return (
      <p class="note" role="status">
        {state.status === 'gone' ? t.linkedGone : host.t.unknownError}
      </p>
    );
  }
  if (state.status !== 'shown' || state.pinned.length === 0) return null;
  return (
    <div class="panel linked">
      <p>{t.linkedNotice}</p>
      <ErrorText message={whole.error} />
      <div class="buttons">
        <button
          type="button"
          class="secondary"
          aria-disabled={whole.busy || undefined}
          onClick={() => whole.run(() => linked.showWhole())}
        >
          {t.showWhole}
        </button>
      </div>
    </div>
  );
}
