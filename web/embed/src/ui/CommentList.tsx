/**
 * The top-level comments of the story (or its featured ones) and the "Load more comments" button,
 * the panel of the tabs when there are tabs. It re-renders only when the list itself changes; each
 * comment updates on its own.
 */
import { ROOT } from '../state/thread-store.js';
import { useStoreValue } from '../state/use-store-value.js';
import { CommentItem } from './CommentItem.js';
import { ErrorAlert } from './ErrorAlert.js';
import { memo } from './memo.js';
import { useRevealMore } from './use-reveal-more.js';
import { useWidget } from './widget-context.js';

export const CommentList = memo(function CommentList() {
  const { t, store, thread } = useWidget();
  const root = useStoreValue(store, ROOT, () => store.root);
  const { busy, error, reveal } = useRevealMore(thread.loadMore);

  // The panel of the tabs, when there are tabs (labelled by the selected one).
  const tabbed = root.featured > 0 || root.sort === 'featured';
  return (
    <div id="list" role={tabbed ? 'tabpanel' : undefined} aria-labelledby="tab-1">
      {root.ids.length === 0 ? (
        <p class="note">{t.noComments}</p>
      ) : (
        <ol class="thread">
          {root.ids.map((id) => (
            <CommentItem key={id} id={id} />
          ))}
        </ol>
      )}
      <ErrorAlert message={error} />
      {root.nextCursor && (
        <button type="button" class="more" aria-disabled={busy || undefined} onClick={reveal}>
          {t.loadMore}
        </button>
      )}
    </div>
  );
});
