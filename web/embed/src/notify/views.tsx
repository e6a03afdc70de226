/**
 * Readers' views, for the Best order (docs/sorting.md): the comments a reader actually saw, each
 * at least half visible for a second, are sent to POST /stories/{id}/views in batches (every two
 * seconds while there are new ones, and as the page goes away), each comment at most once per
 * page load. Nothing identifies the reader: no cookie, no id, no credentials; the server decides
 * what counts once from the address alone. Its Slot ("views") is in the comment list, and the
 * module is loaded for every reader once there are comments (ui/CommentList.tsx).
 */
import { useEffect } from 'preact/hooks';
import { useNotify } from './shared.js';

const VISIBLE_FOR_MS = 1000;
const BATCH_MS = 2000;
const MAX_BATCH = 100;
const ID = /^[0-9A-Z]{26}$/;

/** Ids reported (or waiting to be) on this page: once each, whichever list shows them. */
const reported = new Set<string>();

/** Watches the comments under `root`; calls `send` with batches of ids seen. Returns its stop. */
export function watchViews(root: ParentNode, send: (ids: string[]) => void): () => void {
  const timers = new Map<Element, ReturnType<typeof setTimeout>>();
  const waiting: string[] = [];
  let batch: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    batch = undefined;
    while (waiting.length > 0) send(waiting.splice(0, MAX_BATCH));
  };
  const idOf = (element: Element) => element.getAttribute('data-comment-id') || '';
  const observer = new IntersectionObserver(
    (entries) => {
      for (const { target, isIntersecting } of entries) {
        clearTimeout(timers.get(target));
        timers.delete(target);
        if (!isIntersecting) continue;
        timers.set(
          target,
          setTimeout(() => {
            timers.delete(target);
            observer.unobserve(target);
            const id = idOf(target);
            if (reported.has(id)) return;
            reported.add(id);
            waiting.push(id);
            batch ??= setTimeout(flush, BATCH_MS);
          }, VISIBLE_FOR_MS),
        );
      }
    },
    { threshold: 0.5 },
  );
  const watch = () =>
    root.querySelectorAll('article[data-comment-id]').forEach((article) => {
      const id = idOf(article);
      if (ID.test(id) && !reported.has(id)) observer.observe(article);
    });
  const mutations = new MutationObserver(watch);
  mutations.observe(root, { childList: true, subtree: true });
  watch();
  addEventListener('pagehide', flush);
  return () => {
    mutations.disconnect();
    observer.disconnect();
    timers.forEach(clearTimeout);
    removeEventListener('pagehide', flush);
    clearTimeout(batch);
    flush();
  };
}

export function ViewsReporter({ slot }: { slot: HTMLElement }) {
  const { host } = useNotify();
  useEffect(
    () =>
      watchViews(slot.getRootNode() as ParentNode, (commentIds) => {
        const story = host.store.story;
        if (!story) return;
        // keepalive: the last batch still goes out as the page is left.
        fetch(`${host.api.origin}/api/v1/stories/${encodeURIComponent(story.id)}/views`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ commentIds }),
          credentials: 'omit',
          keepalive: true,
        }).catch(() => undefined);
      }),
    [],
  );
  return null;
}
