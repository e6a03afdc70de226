/**
 * Hydration: taking over a server-rendered thread (src/server/rendered: the fragment a publisher
 * includes in the article page, inside the widget's container) instead of loading the first page.
 * The fragment carries that page as JSON (`<script type="application/json" data-parley-page>`), the
 * anonymous page of GET /stories/{id}/comments, and its markup is the widget's own DOM for a
 * signed-out reader (src/server/rendered/markup.ts), styled by the widget's stylesheet scoped to it
 * (/embed/rendered.css). main.tsx then attaches the shadow root with a <slot>, so the fragment
 * stays shown, seeds the thread store with the page (no request for it), renders the widget
 * hidden, and once its thread is rendered (App.tsx, Loader) removes the slot and shows it in the
 * same task, before the browser paints: one frame has the fragment, the next the widget, in the
 * same place. The session is restored and live updates start as after any first load.
 *
 * Kept small: it is in the widget's first-paint file.
 */
import type { SortOrder, ThreadPage } from '../api/types.js';
import type { EmbedConfig } from '../config.js';
import type { Services } from '../services.js';
import { siteSort } from './thread-actions.js';

/** A fragment taken over: its page, the element holding its theme, its order. */
export type Rendered = [ThreadPage, HTMLElement, SortOrder];

/**
 * The dates the fragment wrote, by instant (its `<time datetime>`). The server cannot know the
 * reader's clock and time zone, so it writes dates, not "5 minutes ago"; the widget draws the same
 * text for those comments (ui/RelativeTime.tsx), so the first frame matches, and its own for the
 * comments that come later.
 */
export const serverTimes = new Map<string, string>();

/**
 * The fragment in the container when it is this story's thread (the publisher's identifier of
 * the story, data-story-id, else the page's address, on the site of data-site-id when given) in
 * an order the widget offers and, when the page says data-sort, in that one, in the widget's
 * language (a fragment in another would change its words on takeover), as
 * [its page, the element holding its theme, its order (its data-sort)]; nothing when there is
 * none, or when its JSON or its markup is missing or broken (the widget then loads the thread
 * itself).
 */
export function findRendered(
  container: Element,
  { target, sort, lang }: EmbedConfig,
): Rendered | undefined {
  const fragment = container.querySelector<HTMLElement>('[data-parley-rendered]');
  try {
    const page = JSON.parse(
      fragment!.querySelector('script[data-parley-page]')!.textContent!,
    ) as ThreadPage;
    const { story } = page;
    const theme = fragment!.querySelector<HTMLElement>('.theme');
    const order = siteSort(fragment!.dataset.sort);
    if (
      theme &&
      (target.storyId ? story.externalId == target.storyId : story.url == target.url) &&
      story.siteId == (target.siteId ?? story.siteId) &&
      order == fragment!.dataset.sort &&
      order == (sort ?? order) &&
      fragment!.lang == lang &&
      Array.isArray(page.comments)
    ) {
      fragment!.querySelectorAll('time').forEach((time) => {
        serverTimes.set(time.dateTime, time.textContent!);
      });
      return [page, theme, order];
    }
  } catch {
    // No fragment, or no page in it: the usual first load.
  }
  // A fragment not taken over is not shown (no slot for it): its markup goes, so that its ids do
  // not take the widget's anchors.
  fragment?.querySelector('.theme')?.remove();
  return undefined;
}

/**
 * The first load, from the fragment's page: the store holds it at once, then the viewer is known
 * (restored, or signed in with the publisher's token). A signed-in viewer gets the page again, with
 * their own flags and their comments awaiting review (unless signing in reloaded it already).
 */
export async function openRendered(
  { store, session, thread }: Services,
  [page, , order]: Rendered,
  viewerKnown: (siteId: string) => Promise<void>,
): Promise<void> {
  // The fragment's own order: with no data-sort the widget takes any (the one it was asked in,
  // ?sort=, or the site's default), and its cursor is for that order only.
  store.reset(page, order);
  const seeded = store.root;
  await viewerKnown(page.story.siteId);
  if (session.user && store.root == seeded) await thread.reload();
}
