/**
 * Ignoring a reader, in the widget (docs/profiles.md, "Ignore"). Its Slot sits at the end of the
 * actions of another reader's published comment (ui/CommentActions.tsx): for a signed-in reader it
 * offers "Ignore"; once the author is ignored it collapses the comment to "A comment from someone
 * you ignore" with "Show" (the comment's article is marked `data-ignored`, which the features'
 * stylesheet uses to hide all but this control), and a shown comment offers "Hide" and "Stop
 * ignoring". The ignored reader is not told. The list of ignored readers is in the settings panel
 * (IgnoreList) and in the account pages.
 */
import { useLayoutEffect, useState } from 'preact/hooks';
import type { CommentData } from '../../api/types.js';
import { useStoreValue } from '../../state/use-store-value.js';
import { IGNORES, ignoresOf } from '../ignore/store.js';
import { SESSION, useNotify } from '../shared.js';
import { fillText } from '../words.js';

/** The comment whose article holds `slot`, kept up to date. */
function useSlotComment(slot: HTMLElement): {
  comment: CommentData | null;
  article: Element | null;
} {
  const { host } = useNotify();
  const article = slot.closest('[data-comment-id]');
  const id = (article && article.getAttribute('data-comment-id')) || '';
  const entry = useStoreValue(host.store, id, () => host.store.entry(id));
  return { comment: entry ? entry.comment : null, article };
}

export function IgnoreControl({ slot }: { slot: HTMLElement }) {
  const { host, t: words } = useNotify();
  const t = words.ignore;
  const { comment, article } = useSlotComment(slot);
  const ignores = ignoresOf(host);
  const ids = useStoreValue(ignores, IGNORES, () => ignores.ids);
  const user = useStoreValue(host.session, SESSION, () => host.session.user);
  const [shown, setShown] = useState(false);
  const [busy, setBusy] = useState(false);
  const author = comment && comment.author;
  const ignored = !!user && !!author && ids.has(author.id);
  const collapsed = ignored && !shown;

  useLayoutEffect(() => {
    if (!article) return undefined;
    article.toggleAttribute('data-ignored', collapsed);
    return () => article.removeAttribute('data-ignored');
  }, [article, collapsed]);

  if (!user || !author || !comment || comment.viewer.own) return null;
  const name = author.displayName;

  const change = (ignore: boolean) => {
    if (busy) return;
    setBusy(true);
    (ignore ? ignores.ignore(author.id) : ignores.unignore(author.id))
      .then(
        () => {
          setShown(false);
          host.announcer.announce(fillText(ignore ? t.ignored : t.unignored, { name }));
        },
        () => host.announcer.announce(t.failed),
      )
      .finally(() => setBusy(false));
  };

  if (collapsed) {
    return (
      <p class="ignored-note">
        <span>{t.collapsed}</span>{' '}
        <button
          type="button"
          data-action="show-ignored"
          aria-expanded="false"
          onClick={() => setShown(true)}
        >
          {t.show}
        </button>
      </p>
    );
  }
  if (ignored) {
    return (
      <>
        <button
          type="button"
          data-action="hide-ignored"
          aria-expanded="true"
          onClick={() => setShown(false)}
        >
          {t.hide}
        </button>
        <button
          type="button"
          data-action="unignore"
          aria-disabled={busy || undefined}
          onClick={() => change(false)}
        >
          {t.stopIgnoring}
        </button>
      </>
    );
  }
  // Staff cannot be ignored (their replies speak for the site): no button to be refused.
  if (author.role !== 'commenter') return null;
  return (
    <button
      type="button"
      data-action="ignore"
      aria-label={fillText(t.ignoreName, { name })}
      aria-disabled={busy || undefined}
      onClick={() => change(true)}
    >
      {t.ignore}
    </button>
  );
}

/** The readers the reader ignores, each with "Stop ignoring" (in the settings panel). */
export function IgnoreList() {
  const { host, t: words } = useNotify();
  const t = words.ignore;
  const ignores = ignoresOf(host);
  const items = useStoreValue(ignores, IGNORES, () => ignores.items);
  const [error, setError] = useState(false);
  return (
    <section class="ignore-list" aria-labelledby="parley-ignore-list">
      <h4 id="parley-ignore-list">{t.listTitle}</h4>
      {items.length === 0 ? (
        <p>{t.listEmpty}</p>
      ) : (
        <ul>
          {items.map((item) => (
            <li key={item.userId}>
              <bdi>{item.displayName}</bdi>{' '}
              <button
                type="button"
                data-action="unignore"
                aria-label={`${t.stopIgnoring}: ${item.displayName}`}
                onClick={() =>
                  ignores.unignore(item.userId).then(
                    () => {
                      setError(false);
                      host.announcer.announce(fillText(t.unignored, { name: item.displayName }));
                    },
                    () => setError(true),
                  )
                }
              >
                {t.stopIgnoring}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && <p role="alert">{t.failed}</p>}
    </section>
  );
}
