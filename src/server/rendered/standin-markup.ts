/**
 * TEMPORARY: a stand-in for the thread markup of ./markup.ts (helper H2's), with its signature,
 * until that lands. Removed then.
 */
import type { InterfaceLanguage } from '../../domain/vocabulary.ts';
import { escapeHtml } from './escape.ts';
import { commentAnchor } from './json-ld.ts';
import type { AnonymousPage, SiteSettingsJson } from './page-data.ts';
import type { CommentJson } from '../schemas.ts';

function one(comment: CommentJson, replies: string): string {
  const author = comment.author
    ? `<bdi class="parley-author">${escapeHtml(comment.author.displayName)}</bdi>`
    : '';
  return (
    `<article class="parley-comment" id="${commentAnchor(comment.id)}">` +
    `<header>${author} <time datetime="${escapeHtml(comment.createdAt)}">${escapeHtml(comment.createdAt)}</time></header>` +
    `<div class="parley-text">${comment.html}</div>${replies}</article>`
  );
}

export function renderThreadMarkup(input: {
  page: AnonymousPage;
  site: SiteSettingsJson;
  lang: InterfaceLanguage;
  moreHref: string | null;
}): string {
  const items = input.page.comments
    .map((entry) => one(entry, entry.replies.map((reply) => one(reply, '')).join('')))
    .join('');
  const more = input.moreHref
    ? `<a class="parley-more" href="${escapeHtml(input.moreHref)}">More comments</a>`
    : '';
  return `<section class="parley-thread">${items}</section>${more}`;
}
