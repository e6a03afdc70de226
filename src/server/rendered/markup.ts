/**
 * The server-rendered thread's markup: the DOM the widget (web/embed/src/ui) draws for a signed-out
 * reader on its first paint, element for element and class for class, so that the widget, taking
 * the fragment over (web/embed/src/state/hydrate.ts), shows its own render in the same frame as it
 * hides this one and nothing moves. Keep it in step with Thread.tsx, AuthPanel.tsx, Composer.tsx,
 * SortSelect.tsx, CommentList.tsx, CommentItem.tsx, CommentArticle.tsx, CommentMeta.tsx,
 * CommentActions.tsx, Avatar.tsx and LiveRegion.tsx, and App.tsx's wrapper (the element holding
 * the theme, then `.parley` with the language and direction); test/browser/hydration.test.ts
 * measures the layout shift of the swap.
 *
 * Its words are the widget's own, from one definition (src/domain/thread-words), and so are the
 * avatars' initials and colours (src/domain/avatar.ts). Text is escaped; comment.html goes out as
 * stored (sanitised once, on write).
 *
 * Differences, none of which moves anything:
 * - ids are prefixed with `parley-` (the fragment is in the publisher's page, not in a shadow
 *   root where "heading" or "list" cannot collide with the page's own ids), and each comment's
 *   article carries `id="parley-comment-<id>"`, the anchor of its JSON-LD `url`;
 * - "Load more comments" is a link to the plain page (`moreHref`), so the fragment is navigable
 *   with no script; the fragment's stylesheet gives it the widget's button box;
 * - times: relative times ("5 minutes ago") would differ between the server's clock and the
 *   reader's, so the server writes the date (day, short month, year, as the widget writes comments
 *   older than a month) in UTC in `<time datetime>`, and the widget, hydrating, draws the text of
 *   the fragment's `<time>` for the same instant (hydrate.ts, serverTimes) instead of its own; it
 *   keeps that text for those comments (the widget's times do not tick anyway), and its own for
 *   comments that come later.
 *
 * The fragment's stylesheet (the widget's, scoped under `.parley-rendered`, with a reset against
 * the page's styles) is served by Parley at `/embed/rendered.css` (scripts/build-web.ts writes it,
 * src/server/static.ts serves it; cached for five minutes, like /embed.js).
 */
import { avatarColourIndex, initials } from '../../domain/avatar.ts';
import { escapeHtml } from '../../domain/html.ts';
import { SORTS } from '../../domain/thread.ts';
import { THREAD_WORDS } from '../../domain/thread-words/index.ts';
import type { ThreadWords } from '../../domain/thread-words/index.ts';
import { RIGHT_TO_LEFT_LANGUAGES, type InterfaceLanguage } from '../../domain/vocabulary.ts';
import type { presentSiteSettings } from '../presenters.ts';
import type { CommentJson, StoryJson, ThreadCommentJson } from '../schemas.ts';

/** Where Parley serves the fragment's stylesheet (on its public origin). */
export const RENDERED_STYLESHEET_PATH = '/embed/rendered.css';

export interface ThreadMarkupInput {
  /** The anonymous JSON body of GET /api/v1/stories/{id}/comments. */
  readonly page: {
    readonly story: StoryJson;
    readonly comments: readonly ThreadCommentJson[];
    readonly nextCursor: string | null;
    readonly featuredCount?: number;
  };
  readonly site: ReturnType<typeof presentSiteSettings>;
  readonly lang: InterfaceLanguage;
  /** The plain page's next page, when there are more comments than this page shows. */
  readonly moreHref: string | null;
  /** The page's order (the fragment's data-sort); newest by default, as the widget's. */
  readonly sort?: string;
  /**
   * Parley's public origin, where readers' profile pages are (the widget links each author's
   * name there, docs/profiles.md); without it the links are relative to the page.
   */
  readonly origin?: string;
}

type AnyComment = CommentJson & {
  readonly replies?: readonly AnyComment[];
  readonly repliesCursor?: string | null;
};

/** BCP 47 tags for dates, as the widget's LOCALES (web/embed/src/i18n.ts). */
const localeOf = (lang: InterfaceLanguage) => (lang === 'zh' ? 'zh-CN' : lang);

