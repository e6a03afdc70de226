/**
 * The loaded widget: heading with the comment count, account bar, composer, sort order and
 * the comments, kept up to date by live updates while it is shown.
 */
import { useEffect, useRef } from 'preact/hooks';
import { NEW, STORY } from '../state/thread-store.js';
import { useStoreValue } from '../state/use-store-value.js';
import { AuthPanel } from './AuthPanel.js';
import { CommentList } from './CommentList.js';
import { Composer } from './Composer.js';
import { Slot } from './Slot.js';
import { SortSelect } from './SortSelect.js';
import { useWidget } from './widget-context.js';

export function Thread() {
  const { t, live, announcer, store, features } = useWidget();
  const section = useRef<HTMLElement>(null);
  // A Q&A story (docs/qa.md) shows its questions through the features' module, for every reader;
  // until it is there (or if it cannot load), the questions as a plain thread.
  const qa = useStoreValue(store, STORY, () => store.story!.mode === 'qa');
  if (qa) features.load();
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
      {qa ? (
        <Slot name="qa" props={QA_PROPS}>
          <CommentList />
        </Slot>
      ) : (
        <>
          <Composer />
          <SortSelect />
          <CommentList />
        </>
      )}
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

/** The thread store's keys the Q&A feature follows (notify/qa/Qa.tsx). */
const QA_PROPS = { story: STORY, fresh: NEW };
