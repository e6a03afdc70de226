/**
 * The loaded widget: heading with the comment count, account bar, composer, sort order and
 * the comments, kept up to date by live updates while it is shown.
 */
import { useEffect, useRef } from 'preact/hooks';
import { STORY } from '../state/thread-store.js';
import { useStoreValue } from '../state/use-store-value.js';
import { AuthPanel } from './AuthPanel.js';
import { CommentList } from './CommentList.js';
import { Composer } from './Composer.js';
import { SortSelect } from './SortSelect.js';
import { useWidget } from './widget-context.js';

export function Thread() {
  const { t, live, announcer } = useWidget();
  const section = useRef<HTMLElement>(null);
  useEffect(
    () =>
      live({
        announce: (count) => announcer.announce(t.newComments(count)),
        attached: () => !!section.current && section.current.isConnected,
      }),
    [],
  );
  return (
    <section ref={section} aria-labelledby="heading">
      <CountHeading />
      <AuthPanel />
      <Composer />
      <SortSelect />
      <CommentList />
    </section>
  );
}

function CountHeading() {
  const { t, store } = useWidget();
  const count = useStoreValue(store, STORY, () => store.story!.commentCount);
  return (
    <h2 id="heading" class="heading" part="heading" tabIndex={-1}>
      {t.commentsHeading(count)}
    </h2>
  );
}
