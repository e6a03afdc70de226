/**
 * The publisher's brand at the top of Parley's own pages (the account pages, readers' profiles,
 * a story's plain comments page): its logo, with its name as the alternative text, or its name.
 */
import { escapeHtml } from '../domain/html.ts';
import type { Site } from '../store/rows.ts';

/** The brand's header; `prefix` goes before its class names (the story pages' `parley-`). */
export function brandHtml(site: Site | undefined, prefix = ''): string {
  if (!site) return '';
  const name = escapeHtml(site.name);
  const mark = site.branding.logoUrl
    ? `<img class="${prefix}brand-logo" src="${escapeHtml(site.branding.logoUrl)}" alt="${name}" referrerpolicy="no-referrer">`
    : `<span class="${prefix}brand-name" dir="auto">${name}</span>`;
  return `<header class="${prefix}brand">${mark}</header>`;
}
