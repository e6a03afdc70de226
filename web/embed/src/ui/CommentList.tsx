/**
 * The top-level comments of the story (or its featured ones) and the "Load more comments" button,
 * the panel of the tabs when there are tabs. It re-renders only when the list itself changes; each
 * comment updates on its own. Above them, the "N new comments" button of live updates, and what
 * the notification features say of a linked comment (Slot.tsx).
 */
import { useEffect } from 'preact/hooks';
import { NEW, ROOT } from '../state/thread-store.js';
import { useStoreValue } from '../state/use-store-value.js';
import { CommentItem } from './CommentItem.js';
import { ErrorAlert } from './ErrorAlert.js';
import { memo } from './memo.js';
import { Slot } from './Slot.js';
import { useAction } from './use-action.js';
import { useRevealMore } from './use-reveal-more.js';
import { commentSelector, useWidget } from './widget-context.js';

export const CommentList = memo(function CommentList() {
  const { t, store, thread, features } = useWidget();
  const root = useStoreValue(store, ROOT, () => store.root);
  const { busy, error, reveal } = useRevealMore(thread.loadMore);
  // Readers' views are reported by the features' module (its "views" Slot, docs/sorting.md):
  // loaded for every reader after the first paint, once there are comments to see.
  const some = root.ids.length > 0;
  useEffect(() => void (some && setTimeout(() => features.load(), 500)), [some]);

  // The panel of the tabs, when there are tabs (labelled by the selected one).
  const tabbed = root.featured > 0 || root.sort === 'featured';
  return (
    <div id="list" role={tabbed ? 'tabpanel' : undefined} aria-labelledby="tab-1">
      <Slot name="linked" />
      <Slot name="views" />
      <NewComments />
      {root.ids.length === 0 ? (
        <p class="note">{t.noComments}</p>
      ) : (
        <ol class="thread" part="thread">
          {root.ids.map((id) => (
            <CommentItem key={id} id={id} />
          ))}
        </ol>
      )}
      <ErrorAlert message={error} />
      {root.nextCursor && (
        <button
          type="button"
          class="more"
          part="button"
          aria-disabled={busy || undefined}
          onClick={reveal}
        >
          {t.loadMore}
        </button>
      )}
    </div>
  );
});

/**
 * New comments that came while the reader was reading wait behind this button, which floats over
 * the top of the list (and stays in view while the list scrolls) so that nothing moves. Pressing
 * it shows them, the newest first, and moves focus to the newest.
 */
function NewComments() {
  const { t, store, thread, focus } = useWidget();
  const count = useStoreValue(store, NEW, () => store.newCount);
  const { busy, error, run } = useAction();
  const show = () =>
    void run(async () => {
      let newest: string | undefined;
      if (store.newNeedsReload) {
        await thread.reload();
        newest = store.root.ids[0];
      } else newest = store.revealNew().pop();
      if (newest) focus(commentSelector(newest));
    });
  return (
    <>
      <div class="fresh">
        {count > 0 && (
          <button type="button" aria-disabled={busy || undefined} onClick={show}>
            {t.newComments(count)}
          </button>
        )}
      </div>
      <ErrorAlert message={error} />
    </>
  );
}
