/**
 * What Parley's own pages on its origin share: the document around them (the account pages,
 * readers' profiles) and the publisher's brand at their top (those and a story's plain comments
 * page): its logo, with its name as the alternative text, or its name.
 */
import { escapeHtml } from '../domain/html.ts';
import { RIGHT_TO_LEFT_LANGUAGES, type InterfaceLanguage } from '../domain/vocabulary.ts';
import type { Site } from '../store/rows.ts';

/** A whole page, not for search engines, in the language's direction; `head` goes as written. */
export function pageDocument(
  lang: InterfaceLanguage,
  title: string,
  head: string,
  body: string,
): string {
  return [
    '<!doctype html>',
    `<html lang="${lang}" dir="${RIGHT_TO_LEFT_LANGUAGES.includes(lang) ? 'rtl' : 'ltr'}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(title)}</title>`,
    head,
    '</head>',
    `<body>${body}</body>`,
    '</html>',
  ].join('\n');
}

/** The brand's header; `prefix` goes before its class names (the story pages' `parley-`). */
export function brandHtml(site: Site | undefined, prefix = ''): string {
  if (!site) return '';
  const name = escapeHtml(site.name);
  const mark = site.branding.logoUrl
    ? `<img class="${prefix}brand-logo" src="${escapeHtml(site.branding.logoUrl)}" alt="${name}" referrerpolicy="no-referrer">`
    : `<span class="${prefix}brand-name" dir="auto">${name}</span>`;
  return `<header class="${prefix}brand">${mark}</header>`;
}
