/**
 * A comment in the tree: its article, then the replies shown under it and the button that loads
 * the rest. Each item subscribes to its own comment, so a change re-renders that item only.
 */
import { useStoreValue } from '../state/use-store-value.js';
import { CommentArticle } from './CommentArticle.js';
import { ErrorAlert } from './ErrorAlert.js';
import { memo } from './memo.js';
import { useRevealMore } from './use-reveal-more.js';
import { useWidget } from './widget-context.js';

export const CommentItem = memo(function CommentItem({ id }: { id: string }) {
  const { store } = useWidget();
  const entry = useStoreValue(store, id, () => store.entry(id));
  if (!entry) return null;
  const { comment, childIds, repliesCursor } = entry;
  return (
    <li>
      <CommentArticle comment={comment} />
      {(childIds.length > 0 || repliesCursor !== null) && (
        <Replies
          parentId={id}
          childIds={childIds}
          hasMore={repliesCursor !== null}
          remaining={comment.replyCount - childIds.length}
        />
      )}
    </li>
  );
});

interface RepliesProps {
  readonly parentId: string;
  readonly childIds: readonly string[];
  readonly hasMore: boolean;
  readonly remaining: number;
}

function Replies({ parentId, childIds, hasMore, remaining }: RepliesProps) {
  const { t, thread } = useWidget();
  const { busy, error, reveal } = useRevealMore(() => thread.loadReplies(parentId));

  return (
    <div class="replies" part="replies">
      {childIds.length > 0 && (
        <ol>
          {childIds.map((childId) => (
            <CommentItem key={childId} id={childId} />
          ))}
        </ol>
      )}
      <ErrorAlert message={error} />
      {hasMore && (
        <button type="button" class="link" aria-disabled={busy || undefined} onClick={reveal}>
          {t.showMoreReplies(remaining)}
        </button>
      )}
    </div>
  );
}
