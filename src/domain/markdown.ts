/**
 * The one path from what a commenter writes to HTML: a small Markdown subset (emphasis, links,
 * quotes, code, line breaks) rendered by markdown-it with raw HTML disabled, then passed through
 * an allow-list sanitiser as defence in depth. Rendered once on write; pages show the stored HTML.
 */
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const LINK_REL = 'nofollow ugc noopener';

const markdown = new MarkdownIt('zero', {
  html: false,
  linkify: true,
  breaks: true,
  typographer: false,
  maxNesting: 12,
}).enable([
  'emphasis',
  'link',
  'linkify',
  'autolink',
  'blockquote',
  'backticks',
  'fence',
  'code',
  'newline',
  'escape',
]);

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 'a', 'blockquote', 'code', 'pre'],
  allowedAttributes: { a: ['href', 'rel', 'target'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { href: attribs.href ?? '', rel: LINK_REL, target: '_blank' },
    }),
  },
};

/** Renders comment Markdown to sanitised HTML. Never returns markup the user typed as HTML. */
export function renderCommentHtml(source: string): string {
  return sanitizeHtml(markdown.render(source), sanitizeOptions).trim();
}
