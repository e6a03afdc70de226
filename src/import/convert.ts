/**
 * A comment body as the source wrote it → what Parley stores: the Markdown subset and its HTML,
 * rendered by the one path every comment takes. Pure, so that it can run on worker threads
 * (convert-worker.ts): it is most of an import's work that is not the database's.
 */
import { renderCommentHtml } from '../domain/markdown.ts';
import { htmlToMarkdown, textToMarkdown } from './html-to-markdown.ts';
import type { SourceBody } from './records.ts';

// Characters Parley refuses in text people write (src/domain/text.ts): control characters and
// bidirectional overrides, which disguise text. An import drops them rather than the comment.
export const UNWANTED =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

export function markdownOf(body: SourceBody): string {
  const value = body.value.replace(UNWANTED, '');
  switch (body.format) {
    case 'html':
      // Again after converting: character references (&#x202E;) are decoded by the conversion.
      return htmlToMarkdown(value, { newlinesAreBreaks: true }).replace(UNWANTED, '');
    case 'markdown':
      return value.replace(/\r\n?/g, '\n').trim();
    case 'text':
      return textToMarkdown(value);
  }
}

export interface ConvertedBody {
  markdown: string;
  /** Empty when the Markdown is (nothing to render) or too long to be kept. */
  html: string;
}

export function convertBody(body: SourceBody, maxLength: number): ConvertedBody {
  const markdown = markdownOf(body);
  return {
    markdown,
    html: markdown && markdown.length <= maxLength ? renderCommentHtml(markdown) : '',
  };
}