/** The date a comment was written, as the fragment shows it (see the note on times above). */
export function renderedDate(iso: string, lang: InterfaceLanguage): string {
  return new Date(iso).toLocaleDateString(localeOf(lang), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

function renderedFullDate(iso: string, lang: InterfaceLanguage): string {
  return new Date(iso).toLocaleString(localeOf(lang), {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
}

export function renderThreadMarkup(input: ThreadMarkupInput): string {
  const { page, lang, moreHref } = input;
  const t = THREAD_WORDS[lang] ?? THREAD_WORDS.en;
  const sort = input.sort && [...SORTS, 'featured'].includes(input.sort) ? input.sort : 'newest';
  const story = page.story;
  const featured = page.featuredCount || 0;
  const dir = RIGHT_TO_LEFT_LANGUAGES.includes(lang) ? 'rtl' : 'ltr';
  const context: Context = {
    t,
    lang,
    closed: story.closed,
    profiles: `${input.origin || ''}/profiles/${encodeURIComponent(story.siteId)}/`,
  };
  // A Q&A story's questions are the features module's (docs/qa.md); until it is there, the
  // widget shows them as a plain thread in its "qa" slot, with no composer and no sort order.
  const qa = (story as { mode?: string }).mode === 'qa';

  // Thread.tsx, with AuthPanel (signed out), Composer (nothing, or "closed"), SortSelect and
  // CommentList.
  return (
    `<div class="theme light" part="widget">` +
    `<div class="parley" lang="${localeOf(lang)}" dir="${dir}">` +
    `<section aria-labelledby="parley-heading">` +
    `<h2 id="parley-heading" class="heading" part="heading" tabindex="-1">${escapeHtml(t.commentsHeading(story.commentCount))}</h2>` +
    `<div class="account" part="account"><p>${escapeHtml(t.joinPrompt)}</p>` +
    `<button type="button" class="primary" part="button primary">${escapeHtml(t.signIn)}</button></div>` +
    (qa
      ? list(context, page, sort, featured, moreHref) + SLOT
      : (story.closed ? `<p class="note">${escapeHtml(t.closed)}</p>` : '') +
        toolbar(t, sort, featured, story.commentCount) +
        list(context, page, sort, featured, moreHref)) +
    `</section>` +
    // LiveRegion.tsx
    `<div class="vh" aria-live="polite" aria-atomic="true"></div>` +
    `</div></div>`
  );
}

interface Context {
  readonly t: ThreadWords;
  readonly lang: InterfaceLanguage;
  readonly closed: boolean;
  /** The address of the site's profile pages, up to the author's id. */
  readonly profiles: string;
}

/** Slot.tsx, before the features module fills it: a box-less element. */
const SLOT = '<div class="slot"></div>';

/** SortSelect.tsx: the tabs when there are featured comments, and the order of all of them. */
function toolbar(t: ThreadWords, sort: string, featured: number, count: number): string {
  const onFeatured = sort === 'featured';
  const tab = (selected: boolean, label: string) =>
    `<button type="button" role="tab" part="tab" id="parley-tab-${+selected}" aria-selected="${selected}"` +
    ` aria-controls="parley-list" tabindex="${selected ? 0 : -1}">${escapeHtml(label)}</button>`;
  const tabs =
    featured > 0 || onFeatured
      ? `<div role="tablist" part="tabs" aria-labelledby="parley-heading">` +
        tab(!onFeatured, t.commentsHeading(count)) +
        tab(onFeatured, `${t.featured} (${featured})`) +
        `</div>`
      : '';
  const labels = t.sorts as Partial<Record<string, string>>;
  const select = onFeatured
    ? ''
    : `<label for="parley-sort">${escapeHtml(t.sortBy)}</label>` +
      `<select id="parley-sort" part="select" name="sort">` +
      // The widget's orders (SORT_ORDERS), each of which has its words.
      SORTS.filter((order) => labels[order])
        .map(
          (order) =>
            `<option value="${order}"${order === sort ? ' selected' : ''}>${escapeHtml(labels[order] as string)}</option>`,
        )
        .join('') +
      `</select>`;
  return `<div class="toolbar" part="toolbar">${tabs}${select}</div>`;
}

/** CommentList.tsx: the linked comment's slot, the new comments' float, the list, "more". */
function list(
  context: Context,
  page: ThreadMarkupInput['page'],
  sort: string,
  featured: number,
  moreHref: string | null,
): string {
  const { t } = context;
  const tabbed = featured > 0 || sort === 'featured';
  const comments = page.comments as readonly AnyComment[];
  const more = !page.nextCursor
    ? ''
    : moreHref
      ? `<a class="more" part="button" href="${escapeHtml(moreHref)}">${escapeHtml(t.loadMore)}</a>`
      : `<button type="button" class="more" part="button">${escapeHtml(t.loadMore)}</button>`;
  return (
    `<div id="parley-list"${tabbed ? ' role="tabpanel"' : ''} aria-labelledby="parley-tab-1">` +
    // The linked comment's and the views reporter's slots, the new comments' float.
    SLOT +
    SLOT +
    `<div class="fresh"></div>` +
    (comments.length === 0
      ? `<p class="note">${escapeHtml(t.noComments)}</p>`
      : `<ol class="thread" part="thread">${comments.map((comment) => item(context, comment)).join('')}</ol>`) +
    more +
    `</div>`
  );
}

/** CommentItem.tsx: the comment, its replies shown and the button for the rest. */
function item(context: Context, comment: AnyComment): string {
  const replies = comment.replies || [];
  const cursor = comment.repliesCursor ?? null;
  let under = '';
  if (replies.length > 0 || cursor !== null) {
    under =
      `<div class="replies" part="replies">` +
      (replies.length > 0
        ? `<ol>${replies.map((reply) => item(context, reply)).join('')}</ol>`
        : '') +
      (cursor !== null
        ? `<button type="button" class="link">${escapeHtml(context.t.showMoreReplies(comment.replyCount - replies.length))}</button>`
        : '') +
      `</div>`;
  }
  return `<li>${article(context, comment)}${under}</li>`;
}

/** CommentArticle.tsx, as a signed-out reader sees it (never their own, never a form open). */
function article(context: Context, comment: AnyComment): string {
  const { t } = context;
  const id = escapeHtml(comment.id);
  const anchor = ` id="parley-comment-${id}"`;
  if (comment.deleted) {
    return (
      `<article class="comment" part="comment" data-comment-id="${id}" tabindex="-1"${anchor}>` +
      `<p class="tombstone">${escapeHtml(t.deleted)}</p></article>`
    );
  }
  const label = comment.author
    ? ` aria-label="${escapeHtml(t.commentBy(comment.author.displayName))}"`
    : '';
  return (
    `<article class="comment is-${escapeHtml(comment.status)}" part="comment" data-comment-id="${id}" tabindex="-1"${label}${anchor}>` +
    meta(context, comment) +
    `<div class="body" part="comment-body" dir="auto">${comment.html}</div>` +
    actions(context, comment) +
    `</article>`
  );
}

/** CommentMeta.tsx and Avatar.tsx. */
function meta(context: Context, comment: AnyComment): string {
  const { t, lang } = context;
  const { author, replyToName, createdAt, editedAt } = comment;
  let html = '';
  if (author) {
    const name = author.displayName;
    const avatarUrl = (author as { avatarUrl?: string | null }).avatarUrl;
    html +=
      avatarUrl && /^https:\/\//i.test(avatarUrl)
        ? `<img class="avatar" src="${escapeHtml(avatarUrl)}" alt="" loading="lazy" referrerpolicy="no-referrer">`
        : `<span class="avatar" aria-hidden="true" data-colour="${avatarColourIndex(name)}">${escapeHtml(initials(name))}</span>`;
    // The author's profile, in a new tab (as the widget links it).
    const href = `${context.profiles}${encodeURIComponent(author.id)}?lang=${localeOf(lang)}`;
    html += `<a class="author" part="author" dir="auto" href="${escapeHtml(href)}" target="_blank">${escapeHtml(name)}</a>`;
    if (author.role !== 'commenter') html += `<span class="badge">${escapeHtml(t.staff)}</span>`;
    const badges = (author as { badges?: readonly string[] }).badges || [];
    for (const badge of badges) {
      if (badge.toLowerCase() === 'staff' && author.role !== 'commenter') continue;
      html += `<span class="badge granted" dir="auto">${escapeHtml(t.badges[badge.toLowerCase()] || badge)}</span>`;
    }
  }
  if (replyToName)
    html += `<span>${escapeHtml(t.inReplyTo)} <span dir="auto">${escapeHtml(replyToName)}</span></span>`;
  html +=
    `<time datetime="${escapeHtml(createdAt)}" title="${escapeHtml(renderedFullDate(createdAt, lang))}">` +
    `${escapeHtml(renderedDate(createdAt, lang))}</time>`;
  if (editedAt) html += `<span>${escapeHtml(t.edited)}</span>`;
  if ((comment as { pinned?: boolean }).pinned)
    html += `<span class="badge pinned">${escapeHtml(t.pinned)}</span>`;
  return `<header class="meta" part="comment-meta">${html}</header>`;
}

/** CommentActions.tsx for a reader who is not the author and has not reacted or reported. */
function actions(context: Context, comment: AnyComment): string {
  const { t, closed } = context;
  const published = comment.status === 'approved';
  const id = escapeHtml(comment.id);
  let html = '';
  if (published && !closed) {
    const name = comment.author
      ? ` aria-label="${escapeHtml(t.replyTo(comment.author.displayName))}"`
      : '';
    html += `<button type="button" data-action="reply"${name}>${escapeHtml(t.reply)}</button>`;
  }
  if (published) {
    html +=
      `<button type="button" class="respect" data-action="respect" aria-pressed="false"` +
      ` aria-describedby="parley-count-${id}">${escapeHtml(t.respect)}</button>` +
      `<span id="parley-count-${id}" class="count">${escapeHtml(comment.reactionCount)}</span>` +
      `<button type="button" data-action="report">${escapeHtml(t.report)}</button>` +
      `<button type="button" data-action="link">${escapeHtml(t.copyLink)}</button>` +
      // "Ignore", the features module's, for a signed-in reader.
      (comment.author ? SLOT : '');
  }
  return `<div class="actions" part="actions">${html}</div>`;
}
